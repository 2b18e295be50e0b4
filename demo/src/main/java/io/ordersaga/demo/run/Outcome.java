package io.ordersaga.demo.run;

import io.ordersaga.demo.client.OrderApi;
import io.ordersaga.demo.workload.Workload;

/** How one order of the workload ended, as the demo saw it from the outside. */
public sealed interface Outcome {

    /** The order as sent. */
    Workload.Order order();

    /**
     * Accepted, and the long poll returned a terminal state (CONFIRMED, CANCELLED or REJECTED).
     *
     * @param order           the order
     * @param orderId         the id order-api gave it
     * @param view            the terminal order the long poll returned
     * @param submittedMicros when its POST was sent, in microseconds since the replay started
     * @param latencyMicros   POST sent to terminal state received, in microseconds
     */
    public record Terminal(Workload.Order order, String orderId, OrderApi.OrderView view, long submittedMicros,
                           long latencyMicros) implements Outcome {
    }

    /**
     * order-api refused the order.
     *
     * @param order  the order
     * @param status the HTTP status (400 for invalid input)
     * @param detail the problem's detail
     */
    public record Refused(Workload.Order order, int status, String detail) implements Outcome {
    }

    /**
     * {@code POST /orders} got no answer even after the retries: the order may or may not exist.
     *
     * @param order the order
     * @param error what went wrong
     */
    public record Unanswered(Workload.Order order, String error) implements Outcome {
    }

    /**
     * Accepted, but no terminal state was seen before the per-order deadline.
     *
     * @param order    the order
     * @param orderId  the id order-api gave it
     * @param lastSeen what the last poll showed
     */
    public record Unfinished(Workload.Order order, String orderId, String lastSeen) implements Outcome {
    }
}
