package io.ordersaga.view;

import io.ordersaga.common.EventSerdes;
import io.ordersaga.common.Topics;
import io.ordersaga.events.OrderEvent;
import io.ordersaga.events.OrderLine;
import io.ordersaga.events.OrderStatus;
import io.ordersaga.localstack.LocalStack;
import io.ordersaga.localstack.LocalStackExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.util.FileSystemUtils;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A poison record on {@code order-events} (a value with a bad magic byte, under the key of an order the view already
 * holds) is skipped by order-view-streams when it processes it, and stays skipped when the instance rebuilds its
 * stores from Kafka: the order keeps answering its last good snapshot. On the real broker and registry
 * ({@link LocalStack}), with one view instance of an application.id of its own ({@link #APPLICATION_ID}: its own
 * consumer group, internal topics and dead-letter topic), started, stopped, its state directory deleted, and started
 * again.
 *
 * <p>Time budget: about 40 s on a 2-core machine (the local stack's start, then two starts of the view); it fails
 * after at most {@link #START_TIMEOUT} per start and per wait.
 */
@ExtendWith(LocalStackExtension.class)
class OrderViewRestoreIntegrationTest {

    /** The view instance's application.id. */
    private static final String APPLICATION_ID = "order-view-restore-test";

    /** Longest wait for a start of the view (RUNNING, its stores restored) and for its commit past the poison. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path stateDir;

    @Test
    void aSkippedPoisonRecordStaysSkippedAfterTheStoresAreRestored(LocalStack stack) throws Exception {
        String orderId = "o-poisoned-" + UUID.randomUUID();
        int port = freePort();
        RecordMetadata poison;
        try (ConfigurableApplicationContext view = start(stack, port)) {
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                    new StringSerializer(), new ByteArraySerializer())) {
                send(producer, orderId, Topics.ORDER_EVENTS.valueSerde(EventSerdes.registry(stack.registryUrl()))
                        .serializer().serialize(Topics.ORDER_EVENTS.name(), reserving(orderId)));
                // The Confluent wire format starts with magic byte 0: with 0x7F the deserializer refuses the record.
                poison = send(producer, orderId, new byte[] {0x7F, 0, 0, 0, 1, 2, 3});
            }
            awaitCommittedPast(stack, poison);
            assertThat(get(port, orderId)).as("GET /orders/%s once the poison was processed", orderId)
                    .satisfies(this::isTheReservingSnapshot);
        }

        FileSystemUtils.deleteRecursively(stateDir);
        try (ConfigurableApplicationContext restored = start(stack, port)) {
            assertThat(get(port, orderId)).as("GET /orders/%s after the stores were restored from Kafka", orderId)
                    .satisfies(this::isTheReservingSnapshot);
        }
    }

    private void isTheReservingSnapshot(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\":\"RESERVING\"");
    }

    /** Starts the view on {@code port} with {@link #stateDir} and waits until its Streams client is RUNNING. */
    private ConfigurableApplicationContext start(LocalStack stack, int port) {
        ConfigurableApplicationContext view = OrderViewApplication.application().run(
                "--spring.application.name=" + APPLICATION_ID, "--server.address=127.0.0.1", "--server.port=" + port,
                "--spring.kafka.bootstrap-servers=" + stack.bootstrapServers(),
                "--ordersaga.registry-url=" + stack.registryUrl(), "--ordersaga.state-dir=" + stateDir,
                "--spring.main.banner-mode=off", "--logging.level.root=WARN");
        StreamsBuilderFactoryBean streams = view.getBean(StreamsBuilderFactoryBean.class);
        await("view RUNNING").atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(50)).until(() ->
                streams.getKafkaStreams() != null && streams.getKafkaStreams().state() == KafkaStreams.State.RUNNING);
        return view;
    }

    /** Waits until the view's consumer group has committed an offset past {@code record}: it processed it. */
    private static void awaitCommittedPast(LocalStack stack, RecordMetadata record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            await("the view committed past offset " + record.offset() + " of " + partition).atMost(START_TIMEOUT)
                    .pollInterval(Duration.ofMillis(100)).until(() -> {
                        OffsetAndMetadata committed = admin.listConsumerGroupOffsets(APPLICATION_ID)
                                .partitionsToOffsetAndMetadata().get().get(partition);
                        return committed != null && committed.offset() > record.offset();
                    });
        }
    }

    private static OrderEvent reserving(String orderId) {
        Instant now = Instant.now();
        return new OrderEvent(orderId, "17850", OrderStatus.RESERVING, null, null,
                List.of(new OrderLine("85123A", "WHITE HANGING HEART T-LIGHT HOLDER", 1, 295L, 295L)), 295L, "GBP", now, now);
    }

    private static RecordMetadata send(KafkaProducer<String, byte[]> producer, String key, byte[] value) throws Exception {
        return producer.send(new ProducerRecord<>(Topics.ORDER_EVENTS.name(), key, value)).get();
    }

    private static HttpResponse<String> get(int port, String orderId) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/orders/" + orderId))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
