package io.ordersaga.api;

import io.ordersaga.events.OrderEvent;
import io.ordersaga.events.OrderLine;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One order as order-api knows it, for the checks before a write: whether an Idempotency-Key already names an order
 * with other lines ({@code POST /orders}), and whether an order is terminal and whose it is
 * ({@code POST /orders/{orderId}/cancel}). The latest snapshot order-api's own subscription to order-events read
 * ({@link RecentOrders}) answers first, with no HTTP; an order it does not hold is read from the read model
 * ({@code GET /orders/{orderId}} of order-view-streams) with the short timeout of {@link Backends#viewLookup()}.
 * Never throws: a read model that is slow, unreachable or answers anything but the order or 404 is
 * {@link Unavailable}, and the caller decides without it.
 *
 * @param view   the read model's instances, with the short lookup timeout ({@link Backends#viewLookup()})
 * @param recent the snapshots of order-api's own subscription, asked first
 * @param json   parses the read model's answer
 */
public record OrderLookup(ServiceInstances view, RecentOrders recent, JsonMapper json) {

    /** What the read model says about an order. */
    public sealed interface Result permits Found, NotFound, Unavailable {
    }

    /**
     * The read model holds the order.
     *
     * @param customerId who ordered
     * @param status     PENDING, RESERVING, PAYING, CONFIRMED, CANCELLED or REJECTED
     * @param quantities units per productId, its lines merged (the read model lists an invalid order's lines as
     *                   requested, unmerged)
     */
    public record Found(String customerId, String status, Map<String, Long> quantities) implements Result {
    }

    /** The read model does not hold the order (404): unknown, or placed but not yet read by the saga and the view. */
    public record NotFound() implements Result {
    }

    /**
     * The read model did not tell: timed out, unreachable, another status, or an answer that is not an order.
     *
     * @param detail why, for a problem's detail
     */
    public record Unavailable(String detail) implements Result {
    }

    /** The order as the subscription last read it, or else as the read model shows it now (no long poll). */
    public Result order(String orderId) {
        OrderEvent seen = recent.latest(orderId);
        if (seen != null) {
            return new Found(seen.getCustomerId(), seen.getStatus().name(), seen.getLines().stream()
                    .collect(Collectors.toUnmodifiableMap(OrderLine::getProductId, l -> (long) l.getQuantity(), Long::sum)));
        }
        ResponseEntity<byte[]> read;
        try {
            read = view.get("/orders/{orderId}", orderId);
        } catch (ServiceUnavailableException e) {
            return new Unavailable(e.getReason());
        }
        if (read.getStatusCode().value() == HttpStatus.NOT_FOUND.value()) {
            return new NotFound();
        }
        if (!read.getStatusCode().is2xxSuccessful()) {
            return new Unavailable("order-view-streams answered " + read.getStatusCode().value());
        }
        try {
            return parse(json.readTree(read.getBody()));
        } catch (JacksonException e) {
            return new Unavailable("order-view-streams answered malformed JSON: " + e.getOriginalMessage());
        }
    }

    private static Result parse(JsonNode order) {
        JsonNode customerId = order.path("customerId");
        JsonNode status = order.path("status");
        JsonNode lines = order.path("lines");
        if (!customerId.isString() || !status.isString() || !lines.isArray()) {
            return new Unavailable("order-view-streams answered an order without customerId, status or lines");
        }
        Map<String, Long> quantities = new HashMap<>();
        for (JsonNode line : lines) {
            JsonNode productId = line.path("productId");
            JsonNode quantity = line.path("quantity");
            if (!productId.isString() || !quantity.isIntegralNumber()) {
                return new Unavailable("order-view-streams answered a line without productId or quantity");
            }
            quantities.merge(productId.stringValue(), quantity.longValue(), Long::sum);
        }
        return new Found(customerId.stringValue(), status.stringValue(), Map.copyOf(quantities));
    }
}
