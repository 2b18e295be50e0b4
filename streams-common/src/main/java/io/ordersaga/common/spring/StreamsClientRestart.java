package io.ordersaga.common.spring;

import io.ordersaga.common.StreamThreadRecovery;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Restarts a service's Kafka Streams client that went to ERROR, after the back-off {@link StreamThreadRecovery}
 * gave its last failure: spring-kafka's factory closes the failed client and creates a new one from the same
 * topology, keeping the local state. A client goes to ERROR when its global thread fails (a {@code products}
 * record that cannot be read while the registry is unreachable, for example), because Kafka Streams cannot replace
 * that thread; with this, the saga recovers by itself once the cause is gone, as a stream thread does. While the
 * client is failed or restarting its health is DOWN ({@link StreamsHealth}).
 *
 * <p>The restart runs on a thread of its own (a client cannot be closed from its state listener's thread). Closing
 * this object cancels a restart not begun yet; Spring does so when the context closes.
 */
public final class StreamsClientRestart implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StreamsClientRestart.class);

    private final StreamThreadRecovery recovery;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "streams-client-restart");
        thread.setDaemon(true);
        return thread;
    });

    /** @param recovery the client's uncaught exception handler, whose last failure gives the back-off */
    public StreamsClientRestart(StreamThreadRecovery recovery) {
        this.recovery = recovery;
    }

    /**
     * To be called from the client's state listener: on ERROR, schedules a restart after the last failure's back-off
     * ({@value StreamThreadRecovery#INITIAL_BACKOFF_MS} ms when none is recorded). Other states are ignored.
     *
     * @param newState the client's new state
     * @param factory  spring-kafka's factory of the client, which the restart stops and starts
     */
    public void onStateChange(KafkaStreams.State newState, StreamsBuilderFactoryBean factory) {
        if (newState != KafkaStreams.State.ERROR || scheduler.isShutdown()) {
            return;
        }
        long backoffMs = recovery.degraded().map(StreamThreadRecovery.Failure::backoffMs)
                .orElse(StreamThreadRecovery.INITIAL_BACKOFF_MS);
        log.error("The Kafka Streams client failed: restarting it in {} ms", backoffMs);
        scheduler.schedule(() -> restart(factory), backoffMs, TimeUnit.MILLISECONDS);
    }

    /** Cancels a scheduled restart; one in progress finishes. Idempotent. */
    @Override
    public void close() {
        scheduler.shutdownNow();
    }

    private static void restart(StreamsBuilderFactoryBean factory) {
        try {
            factory.stop();
            factory.start();
        } catch (RuntimeException e) {
            log.error("Restarting the Kafka Streams client failed", e);
        }
    }
}
