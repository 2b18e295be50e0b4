package io.ordersaga.launcher;

import io.ordersaga.common.SkippedGlobalRecords;
import io.ordersaga.common.StreamThreadRecovery;
import io.ordersaga.common.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A poison record on {@code products}, the topic of the saga's global catalog store, written straight to the real
 * broker (bytes that are not the Confluent wire format): order-saga-streams skips and counts it, keeps RUNNING, and
 * applies the next good product. Kafka Streams 4.2.1 would dead-letter it from the global thread and fail with
 * ClassCastException (KAFKA-19939), taking the saga service to ERROR.
 */
@ExtendWith(RunningSystem.class)
class PoisonProductEndToEndTest {

    @Test
    void aPoisonProductIsSkippedAndCountedAndTheSagaKeepsApplyingTheCatalog(RunningSystem system) throws Exception {
        TestData data = system.data();
        String before = data.product(250, 0);
        String applicationId = Service.SAGA.applicationName();
        long skippedBefore = SkippedGlobalRecords.count(applicationId);

        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, system.stack().bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.PRODUCTS.name(), TestData.id("POISON"), new byte[] {42, 1, 2, 3, 4, 5}))
                    .get(30, TimeUnit.SECONDS);
        }
        String after = data.product(375, 5);

        TestData.await("saga client RUNNING (an earlier class may have restarted it)",
                () -> system.cluster().first(Service.SAGA).streams().state() == KafkaStreams.State.RUNNING);
        assertThat(SkippedGlobalRecords.count(applicationId)).isEqualTo(skippedBefore + 1);
        assertThat(system.api().product(after).orElseThrow().unitPrice()).isEqualTo(375);
        assertThat(system.api().product(before)).isPresent();
        String customerId = data.customer(1_000);
        String orderId = data.place(customerId, after, 2);
        assertThat(data.awaitTerminal(orderId).status()).isEqualTo("CONFIRMED");
        // The stack is shared by the test classes: an earlier class's outage may keep the saga DEGRADED for up to
        // StreamThreadRecovery.HEALTHY_PERIOD_MS after it ended; a poison record that failed a thread would fail it
        // again on every retry and keep it DEGRADED for ever.
        Awaitility.await("saga health UP").atMost(Duration.ofMillis(StreamThreadRecovery.HEALTHY_PERIOD_MS + 30_000))
                .pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> TestData.getFrom(system.cluster().first(Service.SAGA).url(), "/actuator/health")
                        .body().path("status").asString().equals("UP"));
    }
}
