package io.ordersaga.common.spring;

import io.ordersaga.common.SkippedGlobalRecords;
import io.ordersaga.common.StreamThreadRecovery;
import org.apache.kafka.streams.KafkaStreams;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

/**
 * The health of a service's Kafka Streams client, as Actuator's {@code /actuator/health} shows it:
 * <ul>
 *   <li>{@code DOWN} when the client is not created, stopped, or failed (state ERROR, NOT_RUNNING, PENDING_*);</li>
 *   <li>{@link #DEGRADED} while it runs but a stream thread failed within the last
 *       {@value StreamThreadRecovery#HEALTHY_PERIOD_MS} ms and is being replaced ({@link StreamThreadRecovery}):
 *       records are not being processed, typically because the registry is unreachable;</li>
 *   <li>{@code UP} while it runs or rebalances with no recent failure.</li>
 * </ul>
 * Details: {@code state} (the client's state), {@code lastThreadFailure} (when degraded) and
 * {@code skippedGlobalRecords} ({@link SkippedGlobalRecords#count}).
 *
 * @param factory       spring-kafka's factory of the client
 * @param recovery      the client's uncaught exception handler
 * @param applicationId the Streams application.id, for {@link SkippedGlobalRecords#count}
 */
public record StreamsHealth(StreamsBuilderFactoryBean factory, StreamThreadRecovery recovery, String applicationId)
        implements HealthIndicator {

    /**
     * Running, but not processing: a stream thread is failing and being replaced. Ranked between OUT_OF_SERVICE
     * and UP and answered with HTTP 503 ({@link StreamsServiceConfiguration}).
     */
    public static final Status DEGRADED = new Status("DEGRADED", "a stream thread is failing and being replaced");

    /** DOWN, DEGRADED or UP, as the type's documentation says. */
    @Override
    public Health health() {
        KafkaStreams streams = factory.getKafkaStreams();
        if (streams == null) {
            return Health.down().withDetail("state", "NOT_CREATED").build();
        }
        KafkaStreams.State state = streams.state();
        var failure = recovery.degraded();
        Health.Builder health = !state.isRunningOrRebalancing() ? Health.down()
                : failure.isPresent() ? Health.status(DEGRADED) : Health.up();
        failure.ifPresent(f -> health.withDetail("lastThreadFailure", f));
        return health.withDetail("state", state.name())
                .withDetail("skippedGlobalRecords", SkippedGlobalRecords.count(applicationId))
                .build();
    }
}
