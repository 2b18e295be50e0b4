package io.ordersaga.demo;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An in-process stand-in for order-api (JDK HttpServer) that runs the saga synchronously in memory, to test the
 * demo's HTTP paths without the real stack: reserve every line or cancel OUT_OF_STOCK, charge the total or cancel
 * PAYMENT_DECLINED, else CONFIRMED; unknown products are REJECTED. The first GET of each order answers 404, as the
 * asynchronous read model may. {@link #chargeTwice} and {@link #oversell} plant bugs the audit must catch;
 * {@link #refuseKeysEndingWith} makes order-api refuse some orders. Stock adjustments and credits with an
 * Idempotency-Key are applied once per (path, key), as order-api and the services do; {@link #unacknowledgedFirstWrites}
 * answers the first of each 503 after applying it, as a producer timeout after the broker appended it does.
 */
final class FakeOrderApi implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PRODUCT = Pattern.compile("/products/([^/]+)");
    private static final Pattern STOCK = Pattern.compile("/products/([^/]+)/stock");
    private static final Pattern ADJUST = Pattern.compile("/products/([^/]+)/stock-adjustments");
    private static final Pattern WALLET = Pattern.compile("/customers/([^/]+)/wallet");
    private static final Pattern CREDIT = Pattern.compile("/customers/([^/]+)/wallet/credits");
    private static final Pattern CUSTOMER_ORDERS = Pattern.compile("/customers/([^/]+)/orders");
    private static final Pattern ORDER = Pattern.compile("/orders/([^/]+)");

    /** When set, a confirmed order is charged twice. */
    volatile boolean chargeTwice;
    /**
     * While above 0, an order finding its product out of stock is confirmed anyway (and this decremented), charged
     * but without touching the stock: the lost update of a broken stock lock.
     */
    volatile int oversell;
    /** When set, orders whose Idempotency-Key ends with it are refused with a 400. */
    volatile String refuseKeysEndingWith;
    /** When set, the first attempt of each stock adjustment and credit is applied but answered 503. */
    volatile boolean unacknowledgedFirstWrites;
    /** How many stock adjustments and credits were answered 503 after being applied. */
    int unacknowledged;
    /** When set, an order POSTed with {@code Prefer: wait} is answered 200 with its terminal state, as order-api does. */
    volatile boolean applyPreferWait;
    /** How many POSTs were answered 200 with the terminal order. */
    int answeredEnded;

    private final HttpServer server;
    private final Map<String, Long> prices = new HashMap<>();
    private final Map<String, String> names = new HashMap<>();
    private final Map<String, long[]> stock = new HashMap<>(); // available, reserved, sold, adjusted
    private final Map<String, long[]> wallets = new HashMap<>(); // balance, credited, charged, refunded
    private final Map<String, Map<String, Object>> orders = new HashMap<>();
    private final Map<String, List<String>> customerOrders = new HashMap<>();
    private final Set<String> readOnce = new HashSet<>();
    private final Set<String> appliedWrites = new HashSet<>();

    FakeOrderApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String query = exchange.getRequestURI().getQuery();
            String method = exchange.getRequestMethod();
            JsonNode body = method.equals("GET") ? null : JSON.readTree(exchange.getRequestBody());
            Object[] answer;
            synchronized (this) {
                answer = route(method, path, query, body, exchange.getRequestHeaders().getFirst("Idempotency-Key"));
                String prefer = exchange.getRequestHeaders().getFirst("Prefer");
                if (applyPreferWait && prefer != null && prefer.startsWith("wait=") && method.equals("POST")
                        && path.equals("/orders") && (int) answer[0] == 202) {
                    String orderId = (String) ((Map<?, ?>) answer[1]).get("orderId");
                    answer = ok(orders.get(orderId));
                    answeredEnded++;
                }
            }
            byte[] bytes = JSON.writeValueAsBytes(answer[1]);
            exchange.getResponseHeaders().set("Content-Type", (int) answer[0] >= 400
                    ? "application/problem+json" : "application/json");
            exchange.sendResponseHeaders((int) answer[0], bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    /**
     * An idempotent write as order-api answers it: adds {@code amount} to {@code counters[0]} (the balance or the
     * available units) and to {@code counters[total]} (the running total credited or adjusted) of {@code id}, once
     * per {@code Idempotency-Key} ({@code key}, null for none: every request applies).
     */
    private Object[] addOnce(String path, String key, Map<String, long[]> books, String id, long amount, int total,
                             Map<String, Object> reply) {
        boolean first = key == null || appliedWrites.add(path + "|" + key);
        if (first) {
            long[] counters = books.computeIfAbsent(id, k -> new long[4]);
            counters[0] += amount;
            counters[total] += amount;
        }
        return written(first, reply);
    }

    /** Returns {status, body}. */
    private Object[] route(String method, String path, String query, JsonNode body, String key) {
        Matcher m;
        if (method.equals("GET") && (m = STOCK.matcher(path)).matches()) {
            long[] s = stock.get(id(m));
            return s == null ? problem(404, "no stock record")
                    : ok(Map.of("productId", id(m), "available", s[0], "reserved", s[1], "sold", s[2], "adjusted", s[3]));
        }
        if (method.equals("POST") && (m = ADJUST.matcher(path)).matches()) {
            return addOnce(path, key, stock, id(m), body.get("delta").asLong(), 3, Map.of("adjustmentId", "adj-" + id(m)));
        }
        if (method.equals("GET") && (m = PRODUCT.matcher(path)).matches()) {
            Long price = prices.get(id(m));
            return price == null ? problem(404, "not in the catalog")
                    : ok(Map.of("productId", id(m), "name", names.get(id(m)), "unitPrice", price));
        }
        if (method.equals("PUT") && (m = PRODUCT.matcher(path)).matches()) {
            names.put(id(m), body.get("name").asString());
            prices.put(id(m), body.get("unitPrice").asLong());
            return new Object[] {202, Map.of()};
        }
        if (method.equals("GET") && (m = WALLET.matcher(path)).matches()) {
            long[] w = wallets.getOrDefault(id(m), new long[4]);
            return ok(Map.of("customerId", id(m), "balance", w[0], "credited", w[1], "charged", w[2], "refunded", w[3]));
        }
        if (method.equals("POST") && (m = CREDIT.matcher(path)).matches()) {
            return addOnce(path, key, wallets, id(m), body.get("amount").asLong(), 1, Map.of("creditId", "cr-" + id(m)));
        }
        if (method.equals("GET") && (m = CUSTOMER_ORDERS.matcher(path)).matches()) {
            List<Object> list = new ArrayList<>();
            customerOrders.getOrDefault(id(m), List.of()).reversed().forEach(id -> list.add(orders.get(id)));
            return ok(Map.of("customerId", id(m), "orders", list));
        }
        if (method.equals("POST") && path.equals("/orders")) {
            return placeOrder(body, key);
        }
        if (method.equals("GET") && (m = ORDER.matcher(path)).matches()) {
            Map<String, Object> order = orders.get(id(m));
            if (order == null || readOnce.add(id(m))) {
                return problem(404, "no such order");
            }
            return ok(order);
        }
        return problem(404, "no route " + method + " " + path + (query == null ? "" : "?" + query));
    }

    private Object[] placeOrder(JsonNode body, String key) {
        String orderId = "ord-" + key;
        if (orders.containsKey(orderId)) {
            return new Object[] {202, Map.of("orderId", orderId, "status", "PENDING")};
        }
        String refused = refuseKeysEndingWith;
        if (refused != null && key.endsWith(refused)) {
            return problem(400, "test refusal of key " + key);
        }
        String customer = body.get("customerId").asString();
        Map<String, Integer> lines = new LinkedHashMap<>();
        for (JsonNode line : body.get("lines")) {
            if (line.get("quantity").asInt() < 1) {
                return problem(400, "quantity must be >= 1");
            }
            lines.merge(line.get("productId").asString(), line.get("quantity").asInt(), Integer::sum);
        }
        List<Map<String, Object>> priced = new ArrayList<>();
        long total = 0;
        String status = "CONFIRMED";
        String reason = null;
        for (Map.Entry<String, Integer> line : lines.entrySet()) {
            Long price = prices.get(line.getKey());
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("productId", line.getKey());
            l.put("productName", price == null ? null : "name");
            l.put("quantity", line.getValue());
            l.put("unitPrice", price);
            l.put("lineTotal", price == null ? null : price * line.getValue());
            priced.add(l);
            if (price == null) {
                status = "REJECTED";
                reason = "UNKNOWN_PRODUCT";
            } else {
                total += price * line.getValue();
            }
        }
        boolean lostUpdate = false;
        if (reason == null && lines.entrySet().stream().anyMatch(l -> stock.get(l.getKey())[0] < l.getValue())) {
            if (oversell > 0) {
                oversell--;
                lostUpdate = true;
            } else {
                status = "CANCELLED";
                reason = "OUT_OF_STOCK";
            }
        }
        long[] wallet = wallets.computeIfAbsent(customer, k -> new long[4]);
        if (reason == null && wallet[0] < total) {
            status = "CANCELLED";
            reason = "PAYMENT_DECLINED";
        }
        if (reason == null && !lostUpdate) {
            lines.forEach((product, quantity) -> {
                stock.get(product)[0] -= quantity;
                stock.get(product)[2] += quantity;
            });
        }
        if (reason == null) {
            long charge = chargeTwice ? 2 * total : total;
            wallet[0] -= charge;
            wallet[2] += charge;
        }
        Map<String, Object> order = new LinkedHashMap<>();
        order.put("orderId", orderId);
        order.put("customerId", customer);
        order.put("status", status);
        order.put("reason", reason);
        order.put("reasonDetail", reason == null ? null : reason.toLowerCase());
        order.put("lines", priced);
        order.put("total", reason != null && reason.equals("UNKNOWN_PRODUCT") ? 0 : total);
        order.put("currency", "GBP");
        order.put("createdAt", 1);
        order.put("updatedAt", 2);
        orders.put(orderId, order);
        customerOrders.computeIfAbsent(customer, k -> new ArrayList<>()).add(orderId);
        return new Object[] {202, Map.of("orderId", orderId, "status", "PENDING")};
    }

    /** The answer to an applied or deduplicated adjustment or credit: 202, or 503 for a first one when so planted. */
    private Object[] written(boolean first, Map<String, Object> answer) {
        if (first && unacknowledgedFirstWrites) {
            unacknowledged++;
            return problem(503, "Kafka did not acknowledge the write. The outcome is unknown: the record may have been written.");
        }
        return new Object[] {202, answer};
    }

    private static String id(Matcher m) {
        return m.group(1); // URI.getPath() is decoded already
    }

    private static Object[] ok(Object body) {
        return new Object[] {200, body};
    }

    private static Object[] problem(int status, String detail) {
        return new Object[] {status, Map.of("title", "problem", "status", status, "detail", detail)};
    }
}
