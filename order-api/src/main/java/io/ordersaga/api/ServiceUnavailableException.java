package io.ordersaga.api;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * A 503 Service Unavailable that order-api answers itself (Kafka or a service behind it did not answer in time),
 * as {@code application/problem+json} with the reason as {@code detail} and a {@code Retry-After} header of
 * {@link #RETRY_AFTER_SECONDS} (RFC 9110, section 10.2.3). A 503 that a service behind order-api answered is
 * relayed as that service sent it, not through this class.
 */
public class ServiceUnavailableException extends ResponseStatusException {

    /**
     * The Retry-After of every 503 order-api answers, in seconds: a rebalance or a broker leader election usually
     * settles within seconds, and a client doubles its pause from there.
     */
    public static final long RETRY_AFTER_SECONDS = 1;

    private static final HttpHeaders HEADERS = HttpHeaders.readOnlyHttpHeaders(retryAfter());

    /**
     * @param detail what did not answer, the problem's {@code detail}
     * @param cause  the failure, or null
     */
    public ServiceUnavailableException(String detail, Throwable cause) {
        super(HttpStatus.SERVICE_UNAVAILABLE, detail, cause);
    }

    /** {@code Retry-After: 1}: the headers Spring MVC adds to the problem response. */
    @Override
    public HttpHeaders getHeaders() {
        return HEADERS;
    }

    private static HttpHeaders retryAfter() {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, Long.toString(RETRY_AFTER_SECONDS));
        return headers;
    }
}
