package io.ordersaga.common.spring;

import io.ordersaga.common.StreamThreadRecovery;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** {@link StreamsHealth}: UP only while the client runs and no stream thread failed recently. */
class StreamsHealthTest {

    private final AtomicLong nowMs = new AtomicLong(1_000_000);
    private final StreamThreadRecovery recovery = new StreamThreadRecovery(nowMs::get, nowMs::addAndGet);
    private final StreamsBuilderFactoryBean factory = mock(StreamsBuilderFactoryBean.class);
    private final KafkaStreams streams = mock(KafkaStreams.class);
    private final StreamsHealth health = new StreamsHealth(factory, recovery, "app");

    @Test
    void upWhileRunning() {
        running(KafkaStreams.State.RUNNING);
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        running(KafkaStreams.State.REBALANCING);
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void degradedWhileAStreamThreadIsFailingAndBeingReplaced() {
        running(KafkaStreams.State.RUNNING);
        recovery.handle(new IllegalStateException("registry unreachable"));
        var degraded = health.health();
        assertThat(degraded.getStatus()).isEqualTo(StreamsHealth.DEGRADED);
        assertThat(degraded.getDetails()).containsEntry("state", "RUNNING").containsKey("lastThreadFailure");
        nowMs.addAndGet(StreamThreadRecovery.HEALTHY_PERIOD_MS + 1);
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void downWhenStoppedFailedOrNotCreated() {
        assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
        running(KafkaStreams.State.ERROR);
        assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
        running(KafkaStreams.State.NOT_RUNNING);
        assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
    }

    private void running(KafkaStreams.State state) {
        when(factory.getKafkaStreams()).thenReturn(streams);
        when(streams.state()).thenReturn(state);
    }
}
