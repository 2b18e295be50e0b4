package io.ordersaga.demo;

/**
 * The demo cannot go on: order-api unreachable or answering unexpectedly, data not visible before a deadline,
 * a stack that already holds this workload's data, an unreadable CSV. {@link Demo#run} prints the message and
 * exits with code 2.
 */
public final class DemoException extends RuntimeException {

    /**
     * A failure without an underlying exception.
     *
     * @param message one line saying what failed and, where known, what to do
     */
    public DemoException(String message) {
        super(message);
    }

    /**
     * A failure caused by another exception.
     *
     * @param message one line saying what failed
     * @param cause   the underlying failure
     */
    public DemoException(String message, Throwable cause) {
        super(message, cause);
    }
}
