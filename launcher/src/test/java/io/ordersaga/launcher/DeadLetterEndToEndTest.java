package io.ordersaga.launcher;

import io.ordersaga.common.Topic;
import io.ordersaga.common.Topics;
import io.ordersaga.demo.client.OrderApi;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.ordersaga.launcher.TestData.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A poison record (a value that is not the registry's wire format: its first byte is not the magic byte 0) written
 * straight to the real broker on every input topic of every Streams application: each lands in its application's
 * dead-letter topic ({@code <application>-dead-letters}) with Kafka Streams' KIP-1034 headers (exception, topic,
 * partition, offset), and the next good records on those topics are processed: an order placed afterwards, which
 * crosses every one of them, is CONFIRMED and read back from the read model. (The global {@code products} topic is
 * {@link PoisonProductEndToEndTest}'s.) Budget: about 15 s on the shared stack.
 */
@ExtendWith(RunningSystem.class)
class DeadLetterEndToEndTest {

    private static final byte[] POISON = {42, 1, 2, 3, 4, 5};

    /** Each application's input topics (the saga's global catalog aside). */
    private static final Map<Service, List<Topic<?>>> INPUTS = Map.of(
            Service.SAGA, List.of(Topics.ORDER_REQUESTS, Topics.INVENTORY_REPLIES, Topics.PAYMENT_REPLIES),
            Service.INVENTORY, List.of(Topics.INVENTORY_COMMANDS),
            Service.PAYMENT, List.of(Topics.PAYMENT_COMMANDS, Topics.PAYMENT_SETTLEMENTS),
            Service.VIEW, List.of(Topics.ORDER_EVENTS));

    @Test
    void poisonOnEveryInputTopicIsDeadLetteredAndTheNextRecordsAreProcessed(RunningSystem system) throws Exception {
        String bootstrap = system.stack().bootstrapServers();
        String key = TestData.id("poison");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(), new ByteArraySerializer())) {
            for (List<Topic<?>> topics : INPUTS.values()) {
                for (Topic<?> topic : topics) {
                    producer.send(new ProducerRecord<>(topic.name(), key, POISON)).get(30, TimeUnit.SECONDS);
                }
            }
        }

        TestData data = system.data();
        String productId = data.product(300, 3);
        String customerId = data.customer(1_000);
        String orderId = data.place(customerId, productId, 2);
        assertThat(data.awaitTerminal(orderId).status()).isEqualTo("CONFIRMED");

        for (Map.Entry<Service, List<Topic<?>>> application : INPUTS.entrySet()) {
            String deadLetters = Topics.deadLetters(application.getKey().applicationName());
            Map<String, List<ConsumerRecord<String, byte[]>>> byTopic = new HashMap<>();
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.GROUP_ID_CONFIG, TestData.id("dead-letter-reader"),
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer())) {
                consumer.subscribe(List.of(deadLetters));
                await(deadLetters + " holds the poison of " + application.getValue(), () -> {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                        if (key.equals(r.key())) {
                            byTopic.computeIfAbsent(header(r, "__streams.errors.topic"), t -> new ArrayList<>()).add(r);
                        }
                    });
                    return application.getValue().stream().allMatch(t -> byTopic.containsKey(t.name()));
                });
            }
            for (Topic<?> topic : application.getValue()) {
                ConsumerRecord<String, byte[]> letter = byTopic.get(topic.name()).getFirst();
                assertThat(letter.value()).as("the poison, raw, from %s", topic.name()).isEqualTo(POISON);
                assertThat(header(letter, "__streams.errors.exception")).as("exception header").isNotBlank();
                assertThat(header(letter, "__streams.errors.partition")).as("partition header").isNotBlank();
                assertThat(header(letter, "__streams.errors.offset")).as("offset header").isNotBlank();
            }
            assertListedForOperators(system, application.getKey(), key, application.getValue());
        }
        assertThat(system.api().get("/admin/dead-letters?application=nope").status()).isEqualTo(400);
    }

    /**
     * order-api's {@code GET /admin/dead-letters} lists the application's poison records with their KIP-1034 headers,
     * and its metrics count them.
     */
    private static void assertListedForOperators(RunningSystem system, Service application, String key, List<Topic<?>> topics) {
        OrderApi.Response listed = system.api().get("/admin/dead-letters?application=" + application.applicationName() + "&limit=50");
        assertThat(listed.status()).as(listed.text()).isEqualTo(200);
        Map<String, JsonNode> bySource = new HashMap<>();
        listed.body().forEach(letter -> {
            if (key.equals(letter.path("key").asString())) {
                bySource.put(letter.path("sourceTopic").asString(), letter);
            }
        });
        for (Topic<?> topic : topics) {
            JsonNode letter = bySource.get(topic.name());
            assertThat(letter).as("%s lists the poison of %s", application, topic.name()).isNotNull();
            assertThat(Base64.getDecoder().decode(letter.path("valueBase64").asString())).isEqualTo(POISON);
            assertThat(letter.path("exception").asString()).isNotBlank();
            assertThat(letter.path("sourceOffset").isIntegralNumber()).isTrue();
        }
        String gauge = "ordersaga_dead_letters{application=\"" + application.applicationName() + "\"";
        await("order-api's " + gauge + "} counts the poison", () -> system.api().get("/actuator/prometheus").text().lines()
                .filter(l -> l.startsWith(gauge))
                .anyMatch(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)) >= topics.size()));
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
