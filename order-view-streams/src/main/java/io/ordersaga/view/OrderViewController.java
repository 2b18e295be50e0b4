package io.ordersaga.view;

import io.ordersaga.common.json.CustomerOrdersJson;
import io.ordersaga.common.orders.OrderWaiters;
import io.ordersaga.common.orders.OrderJson;
import io.ordersaga.common.spring.StoreQueries;
import io.ordersaga.events.CustomerOrders;
import io.ordersaga.events.OrderEvent;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import java.net.URI;
import java.util.concurrent.TimeUnit;

/**
 * The read model over HTTP, by interactive queries: any instance answers for any key, forwarding to the instance
 * that owns the key's partition ({@link StoreQueries#route}). Errors are {@code application/problem+json}.
 */
@RestController
public class OrderViewController {

    private final StoreQueries queries;
    private final OrderWaiters waiters;

    /**
     * @param queries interactive-query routing over this instance's stores
     * @param waiters long polls of this instance, woken after each update of its orders table
     */
    public OrderViewController(StoreQueries queries, OrderWaiters waiters) {
        this.queries = queries;
        this.waiters = waiters;
    }

    /**
     * {@code GET /orders/{orderId}[?waitMs=N]}: the order's latest snapshot ({@link OrderJson}). With waitMs > 0,
     * a long poll at the owning instance (the forwarded request keeps its query string): answers as soon as the
     * order is terminal, or after waitMs with its latest snapshot; an unknown order is waited for too. After every
     * read (a wake-up, or at least every {@link OrderWaiters#RECHECK_MS}) the poll checks who owns the order's
     * partition; when another instance does (a rebalance moved it), the request goes on there with the wait that is
     * left ({@link StoreQueries.KeyMovedException}). 404 only while this instance owns the partition: an order not
     * found here while no owner is known is a 503, so a moved order is never answered 404 from here.
     *
     * @param waitMs longest wait in ms, default 0, capped at {@link OrderWaiters#MAX_WAIT_MS}
     * @return the order, or 404 {@code application/problem+json} when it is unknown (after waiting, with this instance
     *         owning its partition)
     * @throws ResponseStatusException 400 when waitMs is negative (or not a number), 503 with
     *                                 {@code Retry-After} while no instance can answer for the key (rebalancing;
     *                                 {@link StoreQueries.UnavailableException})
     */
    @GetMapping("/orders/{orderId}")
    public ResponseEntity<?> order(@PathVariable String orderId, @RequestParam(defaultValue = "0") long waitMs,
                                   HttpServletRequest request) {
        if (waitMs < 0) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "waitMs must be >= 0 ms, was " + waitMs);
        }
        long cappedWaitMs = Math.min(waitMs, OrderWaiters.MAX_WAIT_MS);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(cappedWaitMs);
        return queries.route(OrderViewTopology.ORDERS, orderId, request, () -> {
            OrderEvent order = waiters.awaitTerminal(orderId, cappedWaitMs, id -> {
                OrderEvent read = queries.get(OrderViewTopology.ORDERS, id);
                // After the read: a read that raced the partition's move away finds it gone, and this says why.
                // While no owner is known (mid-rebalance) the poll goes on here and checks again at the next read.
                if (queries.ownership(OrderViewTopology.ORDERS, id) == StoreQueries.Ownership.ELSEWHERE) {
                    throw moved(id, deadline);
                }
                return read;
            });
            if (order != null) {
                return ResponseEntity.ok(OrderJson.of(order));
            }
            return switch (queries.ownership(OrderViewTopology.ORDERS, orderId)) {
                // Answered, not thrown: order-api asks about every order before placing it, and a thrown exception
                // (its stack trace, Spring's exception resolution) costs more CPU than the rest of the lookup.
                case HERE -> unknown(orderId, request);
                case ELSEWHERE -> throw moved(orderId, deadline);
                case UNKNOWN -> throw new StoreQueries.UnavailableException("order " + orderId
                        + " is not in this instance's store and no instance is known to own it now (rebalancing)");
            };
        });
    }

    /** 404 {@code application/problem+json}, as Spring answers a ResponseStatusException: the order is unknown here. */
    private static ResponseEntity<ProblemDetail> unknown(String orderId, HttpServletRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "order " + orderId + " is unknown");
        problem.setInstance(URI.create(request.getRequestURI()));
        return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    /** The order's partition moved to another instance: go on there with the wait left until {@code deadline}. */
    private static StoreQueries.KeyMovedException moved(String orderId, long deadlineNanos) {
        long leftMs = Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
        return new StoreQueries.KeyMovedException(OrderViewTopology.ORDERS.name(), orderId, "waitMs=" + leftMs);
    }

    /**
     * {@code GET /customers/{customerId}/orders}: the customer's orders, newest first ({@link CustomerOrdersJson});
     * an empty list for a customer with no order. The per-customer listing is updated when an order is placed and
     * when it ends ({@link OrderViewTopology}): an order being paid is listed as RESERVING, and
     * {@code GET /orders/{orderId}} has its current status.
     *
     * @throws ResponseStatusException 503 with {@code Retry-After} while no instance can answer for the key
     *                                 (rebalancing; {@link StoreQueries.UnavailableException})
     */
    @GetMapping("/customers/{customerId}/orders")
    public ResponseEntity<?> customerOrders(@PathVariable String customerId, HttpServletRequest request) {
        return queries.route(OrderViewTopology.CUSTOMER_ORDERS, customerId, request, () -> {
            CustomerOrders index = queries.get(OrderViewTopology.CUSTOMER_ORDERS, customerId);
            return ResponseEntity.ok(CustomerOrdersJson.of(customerId, index));
        });
    }
}
