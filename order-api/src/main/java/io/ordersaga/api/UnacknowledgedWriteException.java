package io.ordersaga.api;

import io.ordersaga.common.Topic;

/**
 * A write Kafka did not acknowledge in time: 503 with {@code Retry-After}, and an outcome the client cannot know.
 * The producer may time out a batch the broker has already appended (issue 11, finding 5), so the record may have
 * been written although the request failed. The detail says so, and {@link #advising} adds what a retry does.
 */
public final class UnacknowledgedWriteException extends ServiceUnavailableException {

    /**
     * @param topic the topic written to
     * @param cause why the acknowledgement did not come (a timeout, the broker or the registry unreachable)
     */
    public UnacknowledgedWriteException(Topic<?> topic, Throwable cause) {
        this("Kafka did not acknowledge the write to " + topic.name() + ": " + cause
                + ". The outcome is unknown: the record may have been written.", cause);
    }

    private UnacknowledgedWriteException(String detail, Throwable cause) {
        super(detail, cause);
    }

    /**
     * The same failure, its detail followed by {@code retry}.
     *
     * @param retry what a retry of the request does, for example from {@link IdempotencyKeys#retryAdvice}
     */
    public UnacknowledgedWriteException advising(String retry) {
        return new UnacknowledgedWriteException(getReason() + " " + retry, getCause());
    }
}
