package io.ordersaga.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ordersaga.demo.client.OrderStatuses;
import org.awaitility.Awaitility;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A small HTTP client of order-api (or of a service instance) for the end-to-end tests. */
public final class Api {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String baseUrl;

    /** @param baseUrl for example {@code http://127.0.0.1:8080} */
    public Api(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /**
     * An HTTP answer.
     *
     * @param status      the status code
     * @param contentType the Content-Type header, or ""
     * @param body        the body parsed as JSON (a missing node when empty or not JSON)
     * @param location    the Location header, or null
     */
    public record Response(int status, String contentType, JsonNode body, String location) {
    }

    /** {@code PUT /products/{id}}. */
    public Response putProduct(String productId, String name, long unitPricePence) {
        return send("PUT", "/products/" + productId, Map.of("name", name, "unitPrice", unitPricePence), Map.of());
    }

    /** {@code POST /products/{id}/stock-adjustments} without an Idempotency-Key (a new adjustment each time). */
    public Response adjustStock(String productId, long delta) {
        return adjustStock(productId, delta, null);
    }

    /**
     * {@code POST /products/{id}/stock-adjustments} with an optional Idempotency-Key: the same key for the same
     * product names the same adjustmentId.
     */
    public Response adjustStock(String productId, long delta, String idempotencyKey) {
        return send("POST", "/products/" + productId + "/stock-adjustments", Map.of("delta", delta, "reason", "TEST"),
                keyHeader(idempotencyKey));
    }

    /** {@code POST /customers/{id}/wallet/credits} without an Idempotency-Key (a new credit each time). */
    public Response credit(String customerId, long amountPence) {
        return credit(customerId, amountPence, null);
    }

    /**
     * {@code POST /customers/{id}/wallet/credits} with an optional Idempotency-Key: the same key for the same
     * customer names the same creditId.
     */
    public Response credit(String customerId, long amountPence, String idempotencyKey) {
        return send("POST", "/customers/" + customerId + "/wallet/credits", Map.of("amount", amountPence),
                keyHeader(idempotencyKey));
    }

    /** {@code POST /orders} with a body given as a JSON-able object, and an optional Idempotency-Key. */
    public Response postOrder(Object body, String idempotencyKey) {
        return send("POST", "/orders", body, keyHeader(idempotencyKey));
    }

    /** {@code POST /orders} for one customer and {@code productId, quantity} pairs. */
    public Response placeOrder(String customerId, Object... productAndQuantity) {
        List<Map<String, Object>> lines = new java.util.ArrayList<>();
        for (int i = 0; i < productAndQuantity.length; i += 2) {
            lines.add(Map.of("productId", productAndQuantity[i], "quantity", productAndQuantity[i + 1]));
        }
        return postOrder(Map.of("customerId", customerId, "lines", lines), null);
    }

    /** {@code POST /orders/{id}/cancel} without a body: order-api takes the customer from the read model. */
    public Response cancel(String orderId) {
        return send("POST", "/orders/" + orderId + "/cancel", null, Map.of());
    }

    /** {@code POST /orders/{id}/cancel} {@code {"customerId"}}: who asks, needed while the read model lacks the order. */
    public Response cancel(String orderId, String customerId) {
        return send("POST", "/orders/" + orderId + "/cancel", Map.of("customerId", customerId), Map.of());
    }

    /** {@code GET path}. */
    public Response get(String path) {
        return send("GET", path, null, Map.of());
    }

    /** {@code GET /orders/{id}?waitMs=}: answers when terminal or after waitMs. */
    public Response order(String orderId, long waitMs) {
        return get("/orders/" + orderId + "?waitMs=" + waitMs);
    }

    /** Long-polls until the order is terminal (deadline 60 s) and returns it. */
    public JsonNode awaitTerminal(String orderId) {
        JsonNode[] last = new JsonNode[1];
        Awaitility.await("order " + orderId + " terminal").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                .until(() -> {
                    Response r = order(orderId, 10_000);
                    last[0] = r.body();
                    return r.status() == 200 && OrderStatuses.TERMINAL.contains(r.body().path("status").asText());
                });
        return last[0];
    }

    /** {@code GET /products/{id}/stock} body. */
    public JsonNode stock(String productId) {
        return get("/products/" + productId + "/stock").body();
    }

    /** {@code GET /customers/{id}/wallet} body. */
    public JsonNode wallet(String customerId) {
        return get("/customers/" + customerId + "/wallet").body();
    }

    private static Map<String, String> keyHeader(String idempotencyKey) {
        return idempotencyKey == null ? Map.of() : Map.of("Idempotency-Key", idempotencyKey);
    }

    /** Sends one request; never throws on an HTTP error status. */
    public Response send(String method, String path, Object body, Map<String, String> headers) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(40));
            headers.forEach(request::header);
            if (body != null) {
                request.header("Content-Type", "application/json");
                String json = body instanceof String s ? s : JSON.writeValueAsString(body);
                request.method(method, HttpRequest.BodyPublishers.ofString(json));
            } else {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json;
            try {
                json = response.body().isBlank() ? JSON.missingNode() : JSON.readTree(response.body());
            } catch (IOException notJson) {
                json = JSON.missingNode();
            }
            return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), json,
                    response.headers().firstValue("Location").orElse(null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
