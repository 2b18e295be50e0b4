package io.ordersaga.api;

import io.ordersaga.common.Topics;
import io.ordersaga.common.json.InstanceJson;
import io.ordersaga.common.json.SagaSummaryJson;
import io.ordersaga.common.orders.OrderWaiters;
import io.ordersaga.events.CancelOrder;
import io.ordersaga.events.OrderRequest;
import io.ordersaga.events.OrderStatus;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The operators' routes, {@code /admin/**}, for the {@code admin} role only ({@link SecurityConfiguration}): sagas
 * found by status and age, from order-saga-streams' saga store (interactive queries over every instance), the
 * compensation of a saga in flight, and the Streams applications' dead letters.
 */
@RestController
@RequestMapping("/admin")
public class AdminController {

    private final EventPublisher publisher;
    private final ServiceInstances saga;
    private final OrderLookup lookup;
    private final DeadLetters deadLetters;
    private final InstanceStatuses instances;
    private final JsonMapper json;

    /**
     * @param publisher writes the compensations
     * @param backends  order-saga-streams' instances for the saga search, the read model's for the check before a
     *                  compensation
     * @param recent    the orders order-api's own subscription to order-events has read, asked first by that check
     * @param json      parses the read model's answers
     * @param deadLetters the Streams applications' dead-letter topics
     * @param instances   every Streams service's instances, asked for their own state
     */
    public AdminController(EventPublisher publisher, Backends backends, RecentOrders recent, JsonMapper json,
                           DeadLetters deadLetters, InstanceStatuses instances) {
        this.publisher = publisher;
        this.deadLetters = deadLetters;
        this.instances = instances;
        this.json = json;
        this.saga = backends.saga();
        this.lookup = new OrderLookup(backends.viewLookup(), recent, json);
    }

    /**
     * {@code GET /admin/sagas?status=PAYING&olderThanMs=300000&limit=100}: the sagas in {@code status} for at least
     * {@code olderThanMs} ms, oldest first, at most {@code limit} (1 to 1000), as
     * {@code [{"orderId","customerId","status","total","createdAt","updatedAt","ageMs"}]} (pence, epoch ms, ms): order-saga-streams' answer relayed.
     * Each instance scans its own partitions of the saga store (about 1 to 2 s of one core per million sagas).
     *
     * @return the relayed answer: 200, 400 for a limit or age out of range, 503 with {@code Retry-After} while an
     *         instance's store is not queryable (a partial list would hide a stuck saga)
     * @throws ServiceUnavailableException 503 when no order-saga-streams instance answers
     */
    @Operation(summary = "Sagas in a status for at least olderThanMs, oldest first (admin)")
    @ApiResponse(responseCode = "200", description = "the sagas", content = @Content(mediaType = "application/json", array = @ArraySchema(schema = @Schema(implementation = SagaSummaryJson.class))))
    @ApiResponse(responseCode = "400", description = "an unknown status, or limit or olderThanMs out of range")
    @GetMapping("/sagas")
    public ResponseEntity<byte[]> sagas(@RequestParam OrderStatus status, @RequestParam(defaultValue = "0") long olderThanMs,
                                        @RequestParam(defaultValue = "100") int limit) {
        return saga.get("/sagas?status={status}&olderThanMs={olderThanMs}&limit={limit}", status, olderThanMs, limit);
    }

    /**
     * {@code GET /admin/sagas/stats?windowMs=60000}: the sagas in flight by status and age and the outcomes of the
     * last {@code windowMs} ms (1 to 3600000), over every instance: order-saga-streams' answer relayed.
     *
     * @throws ServiceUnavailableException 503 when no order-saga-streams instance answers
     */
    @Operation(summary = "Sagas in flight by status and age, outcomes over the last windowMs (admin)")
    @ApiResponse(responseCode = "200", description = "the figures")
    @ApiResponse(responseCode = "400", description = "windowMs out of range")
    @GetMapping("/sagas/stats")
    public ResponseEntity<byte[]> sagaStats(@RequestParam(defaultValue = "60000") long windowMs) {
        return saga.get("/sagas/stats?windowMs={windowMs}", windowMs);
    }

    /**
     * {@code POST /admin/orders/{orderId}/compensate}: ends a saga in flight with compensation (its reservations
     * released, a charge refunded), reason ADMIN_CANCELLED, recorded on order-events by the saga. Writes a
     * {@link CancelOrder} with admin true and requestedBy the operator's subject, keyed by orderId on
     * order-requests. The read model is read first: a terminal order answers 409; otherwise (in flight, not in the
     * read model yet, or it did not answer) the saga decides, and changes nothing for an order that has ended or
     * that it does not hold.
     *
     * @return 202 {@code {"orderId","status":"COMPENSATION_REQUESTED","detail"}} once the request is acknowledged
     * @throws ResponseStatusException     400 for an invalid orderId; 409 when the read model shows the order terminal
     * @throws ServiceUnavailableException 503 with {@code Retry-After} when the write is not acknowledged (a retry is
     *                                     safe: the saga compensates once)
     */
    @Operation(summary = "End a saga in flight with compensation, reason ADMIN_CANCELLED (admin)")
    @ApiResponse(responseCode = "202", description = "compensation requested", content = @Content(mediaType = "application/json", schema = @Schema(implementation = OrderController.CancelAnswer.class)))
    @ApiResponse(responseCode = "400", description = "an invalid orderId")
    @ApiResponse(responseCode = "409", description = "the order is terminal")
    @PostMapping("/orders/{orderId}/compensate")
    public ResponseEntity<OrderController.CancelAnswer> compensate(@PathVariable String orderId,
                                                                   Authentication authentication) {
        Requests.id("orderId", orderId);
        if (lookup.order(orderId) instanceof OrderLookup.Found found
                && OrderWaiters.isTerminal(OrderStatus.valueOf(found.status()))) {
            throw new ResponseStatusException(HttpStatus.CONFLICT,
                    "order " + orderId + " is " + found.status() + ": there is nothing to compensate");
        }
        publisher.publish(Topics.ORDER_REQUESTS, orderId,
                new OrderRequest(orderId, Instant.now(), new CancelOrder(Caller.of(authentication).subject(), true)),
                "A retry is safe: the saga compensates an order once.");
        return ResponseEntity.accepted().body(new OrderController.CancelAnswer(orderId, "COMPENSATION_REQUESTED",
                "compensation requested"));
    }

    /**
     * {@code GET /admin/dead-letters?application=inventory-streams&limit=50}: the newest records the application's
     * exception handlers dead-lettered ({@code <application>-dead-letters}, KIP-1034), newest first, at most
     * {@code limit} (1 to {@link DeadLetters#MAX_LIMIT}), each with its raw key and value and the headers naming its
     * source record and the exception.
     *
     * @throws ResponseStatusException     400 for an unknown application or a limit out of range
     * @throws ServiceUnavailableException 503 with {@code Retry-After} when the broker does not answer
     */
    @Operation(summary = "The newest dead-lettered records of a Streams application (admin)")
    @ApiResponse(responseCode = "200", description = "the records, newest first", content = @Content(mediaType = "application/json", array = @ArraySchema(schema = @Schema(implementation = DeadLetters.Letter.class))))
    @ApiResponse(responseCode = "400", description = "an unknown application, or limit out of range")
    @GetMapping("/dead-letters")
    public List<DeadLetters.Letter> deadLetters(@RequestParam String application,
                                                @RequestParam(defaultValue = "50") int limit) {
        try {
            return deadLetters.newest(application, limit);
        } catch (IllegalArgumentException e) {
            throw Requests.badRequest(e.getMessage());
        } catch (IllegalStateException e) {
            throw new ServiceUnavailableException(e.getMessage(), e);
        }
    }

    /**
     * {@code GET /admin/dead-letters/counts}: the committed records in each Streams application's dead-letter topic,
     * {@code {"inventory-streams":0,...}}, as the {@code ordersaga_dead_letters} gauges count them; an application
     * whose topic does not exist yet is missing.
     */
    @Operation(summary = "Dead-lettered records per Streams application (admin)")
    @ApiResponse(responseCode = "200", description = "the counts by application.id")
    @GetMapping("/dead-letters/counts")
    public Map<String, Long> deadLetterCounts() {
        return deadLetters.counts();
    }

    /**
     * {@code GET /admin/instances}: every instance of every Streams service as it tells its own state
     * ({@code GET /instance}: {@link InstanceJson}), in the order of the services' configured URLs; an instance that
     * does not answer within {@link ApiConfiguration#STATUS_TIMEOUT} (or answers an error) shows as
     * {@code {"application","instance":<its URL>,"state":"UNREACHABLE","failure"}}. Never 503: the page shows
     * what is down.
     */
    @Operation(summary = "Every Streams service instance's state, tasks and lag (admin)")
    @ApiResponse(responseCode = "200", description = "one entry per configured instance", content = @Content(mediaType = "application/json", array = @ArraySchema(schema = @Schema(implementation = InstanceJson.class))))
    @GetMapping("/instances")
    public List<JsonNode> instances() {
        List<JsonNode> all = new ArrayList<>();
        for (ServiceInstances service : instances.services()) {
            for (ServiceInstances.Answer answer : service.getEach("/instance")) {
                if (answer.response() != null && answer.response().getStatusCode().is2xxSuccessful()) {
                    all.add(json.readTree(answer.response().getBody()));
                } else {
                    String failure = answer.response() == null ? answer.failure()
                            : "answered HTTP " + answer.response().getStatusCode().value();
                    all.add(json.valueToTree(new InstanceJson(service.service(), answer.baseUrl(), "UNREACHABLE",
                            0, 0, -1, failure)));
                }
            }
        }
        return all;
    }
}
