package io.ordersaga.api;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.ordersaga.common.spring.InstanceBreakers;
import org.springframework.http.MediaType;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The instances of one service behind order-api, read round-robin. Any instance answers for any key (it forwards
 * to the owner), so a read goes to the next instance in turn, and on to the following ones only when an instance
 * cannot be reached; whatever an instance answers (any status) is relayed as is. An instance that keeps failing to
 * answer is skipped while its circuit breaker is open ({@link InstanceBreakers}), so a read does not wait for its
 * timeouts.
 */
public final class ServiceInstances {

    private final String service;
    private final List<String> baseUrls;
    private final RestClient http;
    private final InstanceBreakers breakers;
    private final AtomicInteger next = new AtomicInteger();

    /**
     * @param service  the service's name, for error details (for example {@code order-view-streams})
     * @param baseUrls base URLs of its instances, {@code http://host:port}, at least one
     * @param http     the client; its timeouts bound a read (a long poll lasts up to 30 s)
     * @param breakers the circuit breakers, one per base URL (shared by every ServiceInstances of order-api)
     * @throws IllegalArgumentException when baseUrls is empty
     */
    public ServiceInstances(String service, List<URI> baseUrls, RestClient http, InstanceBreakers breakers) {
        if (baseUrls.isEmpty()) {
            throw new IllegalArgumentException(service + " needs at least one instance URL");
        }
        this.service = service;
        this.baseUrls = baseUrls.stream().map(url -> url.toString().replaceAll("/+$", "")).toList();
        this.http = http;
        this.breakers = breakers;
    }

    /**
     * GETs {@code pathTemplate} (for example {@code /orders/{orderId}}) with its variables expanded and encoded,
     * from the next instance in turn, and relays the answer: status, content type, {@code Retry-After} (a 503 of a
     * service whose key has no owner during a rebalance carries one) and body.
     *
     * @throws ServiceUnavailableException 503 when no instance could be reached (connection refused, timed out, or
     *                                     skipped for its open circuit breaker)
     */
    public ResponseEntity<byte[]> get(String pathTemplate, Object... variables) {
        int first = Math.floorMod(next.getAndIncrement(), baseUrls.size());
        List<String> failures = new ArrayList<>(1);
        for (int i = 0; i < baseUrls.size(); i++) {
            Answer answer = ask(baseUrls.get((first + i) % baseUrls.size()), pathTemplate, variables);
            if (answer.response() != null) {
                return answer.response();
            }
            failures.add(answer.baseUrl() + ": " + answer.failure());
        }
        throw new ServiceUnavailableException("no " + service + " instance answered: " + String.join("; ", failures), null);
    }

    /**
     * One instance's answer to a GET, or why there is none.
     *
     * @param baseUrl  the instance, {@code http://host:port}
     * @param response its answer, relayable as is; null when it could not be reached
     * @param failure  why it could not be reached; null when it answered
     */
    public record Answer(String baseUrl, ResponseEntity<byte[]> response, String failure) {
    }

    /**
     * GETs {@code path} from every instance in turn (for figures each instance holds of itself), each through its
     * circuit breaker; never throws for an instance that cannot be reached: its {@link Answer} says why.
     */
    public List<Answer> getEach(String path) {
        return baseUrls.stream().map(base -> ask(base, path)).toList();
    }

    /** The service's name, as its Streams application.id (for example {@code order-view-streams}). */
    public String service() {
        return service;
    }

    private Answer ask(String base, String pathTemplate, Object... variables) {
        try {
            return new Answer(base, breakers.call(base, () -> http.get().uri(base + pathTemplate, variables).exchange((request, response) -> {
                MediaType contentType = response.getHeaders().getContentType();
                ResponseEntity.BodyBuilder relayed = ResponseEntity.status(response.getStatusCode());
                if (contentType != null) {
                    relayed.contentType(contentType);
                }
                String retryAfter = response.getHeaders().getFirst(HttpHeaders.RETRY_AFTER);
                if (retryAfter != null) {
                    relayed.header(HttpHeaders.RETRY_AFTER, retryAfter);
                }
                return relayed.body(response.getBody().readAllBytes());
            })), null);
        } catch (CallNotPermittedException e) {
            return new Answer(base, null, "not asked, its circuit breaker is open after repeated failures");
        } catch (ResourceAccessException e) {
            return new Answer(base, null, e.getMessage());
        }
    }
}
