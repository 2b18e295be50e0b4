package io.ordersaga.common.spring;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.web.client.ResourceAccessException;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * One circuit breaker (Resilience4j) per service instance a request is relayed or forwarded to, named by its
 * address ({@code http://host:port} or {@code host:port}): an instance that keeps failing to answer is not asked
 * for {@link #OPEN_FOR}, so a request goes at once to another instance or fails fast with 503, instead of each
 * waiting for its own connect or read timeout. Only I/O failures count ({@link ResourceAccessException}: refused,
 * timed out); any HTTP answer, a 5xx included, is the instance answering.
 *
 * <p>A breaker opens when at least {@value #FAILURE_RATE_PERCENT}% of the last {@value #WINDOW_CALLS} calls
 * failed (after at least {@value #MINIMUM_CALLS}), stays open {@link #OPEN_FOR}, then lets
 * {@value #TRIAL_CALLS} trial calls through and closes when they succeed. Its state is a metric,
 * {@code resilience4j_circuitbreaker_state{name,state}}, with the calls by outcome.
 */
public final class InstanceBreakers {

    /** Calls in the sliding window a breaker judges an instance by. */
    public static final int WINDOW_CALLS = 10;

    /** Calls a breaker needs in its window before it may open. */
    public static final int MINIMUM_CALLS = 5;

    /** Share of failed calls in the window that opens a breaker, in percent. */
    public static final int FAILURE_RATE_PERCENT = 50;

    /** Calls let through, once the breaker has been open {@link #OPEN_FOR}, to see whether the instance is back. */
    public static final int TRIAL_CALLS = 2;

    /** How long an open breaker refuses calls: 5 s, about the time a restarted instance needs to answer again. */
    public static final Duration OPEN_FOR = Duration.ofSeconds(5);

    private final CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
            .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
            .slidingWindowSize(WINDOW_CALLS).minimumNumberOfCalls(MINIMUM_CALLS)
            .failureRateThreshold(FAILURE_RATE_PERCENT).waitDurationInOpenState(OPEN_FOR)
            .permittedNumberOfCallsInHalfOpenState(TRIAL_CALLS)
            .recordException(e -> e instanceof ResourceAccessException)
            .build());

    /**
     * Breakers whose states and calls are published to {@code meters}.
     *
     * @param meters the service's meter registry
     */
    public InstanceBreakers(MeterRegistry meters) {
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry).bindTo(meters);
    }

    /**
     * Makes {@code call} to {@code instance} through its breaker.
     *
     * @param instance the instance's address, the breaker's name
     * @param call     the request; an I/O failure is a {@link ResourceAccessException}
     * @return what {@code call} returned
     * @throws CallNotPermittedException when the instance's breaker is open: {@code call} was not made
     * @throws ResourceAccessException   when the call failed to reach the instance (counted against it)
     */
    public <T> T call(String instance, Supplier<T> call) {
        return registry.circuitBreaker(instance).executeSupplier(call);
    }
}
