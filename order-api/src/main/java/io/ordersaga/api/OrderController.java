package io.ordersaga.api;

import io.ordersaga.common.Topics;
import io.ordersaga.events.CancelOrder;
import io.ordersaga.events.OrderRequest;
import io.ordersaga.events.PlaceOrder;
import io.ordersaga.events.RequestedLine;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Orders: placing and cancelling them (requests to the saga on {@link Topics#ORDER_REQUESTS}, key orderId), and
 * reading them from the read model (order-view-streams). Errors are {@code application/problem+json}.
 */
@RestController
public class OrderController {

    /** Most lines in one order. */
    public static final int MAX_LINES = 100;

    /** Most units of one line. */
    public static final int MAX_QUANTITY = 10_000;

    /** Longest Idempotency-Key header, in characters. */
    public static final int MAX_IDEMPOTENCY_KEY_LENGTH = 255;

    private final EventPublisher publisher;
    private final ServiceInstances view;
    private final JsonMapper json;

    /**
     * @param publisher writes the requests
     * @param backends  the read model's instances
     * @param json      parses request bodies and the read model's answers
     */
    public OrderController(EventPublisher publisher, Backends backends, JsonMapper json) {
        this.publisher = publisher;
        this.view = backends.view();
        this.json = json;
    }

    /**
     * {@code POST /orders} {@code {"customerId":"17850","lines":[{"productId":"85123A","quantity":6}]}}: places an
     * order. Prices nothing: the saga prices it from the catalog. Answers 202 {@code {"orderId","status":"PENDING"}}
     * with {@code Location: /orders/{orderId}} once {@link io.ordersaga.events.PlaceOrder} is acknowledged.
     *
     * <p>The orderId is a name-based UUID of (customerId, Idempotency-Key) when that header is given, so a retry
     * with the same key names the same order and the saga ignores the duplicate; otherwise a random UUID.
     *
     * @throws ResponseStatusException 400 when the body breaks a rule (customerId an id of at most 64 characters;
     *                                 1 to 100 lines; each productId an id, each quantity 1 to 10000) or the
     *                                 Idempotency-Key is blank or longer than 255 characters; 503 when the write is
     *                                 not acknowledged
     */
    @PostMapping(path = "/orders", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<OrderAnswer> place(InputStream body, HttpServletRequest request,
                                             @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) {
        JsonNode order = Requests.jsonObject(body, request.getContentLengthLong(), json);
        String customerId = Requests.idField(order, "customerId", "customerId");
        JsonNode lines = Requests.arrayField(order, "lines", "lines", 1, MAX_LINES);
        List<RequestedLine> requested = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            String name = "lines[" + i + "]";
            JsonNode line = Requests.object(lines.get(i), name);
            requested.add(new RequestedLine(Requests.idField(line, name + ".productId", "productId"),
                    (int) Requests.integerField(line, name + ".quantity", "quantity", 1, MAX_QUANTITY)));
        }
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > MAX_IDEMPOTENCY_KEY_LENGTH)) {
            throw Requests.badRequest("the Idempotency-Key header must be 1 to " + MAX_IDEMPOTENCY_KEY_LENGTH
                    + " non-blank characters");
        }
        String orderId = orderId(customerId, idempotencyKey);
        publisher.publish(Topics.ORDER_REQUESTS, orderId,
                new OrderRequest(orderId, Instant.now(), new PlaceOrder(customerId, idempotencyKey, requested)));
        return ResponseEntity.accepted().location(URI.create("/orders/" + orderId))
                .body(new OrderAnswer(orderId, "PENDING"));
    }

    /**
     * The orderId of a placed order: a name-based (MD5, version 3) UUID of {@code customerId|idempotencyKey}
     * (unambiguous, as a customerId never holds {@code '|'}), or a random UUID without a key.
     */
    public static String orderId(String customerId, String idempotencyKey) {
        return idempotencyKey == null ? UUID.randomUUID().toString()
                : UUID.nameUUIDFromBytes((customerId + "|" + idempotencyKey).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /**
     * {@code POST /orders/{orderId}/cancel}: asks the saga to cancel (compensate) the order, as the read model
     * shows it now. Answers 202 {@code {"orderId","status":"CANCELLING"}} once {@link CancelOrder} is acknowledged,
     * or 202 {@code {"orderId","status":"CANCELLED"}} without a new request when it is cancelled already.
     *
     * @throws ResponseStatusException 400 for an invalid orderId, 404 when the read model does not know the order,
     *                                 409 when it is CONFIRMED or REJECTED, 503 when the read model cannot answer or
     *                                 the write is not acknowledged; another error of the read model is relayed
     */
    @PostMapping("/orders/{orderId}/cancel")
    public ResponseEntity<?> cancel(@PathVariable String orderId) {
        Requests.id("orderId", orderId);
        ResponseEntity<byte[]> read = view.get("/orders/{orderId}", orderId);
        if (read.getStatusCode().value() == HttpStatus.NOT_FOUND.value()) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "order " + orderId + " is unknown");
        }
        if (!read.getStatusCode().is2xxSuccessful()) {
            return read;
        }
        String status = status(read.getBody());
        return switch (status) {
            case "CONFIRMED", "REJECTED" -> throw new ResponseStatusException(HttpStatus.CONFLICT,
                    "order " + orderId + " is " + status + " and can no longer be cancelled");
            case "CANCELLED" -> ResponseEntity.accepted().body(new OrderAnswer(orderId, "CANCELLED"));
            default -> {
                publisher.publish(Topics.ORDER_REQUESTS, orderId,
                        new OrderRequest(orderId, Instant.now(), new CancelOrder()));
                yield ResponseEntity.accepted().body(new OrderAnswer(orderId, "CANCELLING"));
            }
        };
    }

    /**
     * {@code GET /orders/{orderId}[?waitMs=N]}: the order from the read model, relayed (status, content type, body);
     * with waitMs, a long poll until the order is terminal (at most 30000 ms, the read model's rule).
     *
     * @throws ResponseStatusException 400 for an invalid orderId or a non-numeric waitMs, 503 when no read-model
     *                                 instance answers
     */
    @GetMapping("/orders/{orderId}")
    public ResponseEntity<byte[]> order(@PathVariable String orderId, @RequestParam(required = false) Long waitMs) {
        Requests.id("orderId", orderId);
        return waitMs == null ? view.get("/orders/{orderId}", orderId)
                : view.get("/orders/{orderId}?waitMs={waitMs}", orderId, waitMs);
    }

    /**
     * {@code GET /customers/{customerId}/orders}: the customer's orders, newest first, from the read model, relayed.
     *
     * @throws ResponseStatusException 400 for an invalid customerId, 503 when no read-model instance answers
     */
    @GetMapping("/customers/{customerId}/orders")
    public ResponseEntity<byte[]> customerOrders(@PathVariable String customerId) {
        Requests.id("customerId", customerId);
        return view.get("/customers/{customerId}/orders", customerId);
    }

    private String status(byte[] order) {
        JsonNode status;
        try {
            status = json.readTree(order).get("status");
        } catch (JacksonException e) {
            status = null;
        }
        if (status == null || !status.isString()) {
            throw new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE, "the read model answered an order without a status");
        }
        return status.stringValue();
    }

    /**
     * The answer to a place or cancel request.
     *
     * @param orderId the order
     * @param status  PENDING (placed), CANCELLING (cancel requested) or CANCELLED (already cancelled)
     */
    public record OrderAnswer(String orderId, String status) {
    }
}
