package io.ordersaga.demo.client;

import io.ordersaga.demo.DemoException;
import io.ordersaga.demo.workload.Workload;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * A blocking client of order-api's REST API (JDK {@link HttpClient}, HTTP/1.1, JSON with Jackson); money in pence.
 * Safe to share between threads; meant to be called from virtual threads.
 *
 * <p>The typed methods retry, with the same request, on an I/O error or a 429/502/503/504, at most {@value #RETRIES} times with
 * a doubling pause from {@value #FIRST_BACKOFF_MS} ms. Every request it sends is safe to repeat, because a 503 or a
 * lost answer may follow a write that landed: GETs, the catalog PUT (the latest wins), and the writes that create
 * something, each with an Idempotency-Key ({@code POST /orders}: the same key names the same order;
 * stock adjustments and wallet credits: the same key names the same adjustmentId or creditId, applied once).
 * {@link #exchange} sends any request once and answers whatever came back, for callers that check statuses
 * themselves (the end-to-end tests).
 *
 * <p>Every request carries a bearer token from its {@link Credentials}: the customer's own for {@link #placeOrder},
 * the admin's for everything else, including {@link #exchange} unless its headers name an Authorization.
 */
public final class OrderApi implements AutoCloseable {

    /** Retries after the first attempt. */
    static final int RETRIES = 4;
    /** Pause before the first retry, in ms; doubles for each further one. */
    static final long FIRST_BACKOFF_MS = 100;
    /** The longest long poll order-view-streams honours, in ms. */
    public static final long MAX_WAIT_MS = 30_000;

    /** The request header of the bearer token. */
    public static final String AUTHORIZATION = "Authorization";

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final Set<Integer> TRANSIENT = Set.of(429, 502, 503, 504);
    /** Jackson 2's defaults (a JSON null read as 0 into a primitive, among others), fields it does not know ignored. */
    private static final ObjectMapper JSON = JsonMapper.builderWithJackson2Defaults()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final URI base;
    private final Credentials credentials;
    private final HttpClient http;

    /**
     * A client without credentials, for servers that ask none (the registry, a service's health).
     *
     * @param base the server's base URL, without a trailing slash
     */
    public OrderApi(URI base) {
        this(base, Credentials.NONE);
    }

    /**
     * A client with its own HTTP connection pool; close it to release the connections.
     *
     * @param base        order-api's base URL, without a trailing slash
     * @param credentials the tokens it sends
     */
    public OrderApi(URI base, Credentials credentials) {
        this.base = base;
        this.credentials = credentials;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /**
     * A product's stock, as {@code GET /products/{productId}/stock} returns it (units).
     *
     * @param productId the product
     * @param available units free to reserve
     * @param reserved  units held by open reservations
     * @param sold      units of confirmed orders
     * @param adjusted  net sum of accepted stock adjustments
     */
    public record Stock(String productId, long available, long reserved, long sold, long adjusted) {
    }

    /**
     * A catalog entry as the saga prices orders from it, as {@code GET /products/{productId}} returns it.
     *
     * @param productId the product
     * @param name      display name
     * @param unitPrice pence per unit
     */
    public record CatalogEntry(String productId, String name, long unitPrice) {
    }

    /**
     * A customer's wallet, as {@code GET /customers/{customerId}/wallet} returns it (pence).
     *
     * @param customerId the customer
     * @param balance    spendable amount
     * @param credited   sum of credits
     * @param charged    sum of charges
     * @param refunded   sum of refunds
     */
    public record Wallet(String customerId, long balance, long credited, long charged, long refunded) {
    }

    /**
     * One priced line of an order view; prices are null when the product was unknown to the saga.
     *
     * @param productId   the product
     * @param productName catalog name when priced
     * @param quantity    units
     * @param unitPrice   pence per unit when priced
     * @param lineTotal   quantity x unitPrice in pence when priced
     */
    public record OrderLine(String productId, String productName, int quantity, Long unitPrice, Long lineTotal) {
    }

    /**
     * An order of the read model, as {@code GET /orders/{orderId}} returns it (timestamps left out).
     *
     * @param orderId      the order
     * @param customerId   who ordered
     * @param status       PENDING, RESERVING, PAYING, or terminal: CONFIRMED, CANCELLED, REJECTED
     * @param reason       why CANCELLED or REJECTED; null otherwise
     * @param reasonDetail human-readable detail of the reason
     * @param lines        priced lines, one per product
     * @param total        sum of line totals in pence; 0 when not priced
     */
    public record OrderView(String orderId, String customerId, String status, String reason, String reasonDetail,
                            List<OrderLine> lines, long total) {

        /** Whether the saga has ended: CONFIRMED, CANCELLED or REJECTED. */
        public boolean terminal() {
            return OrderStatuses.TERMINAL.contains(status);
        }
    }

    /**
     * One order of a customer's list ({@code GET /customers/{customerId}/orders}).
     *
     * @param orderId the order
     * @param status  its latest status
     * @param reason  why cancelled or rejected, or null
     * @param total   total in pence
     */
    public record OrderSummary(String orderId, String status, String reason, long total) {
    }

    private record CustomerOrders(String customerId, List<OrderSummary> orders) {
    }

    /**
     * An answer as it came, for callers that check statuses, headers and problem details themselves.
     *
     * @param status      the HTTP status
     * @param contentType the Content-Type header, or "" when absent
     * @param text        the body as it came (UTF-8)
     * @param body        the body as JSON; a missing node when it is empty or not JSON
     * @param location    the Location header, or null when absent
     */
    public record Response(int status, String contentType, String text, JsonNode body, String location) {
    }

    /** What {@code POST /orders} came to. */
    public sealed interface Placement {
    }

    /**
     * 202: order-api took the order.
     *
     * @param orderId the order's id
     */
    public record Accepted(String orderId) implements Placement {
    }

    /**
     * 200: order-api took the order and, as {@code Prefer: wait} asked, answered once it was terminal.
     *
     * @param order the order in its terminal state, as {@code GET /orders/{orderId}} answers it
     */
    public record Ended(OrderView order) implements Placement {
    }

    /**
     * order-api answered with another status (a 4xx, or a 5xx after the retries).
     *
     * @param status the HTTP status
     * @param detail the problem's detail, or the start of the body
     */
    public record Refused(int status, String detail) implements Placement {
    }

    /**
     * No answer even after the retries; the order may or may not exist.
     *
     * @param error what went wrong
     */
    public record Unanswered(String error) implements Placement {
    }

    /**
     * {@code PUT /products/{productId}}: registers or replaces a catalog entry (asynchronous: 202).
     *
     * @param product the entry; unitPrice in pence
     * @throws DemoException on any answer but 2xx
     */
    public void putProduct(Workload.Product product) {
        expect2xx(send(request("/products/" + segment(product.productId()))
                .PUT(json(Map.of("name", product.name(), "unitPrice", product.unitPrice())))
                .header("Content-Type", "application/json")));
    }

    /**
     * {@code POST /products/{productId}/stock-adjustments} with an Idempotency-Key (asynchronous: 202); retried, as
     * order-api derives the adjustmentId from (productId, key) and inventory applies it once.
     *
     * @param productId      the product
     * @param delta          units to add (negative: write off)
     * @param reason         free text
     * @param idempotencyKey the same for every attempt of this adjustment; another for another adjustment
     * @throws DemoException on any answer but 2xx, or on an I/O error after the retries
     */
    public void adjustStock(String productId, long delta, String reason, String idempotencyKey) {
        expect2xx(send(request("/products/" + segment(productId) + "/stock-adjustments")
                .header("Idempotency-Key", idempotencyKey)
                .POST(json(Map.of("delta", delta, "reason", reason)))
                .header("Content-Type", "application/json")));
    }

    /**
     * {@code POST /customers/{customerId}/wallet/credits} with an Idempotency-Key (asynchronous: 202); retried, as
     * order-api derives the creditId from (customerId, key) and payment applies it once.
     *
     * @param customerId     the customer
     * @param amount         pence, {@code > 0}
     * @param idempotencyKey the same for every attempt of this credit; another for another credit
     * @throws DemoException on any answer but 2xx, or on an I/O error after the retries
     */
    public void creditWallet(String customerId, long amount, String idempotencyKey) {
        expect2xx(send(request("/customers/" + segment(customerId) + "/wallet/credits")
                .header("Idempotency-Key", idempotencyKey)
                .POST(json(Map.of("amount", amount)))
                .header("Content-Type", "application/json")));
    }

    /**
     * {@code GET /products/{productId}/stock}.
     *
     * @param productId the product
     * @return the stock, or empty on 404 (no stock record)
     * @throws DemoException on another non-2xx answer or an I/O error after the retries
     */
    public Optional<Stock> stock(String productId) {
        return getOptional("/products/" + segment(productId) + "/stock", REQUEST_TIMEOUT, Stock.class);
    }

    /**
     * {@code GET /products/{productId}}: the saga's catalog entry.
     *
     * @param productId the product
     * @return the entry, or empty on 404 (the saga has not read it yet)
     * @throws DemoException on another non-2xx answer or an I/O error after the retries
     */
    public Optional<CatalogEntry> product(String productId) {
        return getOptional("/products/" + segment(productId), REQUEST_TIMEOUT, CatalogEntry.class);
    }

    /**
     * {@code GET /customers/{customerId}/wallet}.
     *
     * @param customerId the customer
     * @return the wallet (zeros for a customer never seen)
     * @throws DemoException on a non-2xx answer or an I/O error after the retries
     */
    public Wallet wallet(String customerId) {
        return getOptional("/customers/" + segment(customerId) + "/wallet", REQUEST_TIMEOUT, Wallet.class)
                .orElseThrow(() -> new DemoException("GET wallet of " + customerId + " answered 404"));
    }

    /**
     * {@code POST /orders} with an Idempotency-Key and {@code Prefer: wait=N} (RFC 7240): order-api answers once the
     * order is terminal (200), or after N seconds with 202.
     *
     * @param order       the order; its idempotencyKey goes in the header
     * @param waitSeconds how long order-api may hold the answer until the order is terminal, in seconds (order-api
     *                    caps it at {@value #MAX_WAIT_MS} ms); 0 for an answer at once
     * @return ended (200 with the terminal order), accepted (202 with an orderId), refused (another status), or
     *         unanswered
     */
    public Placement placeOrder(Workload.Order order, long waitSeconds) {
        List<Map<String, Object>> lines = order.lines().stream()
                .map(l -> Map.<String, Object>of("productId", l.productId(), "quantity", l.quantity())).toList();
        HttpResponse<String> response;
        try {
            HttpRequest.Builder request = request("/orders", credentials.customer().apply(order.customerId()))
                    .header("Idempotency-Key", order.idempotencyKey())
                    .POST(json(Map.of("customerId", order.customerId(), "lines", lines)))
                    .header("Content-Type", "application/json");
            if (waitSeconds > 0) {
                request.header("Prefer", "wait=" + waitSeconds).timeout(REQUEST_TIMEOUT.plusSeconds(waitSeconds));
            }
            response = send(request);
        } catch (DemoException e) {
            return new Unanswered(e.getMessage());
        }
        if (response.statusCode() / 100 != 2) {
            return new Refused(response.statusCode(), detail(response));
        }
        if (response.statusCode() == 200) {
            OrderView ended = read(response, OrderView.class);
            return ended.orderId() != null && ended.terminal()
                    ? new Ended(ended)
                    : new Refused(response.statusCode(), "200 without a terminal order: " + abbreviate(response.body()));
        }
        JsonNode orderId = read(response, JsonNode.class).path("orderId");
        return orderId.isString()
                ? new Accepted(orderId.asString())
                : new Refused(response.statusCode(), "answer without an orderId: " + abbreviate(response.body()));
    }

    /**
     * {@code GET /orders/{orderId}?waitMs=N}: long poll.
     *
     * @param orderId the order
     * @param waitMs  how long order-view-streams may hold the request until the order is terminal, in ms
     *                (capped at {@value #MAX_WAIT_MS}); 0 to read at once
     * @return the order (terminal, or not yet when the wait ran out), or empty on 404 (not in the read model yet)
     * @throws DemoException on another non-2xx answer or an I/O error after the retries
     */
    public Optional<OrderView> order(String orderId, long waitMs) {
        long wait = Math.clamp(waitMs, 0, MAX_WAIT_MS);
        String path = "/orders/" + segment(orderId) + (wait > 0 ? "?waitMs=" + wait : "");
        return getOptional(path, REQUEST_TIMEOUT.plusMillis(wait), OrderView.class);
    }

    /**
     * {@code GET /customers/{customerId}/orders}.
     *
     * @param customerId the customer
     * @return the customer's orders, newest first (empty for a customer never seen)
     * @throws DemoException on a non-2xx answer or an I/O error after the retries
     */
    public List<OrderSummary> customerOrders(String customerId) {
        return getOptional("/customers/" + segment(customerId) + "/orders", REQUEST_TIMEOUT, CustomerOrders.class)
                .map(c -> c.orders() == null ? List.<OrderSummary>of() : c.orders())
                .orElse(List.of());
    }

    /**
     * Sends one request exactly once, with no retry, and returns whatever came back: for callers (the end-to-end
     * tests) that check every status, including the transient ones the typed methods retry.
     *
     * @param method  the HTTP method
     * @param path    the path and query, starting with "/", already encoded
     * @param body    null for no body, a String sent as it is, or any other object written as JSON
     * @param headers extra request headers (for example {@code Idempotency-Key}); a body goes as
     *                {@code application/json} unless they name another {@code Content-Type}; the admin's token goes
     *                unless they name an {@code Authorization} (an empty one: none at all)
     * @return the answer, whatever its status
     * @throws DemoException on an I/O error or when interrupted
     */
    public Response exchange(String method, String path, Object body, Map<String, String> headers) {
        // No Accept header (the server picks, as for any plain client); room for the longest long poll.
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(REQUEST_TIMEOUT.plusMillis(MAX_WAIT_MS));
        headers.forEach((name, value) -> {
            if (!value.isEmpty()) {
                builder.header(name, value);
            }
        });
        if (!headers.containsKey(AUTHORIZATION)) {
            authorize(builder, credentials.admin().get());
        }
        if (body == null) {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            String text = body instanceof String s ? s : JSON.writeValueAsString(body);
            if (!headers.containsKey("Content-Type")) {
                builder.header("Content-Type", "application/json");
            }
            builder.method(method, HttpRequest.BodyPublishers.ofString(text));
        }
        HttpResponse<String> response = send(builder, 0);
        JsonNode json;
        try {
            json = response.body().isBlank() ? JSON.missingNode() : JSON.readTree(response.body());
        } catch (JacksonException notJson) {
            json = JSON.missingNode();
        }
        return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                response.body(), json,
                response.headers().firstValue("Location").orElse(null));
    }

    /**
     * {@code GET path} once, with no retry ({@link #exchange}).
     *
     * @param path the path and query, starting with "/", already encoded
     * @return the answer, whatever its status
     * @throws DemoException on an I/O error or when interrupted
     */
    public Response get(String path) {
        return exchange("GET", path, null, Map.of());
    }

    @Override
    public void close() {
        http.close();
    }

    private <T> Optional<T> getOptional(String path, Duration timeout, Class<T> type) {
        HttpResponse<String> response = send(request(path).timeout(timeout).GET());
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        expect2xx(response);
        return Optional.of(read(response, type));
    }

    /** A request with the admin's token. */
    private HttpRequest.Builder request(String path) {
        return request(path, credentials.admin().get());
    }

    /** A request with {@code token} (none when null). */
    private HttpRequest.Builder request(String path, String token) {
        return authorize(HttpRequest.newBuilder(URI.create(base + path))
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json"), token);
    }

    private static HttpRequest.Builder authorize(HttpRequest.Builder request, String token) {
        return token == null ? request : request.header(AUTHORIZATION, "Bearer " + token);
    }

    private static HttpRequest.BodyPublisher json(Map<String, ?> body) {
        return HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
    }

    private HttpResponse<String> send(HttpRequest.Builder builder) {
        return send(builder, RETRIES);
    }

    /** Sends, retrying an I/O error or a {@link #TRANSIENT} status up to {@code retries} times; the last answer as it is. */
    private HttpResponse<String> send(HttpRequest.Builder builder, int retries) {
        HttpRequest request = builder.build();
        for (int attempt = 0; ; attempt++) {
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (attempt == retries || !TRANSIENT.contains(response.statusCode())) {
                    return response;
                }
            } catch (IOException e) {
                if (attempt == retries) {
                    throw new DemoException(request.method() + " " + request.uri() + " failed: " + e, e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DemoException(request.method() + " " + request.uri() + " interrupted", e);
            }
            LockSupport.parkNanos(Duration.ofMillis(FIRST_BACKOFF_MS << attempt).toNanos());
        }
    }

    private static void expect2xx(HttpResponse<String> response) {
        if (response.statusCode() / 100 != 2) {
            HttpRequest request = response.request();
            throw new DemoException(request.method() + " " + request.uri() + " answered " + response.statusCode()
                    + ": " + detail(response));
        }
    }

    private static <T> T read(HttpResponse<String> response, Class<T> type) {
        try {
            return JSON.readValue(response.body(), type);
        } catch (JacksonException e) {
            throw new DemoException(response.request().method() + " " + response.request().uri()
                    + " answered unreadable JSON: " + abbreviate(response.body()), e);
        }
    }

    /** The problem+json detail (or title) of an error answer, else the start of its body. */
    private static String detail(HttpResponse<String> response) {
        try {
            JsonNode problem = JSON.readTree(response.body());
            for (String field : List.of("detail", "title")) {
                if (problem.path(field).isString()) {
                    return problem.path(field).asString();
                }
            }
        } catch (JacksonException e) {
            // not JSON: fall through to the raw body
        }
        return abbreviate(response.body());
    }

    private static String abbreviate(String body) {
        String oneLine = body == null ? "" : body.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "...";
    }

    /** A path segment, percent-encoded (a space as %20). */
    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
