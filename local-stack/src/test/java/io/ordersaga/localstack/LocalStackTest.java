package io.ordersaga.localstack;

import io.apicurio.registry.rest.client.models.ProblemDetails;
import io.ordersaga.common.EventSerdes;
import io.ordersaga.common.Topics;
import io.ordersaga.events.CancelOrder;
import io.ordersaga.events.OrderRequest;
import io.ordersaga.events.PlaceOrder;
import io.ordersaga.events.RequestedLine;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchException;

/**
 * The shared local stack, through the real broker and registry: the project's Avro schema registered for
 * {@code order-requests}, a transactional write in the Confluent wire format, a read_committed read, and the
 * registry's FULL_TRANSITIVE rule at work.
 */
@ExtendWith(LocalStackExtension.class)
class LocalStackTest {

    private static final JsonMapper json = JsonMapper.builder().build();
    private static final HttpClient http = HttpClient.newHttpClient();
    private static final String SUBJECT = Topics.ORDER_REQUESTS.name() + "-value";

    private static final OrderRequest PLACED = new OrderRequest("order-placed", Instant.ofEpochMilli(1_700_000_000_000L),
            new PlaceOrder("customer-1", null, List.of(new RequestedLine("product-1", 2))));

    private static LocalStack started;

    @BeforeAll
    static void printStartTimes(LocalStack stack) {
        started = stack;
        System.out.printf("Local stack start: broker ready after %d ms, registry ready after %d ms%n",
                stack.brokerReadyMs(), stack.registryReadyMs());
    }

    @Test
    void injectsOneSharedStack(LocalStack stack) {
        assertThat(stack).isSameAs(started);
        assertThat(stack.bootstrapServers()).startsWith("127.0.0.1:");
        assertThat(stack.registryUrl()).startsWith("http://127.0.0.1:");
    }

    @Test
    void writesTransactionallyInConfluentWireFormatAndReadsBackCommittedRecordsOnly(LocalStack stack) throws Exception {
        String topic = Topics.ORDER_REQUESTS.name();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            admin.createTopics(List.of(Topics.ORDER_REQUESTS.newTopic(3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        Serde<OrderRequest> serde = Topics.ORDER_REQUESTS.valueSerde(EventSerdes.registry(stack.registryUrl()));
        OrderRequest aborted = new OrderRequest("order-aborted", Instant.ofEpochMilli(1_700_000_000_001L), CancelOrder.newBuilder().build());

        try (KafkaProducer<String, OrderRequest> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "local-stack-test"), new StringSerializer(), serde.serializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, PLACED.getOrderId(), PLACED));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, aborted.getOrderId(), aborted));
            producer.flush();
            producer.abortTransaction();
        }

        List<ConsumerRecord<String, byte[]>> records = readCommitted(stack, topic);
        assertThat(records).extracting(ConsumerRecord::key).containsExactly(PLACED.getOrderId());
        byte[] bytes = records.getFirst().value();
        assertThat(bytes[0]).as("Confluent magic byte").isEqualTo((byte) 0);
        int schemaId = ByteBuffer.wrap(bytes, 1, 4).getInt();
        HttpResponse<String> schema = get(stack, "/apis/ccompat/v7/schemas/ids/" + schemaId);
        assertThat(schema.statusCode()).isEqualTo(200);
        assertThat(parseWithReferences(stack, json.readTree(schema.body()), new Schema.Parser(), new HashSet<>()))
                .isEqualTo(OrderRequest.getClassSchema());
        assertThat(serde.deserializer().deserialize(topic, bytes)).isEqualTo(PLACED);
    }

    @Test
    void globalRuleIsFullTransitiveAndTheRegistryRejectsAnIncompatibleChangeWith409(LocalStack stack) throws Exception {
        JsonNode config = json.readTree(get(stack, "/apis/ccompat/v7/config").body());
        assertThat(config.get("compatibilityLevel").asString()).isEqualTo("FULL_TRANSITIVE");

        Topics.ORDER_REQUESTS.valueSerde(EventSerdes.registry(stack.registryUrl())).serializer()
                .serialize(Topics.ORDER_REQUESTS.name(), PLACED);
        String versions = "/apis/ccompat/v7/subjects/" + SUBJECT + "/versions";
        JsonNode latest = json.readTree(get(stack, versions + "/latest").body());
        String before = get(stack, versions).body();

        // A new field without a default: records written before it cannot be read with the new schema.
        HttpResponse<String> rejected = post(stack, versions, withField(latest, "channel", null));
        assertThat(rejected.statusCode()).isEqualTo(409);
        assertThat(json.readTree(rejected.body()).get("error_code").asInt()).isEqualTo(409);
        assertThat(get(stack, versions).body()).isEqualTo(before);

        // The same field with a default reads, and is read by, every version: accepted as the next version.
        assertThat(post(stack, versions, withField(latest, "channel", "web")).statusCode()).isEqualTo(200);
        assertThat(json.readTree(get(stack, versions).body())).hasSize(json.readTree(before).size() + 1);
    }

    @Test
    void theRegistryStopsAndStartsAgainOnItsPortWithItsSchemasAndIds(LocalStack stack) throws Exception {
        Serde<OrderRequest> serde = Topics.ORDER_REQUESTS.valueSerde(EventSerdes.registry(stack.registryUrl()));
        byte[] written = serde.serializer().serialize(Topics.ORDER_REQUESTS.name(), PLACED);
        int id = ByteBuffer.wrap(written, 1, 4).getInt();

        stack.stopRegistry();
        try {
            assertThat(stack.registryRunning()).isFalse();
            assertThat(catchException(() -> get(stack, "/apis/ccompat/v7/subjects")))
                    .as("a stopped registry refuses connections").isInstanceOf(java.net.ConnectException.class);
            assertThat(catchException(() -> Topics.ORDER_REQUESTS.valueSerde(EventSerdes.registry(stack.registryUrl()))
                    .deserializer().deserialize(Topics.ORDER_REQUESTS.name(), written)))
                    .as("a serde that never read this id cannot read it now").hasRootCauseInstanceOf(java.net.ConnectException.class);
        } finally {
            stack.startRegistry();
        }

        assertThat(stack.registryRunning()).isTrue();
        assertThat(get(stack, "/apis/ccompat/v7/schemas/ids/" + id).statusCode()).as("same data, same ids").isEqualTo(200);
        assertThat(Topics.ORDER_REQUESTS.valueSerde(EventSerdes.registry(stack.registryUrl())).deserializer()
                .deserialize(Topics.ORDER_REQUESTS.name(), written)).isEqualTo(PLACED);
        byte[] unknownId = ByteBuffer.allocate(9).put((byte) 0).putInt(Integer.MAX_VALUE).putInt(0).array();
        assertThat(catchException(() -> serde.deserializer().deserialize(Topics.ORDER_REQUESTS.name(), unknownId)))
                .as("the registry answers an unknown id with its 404 problem document")
                .rootCause().isInstanceOfSatisfying(ProblemDetails.class, problem ->
                        assertThat(problem.getResponseStatusCode()).isEqualTo(404));
    }

    /**
     * Parses a ccompat schema ({@code {"schema", "references"}}) as a Confluent client does: the referenced
     * schemas first. Apicurio's serde registers each nested record as a subject of its own, named by its
     * full name, and the topic's schema refers to them by name.
     */
    private static Schema parseWithReferences(LocalStack stack, JsonNode schema, Schema.Parser parser, Set<String> parsed)
            throws Exception {
        for (JsonNode reference : schema.path("references")) {
            if (parsed.add(reference.get("name").asString())) {
                JsonNode referenced = json.readTree(get(stack, "/apis/ccompat/v7/subjects/" + reference.get("subject").asString()
                        + "/versions/" + reference.get("version").asInt()).body());
                parseWithReferences(stack, referenced, parser, parsed);
            }
        }
        return parser.parse(schema.get("schema").asString());
    }

    /** Reads every committed record of the topic from the beginning, up to its end, with a deadline. */
    private static List<ConsumerRecord<String, byte[]>> readCommitted(LocalStack stack, String topic) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                assertThat(System.nanoTime()).as("read to the end of %s in time", topic).isLessThan(deadline);
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    /** A registration request: {@code version}'s schema plus a string field, and its references. */
    private static String withField(JsonNode version, String name, String defaultValue) {
        ObjectNode schema = (ObjectNode) json.readTree(version.get("schema").asString());
        ObjectNode field = schema.withArray("fields").addObject().put("name", name).put("type", "string");
        if (defaultValue != null) {
            field.put("default", defaultValue);
        }
        ObjectNode request = json.createObjectNode().put("schema", json.writeValueAsString(schema));
        request.set("references", version.path("references"));
        return json.writeValueAsString(request);
    }

    private static HttpResponse<String> get(LocalStack stack, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(stack.registryUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(LocalStack stack, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(stack.registryUrl() + path))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
