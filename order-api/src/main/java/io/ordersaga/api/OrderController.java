package io.ordersaga.api;

import io.ordersaga.common.Topics;
import io.ordersaga.common.json.CustomerOrdersJson;
import io.ordersaga.common.orders.OrderJson;
import io.ordersaga.common.orders.OrderWaiters;
import io.ordersaga.events.CancelOrder;
import io.ordersaga.events.OrderEvent;
import io.ordersaga.events.OrderRequest;
import io.ordersaga.events.OrderStatus;
import io.ordersaga.events.PlaceOrder;
import io.ordersaga.events.RequestedLine;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Orders: placing and cancelling them (requests to the saga on {@link Topics#ORDER_REQUESTS}, key orderId), and
 * reading them: from the read model (order-view-streams), and for a long poll from order-api's own subscription to
 * {@link Topics#ORDER_EVENTS} ({@link RecentOrders}). Errors are {@code application/problem+json}; every 503
 * order-api answers carries {@code Retry-After} ({@link ServiceUnavailableException}).
 *
 * <p>{@code POST /orders} is allowed without an Idempotency-Key: each such request is a new order with a random
 * orderId. A 503 may follow a write that landed (issue 11, finding 5), so only a keyed order can be retried safely,
 * and the 503's detail says so.
 */
@RestController
public class OrderController {

    /** Most lines in one order. */
    public static final int MAX_LINES = 100;

    /** Most units of one line. */
    public static final int MAX_QUANTITY = 10_000;

    /** RFC 7240's request header; {@code POST /orders} applies its {@code wait} preference. */
    public static final String PREFER = "Prefer";

    /** RFC 7240's response header naming the preferences applied. */
    public static final String PREFERENCE_APPLIED = "Preference-Applied";

    private static final Set<String> UNCANCELLABLE = Set.of("CONFIRMED", "REJECTED");

    private static final Set<String> TERMINAL = Arrays.stream(OrderStatus.values()).filter(OrderWaiters::isTerminal)
            .map(Enum::name).collect(Collectors.toUnmodifiableSet());

    private final EventPublisher publisher;
    private final ServiceInstances view;
    private final RecentOrders recent;
    private final OrderWaiters waiters;
    private final OrderLookup lookup;
    private final OrderMetrics metrics;
    private final JsonMapper json;

    /**
     * @param publisher writes the requests
     * @param backends  the read model's instances: {@link Backends#view()} for relayed reads,
     *                  {@link Backends#viewLookup()} for the checks before a write
     * @param recent    the orders order-api's own subscription to order-events has read, asked first by long polls
     *                  and the checks before a write
     * @param waiters   the long polls, woken by {@code recent}
     * @param metrics   counts the orders placed
     * @param json      parses request bodies and the read model's answers
     */
    public OrderController(EventPublisher publisher, Backends backends, RecentOrders recent, OrderWaiters waiters,
                           OrderMetrics metrics, JsonMapper json) {
        this.publisher = publisher;
        this.view = backends.view();
        this.recent = recent;
        this.waiters = waiters;
        this.lookup = new OrderLookup(backends.viewLookup(), recent, json);
        this.metrics = metrics;
        this.json = json;
    }

    /**
     * {@code POST /orders} {@code {"customerId":"17850","lines":[{"productId":"85123A","quantity":6}]}}: places an
     * order. Prices nothing: the saga prices it from the catalog. Answers 202 {@code {"orderId","status":"PENDING"}}
     * with {@code Location: /orders/{orderId}} once {@link io.ordersaga.events.PlaceOrder} is acknowledged.
     *
     * <p>With an Idempotency-Key the orderId is {@link IdempotencyKeys#orderId a name-based UUID} of (customerId,
     * key), so a retry names the same order; without one, a random UUID, so each request is a new order. A keyed
     * order is first read from the read model ({@link OrderLookup}, short timeout): when the read model holds that
     * order with another customer or other lines (each side's lines merged per product), the key was reused for
     * another order and the answer is 422. Otherwise the PlaceOrder is written: when the read model does not hold
     * the order yet, is slow or unreachable (an order is never refused because the view lags), or holds it with the
     * same lines. The saga ignores a PlaceOrder for an orderId it already holds, so such a second write changes
     * nothing.
     *
     * <p>With {@code Prefer: wait=N} (RFC 7240; N in seconds, capped at 30) the answer waits, as the long poll
     * {@code GET /orders/{orderId}?waitMs=} does, until the order is terminal: 200 with the order as that GET answers
     * it, or after N seconds the 202 above; both with {@code Preference-Applied: wait=N} and the Location. One
     * request then places an order and learns its outcome.
     *
     * <p>A customer's token places orders only for itself (the body's customerId is the token's subject); an admin's
     * for any customer ({@link SecurityConfiguration}).
     *
     * @return 202 with the order's id, or 200 with the terminal order when {@code Prefer: wait} was applied
     * @throws ResponseStatusException 400 when the body breaks a rule (customerId an id of at most 64 characters;
     *                                 1 to 100 lines; each productId an id, each quantity 1 to 10000) or the
     *                                 Idempotency-Key is blank or longer than 255 characters; 403 when the caller is
     *                                 another customer than the body's; 422 when the key
     *                                 already names an order with other lines; 503 with {@code Retry-After} when the
     *                                 write is not acknowledged, its outcome unknown (the detail says to retry with
     *                                 the same key, or that a retry without one may place a second order)
     */
    @Operation(summary = "Place an order (product ids and quantities; the saga prices it)", requestBody = @RequestBody(content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiBodies.PlaceOrderBody.class))))
    @ApiResponse(responseCode = "202", description = "accepted: the order is PENDING; Location names it", content = @Content(mediaType = "application/json", schema = @Schema(implementation = OrderAnswer.class)))
    @ApiResponse(responseCode = "200", description = "with Prefer: wait=N, the order once terminal", content = @Content(mediaType = "application/json", schema = @Schema(implementation = OrderJson.class)))
    @ApiResponse(responseCode = "400", description = "a broken body rule or a bad Idempotency-Key")
    @ApiResponse(responseCode = "422", description = "the Idempotency-Key already names an order with other lines")
    @PostMapping(path = "/orders", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<?> place(InputStream body, HttpServletRequest request, Authentication authentication,
                                   @RequestHeader(name = IdempotencyKeys.HEADER, required = false) String idempotencyKey,
                                   @RequestHeader(name = PREFER, required = false) List<String> prefer) {
        JsonNode order = Requests.jsonObject(body, request.getContentLengthLong(), json);
        String customerId = Requests.idField(order, "customerId", "customerId");
        Caller.of(authentication).requireActFor(customerId, "placing orders");
        JsonNode lines = Requests.arrayField(order, "lines", "lines", 1, MAX_LINES);
        List<RequestedLine> requested = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            String name = "lines[" + i + "]";
            JsonNode line = Requests.object(lines.get(i), name);
            requested.add(new RequestedLine(Requests.idField(line, name + ".productId", "productId"),
                    (int) Requests.integerField(line, name + ".quantity", "quantity", 1, MAX_QUANTITY)));
        }
        String key = IdempotencyKeys.check(idempotencyKey);
        String orderId = IdempotencyKeys.orderId(customerId, key);
        if (key != null && lookup.order(orderId) instanceof OrderLookup.Found placed
                && !(placed.customerId().equals(customerId) && placed.quantities().equals(merged(requested)))) {
            throw new ResponseStatusException(HttpStatus.UNPROCESSABLE_CONTENT, "the " + IdempotencyKeys.HEADER
                    + " already names order " + orderId + " with other lines: use a new key for another order");
        }
        boolean followed = recent.following();
        publisher.publish(Topics.ORDER_REQUESTS, orderId,
                new OrderRequest(orderId, Instant.now(), new PlaceOrder(customerId, key, requested)),
                IdempotencyKeys.retryAdvice(key, "order"));
        recent.placed(orderId, followed);
        metrics.placed();
        URI location = URI.create("/orders/" + orderId);
        long waitSeconds = preferredWaitSeconds(prefer);
        if (waitSeconds == 0) {
            return ResponseEntity.accepted().location(location).body(new OrderAnswer(orderId, "PENDING"));
        }
        String applied = "wait=" + waitSeconds;
        Read last = waiters.awaitTerminal(orderId, TimeUnit.SECONDS.toMillis(waitSeconds), this::read, Read::terminal);
        if (last != null && last.terminal()) {
            return ResponseEntity.ok().location(location).header(PREFERENCE_APPLIED, applied)
                    .contentType(MediaType.APPLICATION_JSON).body(last.answer().getBody());
        }
        return ResponseEntity.accepted().location(location).header(PREFERENCE_APPLIED, applied)
                .body(new OrderAnswer(orderId, "PENDING"));
    }

    /**
     * The {@code wait} preference of {@code Prefer} headers (RFC 7240, section 4.3: whole seconds), capped at
     * {@link OrderWaiters#MAX_WAIT_MS}; 0 without one. A malformed or negative value is ignored, as RFC 7240 asks
     * of a preference the server cannot apply.
     */
    static long preferredWaitSeconds(List<String> prefer) {
        if (prefer == null) {
            return 0;
        }
        for (String header : prefer) {
            for (String preference : header.split(",")) {
                String[] nameValue = preference.split(";", 2)[0].split("=", 2);
                if (nameValue.length == 2 && nameValue[0].strip().equalsIgnoreCase("wait")) {
                    String value = nameValue[1].strip();
                    if (value.matches("[0-9]{1,9}")) {
                        return Math.min(Long.parseLong(value), TimeUnit.MILLISECONDS.toSeconds(OrderWaiters.MAX_WAIT_MS));
                    }
                }
            }
        }
        return 0;
    }

    /**
     * {@code POST /orders/{orderId}/cancel}, optional body {@code {"customerId":"17850"}} (who asks: a customer's
     * token asks as its subject, and a body naming another customer is refused; an admin's token may name the
     * customer): asks the saga to cancel (compensate) the order. The read model is read first
     * ({@link OrderLookup}, short timeout), but only a terminal state there is final: the read model lags the saga,
     * and a cancel sent right after the order shares its partition and comes after it, so the saga decides
     * (issue 11, finding 7). Answers:
     * <ul>
     *   <li>409 when the read model shows the order CONFIRMED or REJECTED;</li>
     *   <li>202 {@code {"orderId","status":"CANCELLED","detail"}} without a new request when it shows it CANCELLED;</li>
     *   <li>otherwise (in flight, not in the read model yet, or the read model did not answer) 202
     *       {@code {"orderId","status":"CANCEL_REQUESTED","detail":"cancel requested"}} once a {@link CancelOrder}
     *       is acknowledged. Its requestedBy is the customer asking (the token's subject, or for an admin the body's
     *       customerId, else the order's customer from the read model); admin is false. The saga cancels the order
     *       unless it has ended meanwhile, and ignores a cancel from anyone but the order's customer.</li>
     * </ul>
     *
     * @throws ResponseStatusException 400 for an invalid orderId or body, or, for an admin, without a customerId for
     *                                 an order the read model does not hold; 403 when a customer's token names
     *                                 another customer or the read model holds the order for another customer; 422
     *                                 when an admin's body names another customer than the read model's; 409 as above; 503 with {@code Retry-After} when the cancel is not
     *                                 acknowledged (outcome unknown; a retry is safe) or, without a customerId, the
     *                                 read model did not answer
     */
    @Operation(summary = "Cancel an order in flight (the saga decides)", requestBody = @RequestBody(required = false, content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiBodies.CancelBody.class))))
    @ApiResponse(responseCode = "202", description = "a cancel was written (CANCEL_REQUESTED), or the order is already CANCELLED", content = @Content(mediaType = "application/json", schema = @Schema(implementation = CancelAnswer.class)))
    @ApiResponse(responseCode = "400", description = "an invalid orderId or body")
    @ApiResponse(responseCode = "409", description = "the order is CONFIRMED or REJECTED")
    @ApiResponse(responseCode = "422", description = "an admin's body names another customer than the order's")
    @PostMapping("/orders/{orderId}/cancel")
    public ResponseEntity<CancelAnswer> cancel(@PathVariable String orderId, InputStream body, HttpServletRequest request,
                                               Authentication authentication) {
        Requests.id("orderId", orderId);
        Caller caller = Caller.of(authentication);
        String named = Requests.optionalJsonObject(body, request.getContentLengthLong(), json)
                .map(cancel -> Requests.optionalIdField(cancel, "customerId", "customerId")).orElse(null);
        if (named != null) {
            caller.requireActFor(named, "cancelling the orders");
        }
        String asked = caller.admin() ? named : caller.subject();
        OrderLookup.Result read = lookup.order(orderId);
        if (read instanceof OrderLookup.Found found) {
            caller.requireActFor(found.customerId(), "cancelling order " + orderId);
            if (UNCANCELLABLE.contains(found.status())) {
                throw new ResponseStatusException(HttpStatus.CONFLICT,
                        "order " + orderId + " is " + found.status() + " and can no longer be cancelled");
            }
            if (found.status().equals("CANCELLED")) {
                return ResponseEntity.accepted().body(new CancelAnswer(orderId, "CANCELLED", "order " + orderId + " is cancelled"));
            }
            if (asked != null && !asked.equals(found.customerId())) {
                throw new ResponseStatusException(HttpStatus.UNPROCESSABLE_CONTENT,
                        "order " + orderId + " is not an order of customer " + asked);
            }
        }
        String requestedBy = asked != null ? asked : switch (read) {
            case OrderLookup.Found found -> found.customerId();
            case OrderLookup.NotFound ignored -> throw Requests.badRequest("customerId is required: the read model"
                    + " does not hold order " + orderId + " (yet), so it cannot tell whose it is");
            case OrderLookup.Unavailable unavailable -> throw new ServiceUnavailableException("customerId is required"
                    + " while the read model does not answer (" + unavailable.detail() + "): send it, or retry", null);
        };
        publisher.publish(Topics.ORDER_REQUESTS, orderId,
                new OrderRequest(orderId, Instant.now(), new CancelOrder(requestedBy, false)),
                "A retry is safe: cancelling twice is the same as once.");
        return ResponseEntity.accepted().body(new CancelAnswer(orderId, "CANCEL_REQUESTED", "cancel requested"));
    }

    /**
     * {@code GET /orders/{orderId}[?waitMs=N]}: the order from the read model, relayed (status, content type, body),
     * unless order-api's own subscription to order-events has seen it terminal: that snapshot is answered (it is
     * final, and the read model may still hold an older one).
     * With waitMs > 0, a long poll until the order is terminal, at most {@link OrderWaiters#MAX_WAIT_MS} (a larger
     * waitMs is capped), answered here: the poll registers with {@link OrderWaiters}, then reads the order's latest
     * snapshot from order-api's own subscription to order-events ({@link RecentOrders}), or, while the subscription
     * has not seen the order (it ended before this instance started, or before the subscription reached it), from
     * the read model, unless this instance placed the order and its subscription follows it
     * ({@link RecentOrders#follows}: the read model cannot know more); each order-events record of the order wakes
     * it, and it reads again at least every {@link OrderWaiters#RECHECK_MS}. It answers as soon as a read shows the order terminal, or after waitMs with the
     * last read (the read model's 404 for an order that stayed unknown). A snapshot from the subscription is
     * answered in the read model's JSON ({@link OrderJson}); a read model that cannot be reached is read again at
     * the next wake-up or re-check, and at the end its 503 is answered when nothing else was read.
     *
     * <p>A customer's token reads only that customer's orders: an order of another customer answers 403 (checked on
     * the order read, so a customer learns nothing of it but its existence).
     *
     * @throws ResponseStatusException 400 for an invalid orderId, a negative or non-numeric waitMs; 403 for another
     *                                 customer's order; 503 when no read-model instance answers and the subscription
     *                                 has not seen the order
     */
    @Operation(summary = "An order; with waitMs, a long poll until it is terminal")
    @ApiResponse(responseCode = "200", description = "the order", content = @Content(mediaType = "application/json", schema = @Schema(implementation = OrderJson.class)))
    @ApiResponse(responseCode = "400", description = "an invalid orderId or waitMs")
    @ApiResponse(responseCode = "404", description = "no such order (yet)")
    @GetMapping("/orders/{orderId}")
    public ResponseEntity<?> order(@PathVariable String orderId, @RequestParam(required = false) Long waitMs,
                                   Authentication authentication) {
        Requests.id("orderId", orderId);
        if (waitMs != null && waitMs < 0) {
            throw Requests.badRequest("waitMs must be >= 0 ms, was " + waitMs);
        }
        Read last = waitMs == null || waitMs == 0 ? ended(orderId)
                : waiters.awaitTerminal(orderId, Math.min(waitMs, OrderWaiters.MAX_WAIT_MS), this::read, Read::terminal);
        ResponseEntity<?> answer = last != null ? last.answer() : view.get("/orders/{orderId}", orderId);
        Caller caller = Caller.of(authentication);
        if (!caller.admin() && answer.getStatusCode().is2xxSuccessful()) {
            caller.requireActFor(customerOf(answer.getBody()), "order " + orderId);
        }
        return answer;
    }

    /** The {@code customerId} of an order answer: the subscription's {@link OrderJson} or the read model's JSON. */
    private String customerOf(Object order) {
        return switch (order) {
            case OrderJson snapshot -> snapshot.customerId();
            case byte[] relayed -> field(relayed, "customerId");
            default -> throw new IllegalStateException("not an order answer: " + order);
        };
    }

    /**
     * The subscription's snapshot of the order when it is terminal, else null. A terminal snapshot is final, and the
     * read model may still hold an older one (it lags the saga's commit by its own processing), so a plain read
     * answers it: once a long poll answered an order terminal, no later read of this instance answers it in flight.
     */
    private Read ended(String orderId) {
        OrderEvent seen = recent.latest(orderId);
        return seen != null && OrderWaiters.isTerminal(seen.getStatus())
                ? new Read(ResponseEntity.ok(OrderJson.of(seen)), true) : null;
    }

    /**
     * One read of a long poll: the subscription's latest snapshot, or else the read model's answer; null when
     * unreachable, or not known yet to a subscription that follows the order.
     */
    private Read read(String orderId) {
        OrderEvent seen = recent.latest(orderId);
        if (seen != null) {
            return new Read(ResponseEntity.ok(OrderJson.of(seen)), OrderWaiters.isTerminal(seen.getStatus()));
        }
        if (recent.follows(orderId)) {
            return null;
        }
        try {
            ResponseEntity<byte[]> answer = view.get("/orders/{orderId}", orderId);
            return new Read(answer, answer.getStatusCode().is2xxSuccessful() && TERMINAL.contains(field(answer.getBody(), "status")));
        } catch (ServiceUnavailableException e) {
            return null;
        }
    }

    /** A text field of the read model's order JSON, or null when the body is not such an order. */
    private String field(byte[] order, String name) {
        try {
            return json.readTree(order).path(name).asString(null);
        } catch (JacksonException e) {
            return null;
        }
    }

    /**
     * What one read of a long poll found.
     *
     * @param answer   the answer to give if the poll ends with this read
     * @param terminal whether it shows the order terminal
     */
    private record Read(ResponseEntity<?> answer, boolean terminal) {
    }

    /**
     * {@code GET /customers/{customerId}/orders}: the customer's orders, newest first, from the read model, relayed.
     *
     * @throws ResponseStatusException 400 for an invalid customerId, 503 when no read-model instance answers
     */
    @Operation(summary = "A customer's orders, newest first")
    @ApiResponse(responseCode = "200", description = "the listing", content = @Content(mediaType = "application/json", schema = @Schema(implementation = CustomerOrdersJson.class)))
    @ApiResponse(responseCode = "400", description = "an invalid customerId")
    @GetMapping("/customers/{customerId}/orders")
    public ResponseEntity<byte[]> customerOrders(@PathVariable String customerId) {
        return view.get("/customers/{customerId}/orders", Requests.id("customerId", customerId));
    }

    /**
     * The answer to a placed order.
     *
     * @param orderId the order
     * @param status  PENDING
     */
    public record OrderAnswer(String orderId, String status) {
    }

    /**
     * The answer to a cancel.
     *
     * @param orderId the order
     * @param status  CANCEL_REQUESTED (a cancel was written; the saga decides) or CANCELLED (already cancelled)
     * @param detail  what happened, in words
     */
    public record CancelAnswer(String orderId, String status, String detail) {
    }

    private static Map<String, Long> merged(List<RequestedLine> lines) {
        return lines.stream().collect(Collectors.toMap(RequestedLine::getProductId, l -> (long) l.getQuantity(), Long::sum));
    }
}
