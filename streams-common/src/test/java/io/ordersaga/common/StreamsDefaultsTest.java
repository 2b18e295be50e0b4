package io.ordersaga.common;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The failover settings of {@link StreamsDefaults}, as Kafka Streams itself reads them. */
class StreamsDefaultsTest {

    /** The lowest session timeout a broker with Kafka's defaults accepts ({@code group.min.session.timeout.ms}). */
    private static final int BROKER_MIN_SESSION_TIMEOUT_MS = 6_000;

    private final StreamsConfig config = new StreamsConfig(StreamsDefaults.properties("app", "unused:9092", "/tmp/state",
            "127.0.0.1:8082", 1, StreamsDefaults.COMMIT_INTERVAL_MS));

    @Test
    void oneStandbyReplicaAndAnExplicitRecoveryLag() {
        assertThat(config.getInt(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG)).isEqualTo(1);
        assertThat(config.getLong(StreamsConfig.ACCEPTABLE_RECOVERY_LAG_CONFIG)).isEqualTo(10_000L);
    }

    @Test
    void theGroupNoticesADeadInstanceWithinTheSessionTimeoutABrokerAcceptsByDefault() {
        var consumer = config.getMainConsumerConfigs("app", "app-client", 0);
        assertThat(consumer.get(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG)).isEqualTo(BROKER_MIN_SESSION_TIMEOUT_MS);
        assertThat((Integer) consumer.get(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG))
                .isLessThanOrEqualTo(BROKER_MIN_SESSION_TIMEOUT_MS / 3);
    }
}
