package io.ordersaga.view;

import io.ordersaga.common.orders.OrderWaiters;
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
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * order-view-streams on the real broker and registry ({@link LocalStack}), with snapshots written straight to
 * {@code order-events} (no saga): what only a real Streams client shows, a store restored from Kafka and partitions
 * moving between instances. Each test runs instances of an application.id of its own (their own consumer group,
 * internal topics and dead-letter topic), on free ports, with state under a temporary directory.
 *
 * <p>Time budget: about 60 s for the class on a 2-core machine (the local stack's start, then four starts of the
 * view); each start and each wait fails after at most {@link #START_TIMEOUT}.
 */
@ExtendWith(LocalStackExtension.class)
class OrderViewIntegrationTest {

    /** Longest wait for a start of the view (RUNNING, its stores restored) and for any other condition. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path stateRoot;

    /**
     * A poison record (a value with a bad magic byte, under the key of an order the view already holds) is skipped
     * when processed, and stays skipped when the instance rebuilds its stores from Kafka after its state directory
     * was deleted: the order keeps answering its last good snapshot.
     */
    @Test
    void aSkippedPoisonRecordStaysSkippedAfterTheStoresAreRestored(LocalStack stack) throws Exception {
        String applicationId = "order-view-restore-test";
        Path stateDir = stateRoot.resolve(applicationId);
        String orderId = "o-poisoned-" + UUID.randomUUID();
        int port = freePort();
        try (ConfigurableApplicationContext view = start(stack, applicationId, port, stateDir)) {
            RecordMetadata poison;
            try (KafkaProducer<String, byte[]> producer = producer(stack)) {
                send(producer, serializer(stack), snapshot(orderId, OrderStatus.RESERVING));
                // The Confluent wire format starts with magic byte 0: with 0x7F the deserializer refuses the record.
                poison = producer.send(new ProducerRecord<>(Topics.ORDER_EVENTS.name(), orderId,
                        new byte[] {0x7F, 0, 0, 0, 1, 2, 3})).get();
            }
            awaitCommittedPast(stack, applicationId, poison);
            assertThat(get(port, orderId, 0)).as("GET /orders/%s once the poison was processed", orderId)
                    .satisfies(response -> hasStatus(response, OrderStatus.RESERVING));
        }

        FileSystemUtils.deleteRecursively(stateDir);
        try (ConfigurableApplicationContext restored = start(stack, applicationId, port, stateDir)) {
            assertThat(get(port, orderId, 0)).as("GET /orders/%s after the stores were restored from Kafka", orderId)
                    .satisfies(response -> hasStatus(response, OrderStatus.RESERVING));
        }
    }

    /**
     * Long polls waiting at instance A on in-flight orders, while a second instance B joins and takes some of the
     * orders' partitions: once the orders are CONFIRMED, every poll answers CONFIRMED, the moved ones from B (the
     * poll noticed the move and went on there), well before their 30 s wait ends.
     */
    @Test
    void longPollsWhoseOrdersMoveToAJoiningInstanceAnswerFromTheNewOwner(LocalStack stack) throws Exception {
        String applicationId = "order-view-rebalance-test";
        List<String> orderIds = IntStream.range(0, 24).mapToObj(i -> "o-moving-" + UUID.randomUUID()).toList();
        int portA = freePort();
        int portB = freePort();
        Serializer<OrderEvent> serializer = serializer(stack);
        try (ConfigurableApplicationContext a = start(stack, applicationId, portA, stateRoot.resolve("a"));
             KafkaProducer<String, byte[]> producer = producer(stack)) {
            for (String orderId : orderIds) {
                send(producer, serializer, snapshot(orderId, OrderStatus.RESERVING));
            }
            await("every order in A's store").atMost(START_TIMEOUT).until(() -> orderIds.stream()
                    .allMatch(orderId -> get(portA, orderId, 0).statusCode() == 200));
            Map<String, CompletableFuture<HttpResponse<String>>> polls = new LinkedHashMap<>();
            orderIds.forEach(orderId -> polls.put(orderId, HTTP.sendAsync(request(portA, orderId, OrderWaiters.MAX_WAIT_MS),
                    HttpResponse.BodyHandlers.ofString())));
            long pollsStarted = System.nanoTime();

            try (ConfigurableApplicationContext b = start(stack, applicationId, portB, stateRoot.resolve("b"))) {
                KafkaStreams streamsA = streams(a);
                KafkaStreams streamsB = streams(b);
                await("partitions shared by A and B").atMost(START_TIMEOUT).until(() ->
                        streamsA.state() == KafkaStreams.State.RUNNING && streamsB.state() == KafkaStreams.State.RUNNING
                                && streamsB.metadataForLocalThreads().stream().anyMatch(t -> !t.activeTasks().isEmpty()));
                List<String> moved = orderIds.stream().filter(orderId -> streamsA.queryMetadataForKey(
                        OrderViewTopology.ORDERS.name(), orderId, Serdes.String().serializer()).activeHost().port() == portB).toList();
                assertThat(moved).as("orders whose partition moved to B").isNotEmpty();
                assertThat(polls.values()).as("polls still waiting when the orders end").noneMatch(CompletableFuture::isDone);

                for (String orderId : orderIds) {
                    send(producer, serializer, snapshot(orderId, OrderStatus.CONFIRMED));
                }
                long waitLeftMs = OrderWaiters.MAX_WAIT_MS - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - pollsStarted);
                for (Map.Entry<String, CompletableFuture<HttpResponse<String>>> poll : polls.entrySet()) {
                    // Before their wait ends: a poll left waiting at A would answer its last read, RESERVING, at 30 s.
                    HttpResponse<String> answer = poll.getValue().get(waitLeftMs, TimeUnit.MILLISECONDS);
                    assertThat(answer).as("long poll on %s (moved to B: %s)", poll.getKey(), moved.contains(poll.getKey()))
                            .satisfies(response -> hasStatus(response, OrderStatus.CONFIRMED));
                }
            }
        }
    }

    private static void hasStatus(HttpResponse<String> response, OrderStatus status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\":\"" + status + "\"");
    }

    /** Starts a view instance and waits until its Streams client is RUNNING (its stores restored). */
    private static ConfigurableApplicationContext start(LocalStack stack, String applicationId, int port, Path stateDir) {
        ConfigurableApplicationContext view = OrderViewApplication.application().run(
                "--spring.application.name=" + applicationId, "--server.address=127.0.0.1", "--server.port=" + port,
                "--spring.kafka.bootstrap-servers=" + stack.bootstrapServers(),
                "--ordersaga.registry-url=" + stack.registryUrl(), "--ordersaga.state-dir=" + stateDir,
                "--spring.main.banner-mode=off", "--logging.level.root=WARN");
        await("view on port " + port + " RUNNING").atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(50)).until(() ->
                streams(view) != null && streams(view).state() == KafkaStreams.State.RUNNING);
        return view;
    }

    private static KafkaStreams streams(ConfigurableApplicationContext view) {
        return view.getBean(StreamsBuilderFactoryBean.class).getKafkaStreams();
    }

    /** Waits until the consumer group {@code applicationId} has committed an offset past {@code record}. */
    private static void awaitCommittedPast(LocalStack stack, String applicationId, RecordMetadata record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            await("the view committed past offset " + record.offset() + " of " + partition).atMost(START_TIMEOUT)
                    .pollInterval(Duration.ofMillis(100)).until(() -> {
                        OffsetAndMetadata committed = admin.listConsumerGroupOffsets(applicationId)
                                .partitionsToOffsetAndMetadata().get().get(partition);
                        return committed != null && committed.offset() > record.offset();
                    });
        }
    }

    private static OrderEvent snapshot(String orderId, OrderStatus status) {
        Instant now = Instant.now();
        return new OrderEvent(orderId, "17850", status, null, null,
                List.of(new OrderLine("85123A", "WHITE HANGING HEART T-LIGHT HOLDER", 1, 295L, 295L)), 295L, "GBP", now, now);
    }

    private static KafkaProducer<String, byte[]> producer(LocalStack stack) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    /** The registry-backed serializer of order-events values, as the saga writes them. */
    private static Serializer<OrderEvent> serializer(LocalStack stack) {
        return Topics.ORDER_EVENTS.valueSerde(EventSerdes.registry(stack.registryUrl())).serializer();
    }

    /** Writes {@code event} to order-events under its orderId, as the saga does, and waits for the broker's ack. */
    private static void send(KafkaProducer<String, byte[]> producer, Serializer<OrderEvent> serializer, OrderEvent event)
            throws Exception {
        producer.send(new ProducerRecord<>(Topics.ORDER_EVENTS.name(), event.getOrderId(),
                serializer.serialize(Topics.ORDER_EVENTS.name(), event))).get();
    }

    private static HttpRequest request(int port, String orderId, long waitMs) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/orders/" + orderId + "?waitMs=" + waitMs))
                .timeout(Duration.ofMillis(waitMs).plusSeconds(10)).build();
    }

    private static HttpResponse<String> get(int port, String orderId, long waitMs) {
        return HTTP.sendAsync(request(port, orderId, waitMs), HttpResponse.BodyHandlers.ofString()).join();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
