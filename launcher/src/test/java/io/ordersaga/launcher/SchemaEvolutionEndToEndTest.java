package io.ordersaga.launcher;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.apicurio.registry.serde.avro.AvroSerdeConfig;
import io.apicurio.registry.serde.avro.DefaultAvroDatumProvider;
import io.apicurio.registry.serde.config.SerdeConfig;
import io.ordersaga.common.SchemaRegistration;
import io.ordersaga.common.Topic;
import io.ordersaga.common.Topics;
import io.ordersaga.events.OrderEvent;
import io.ordersaga.localstack.LocalStack;
import io.ordersaga.schemas.CompatibilityCheck;
import io.ordersaga.schemas.SchemaSet;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DatumReader;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Schema evolution you can trust, on the real broker, the real Apicurio Registry and the five running services:
 * every topic subject is self-contained and pinned to FULL_TRANSITIVE; a v2 of {@link OrderEvent} (one optional field
 * added) written by a new producer is accepted by the registry and served by the running v1 read model; v1 events
 * already in {@code order-events} are read by a v2 consumer with the new field's default; and an incompatible v3 is
 * refused both by the registry (HTTP 409) and by the build's {@link CompatibilityCheck}.
 *
 * <p>Registers v2 under {@code order-events-value} for the rest of the test JVM: every service keeps writing v1,
 * which FULL_TRANSITIVE keeps readable by, and able to read, v2.
 */
@ExtendWith(RunningSystem.class)
class SchemaEvolutionEndToEndTest {

    /** v1: the schema the running services were built with. */
    private static final Schema V1 = OrderEvent.getClassSchema();

    /** v2: v1 plus an optional {@code channel} (where the order came from), default null. */
    private static final Schema V2 = evolve(V1, fields -> {
        fields.add(new Schema.Field("channel", Schema.createUnion(Schema.create(Schema.Type.NULL),
                Schema.create(Schema.Type.STRING)), "Where the order was placed; null when unknown.",
                JsonProperties.NULL_VALUE));
        return fields;
    });

    private static final String SUBJECT = SchemaRegistration.subject(Topics.ORDER_EVENTS);
    private static final String CCOMPAT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final RunningSystem system;

    SchemaEvolutionEndToEndTest(RunningSystem system) {
        this.system = system;
    }

    @Test
    void everyTopicSubjectIsSelfContainedAndFullTransitive() {
        List<String> subjects = new ArrayList<>();
        registry("GET", "/subjects", null).body().forEach(s -> subjects.add(s.asString()));

        for (Topic<?> topic : Topics.ALL) {
            String subject = SchemaRegistration.subject(topic);
            assertThat(subjects).as("subjects in the registry").contains(subject);
            Registry config = registry("GET", "/config/" + subject, null);
            assertThat(config.status()).as("GET /config/" + subject).isEqualTo(200);
            assertThat(config.body().path("compatibilityLevel").asString()).as(subject)
                    .isEqualTo(CompatibilityCheck.RULE).isEqualTo(SchemaRegistration.COMPATIBILITY);
        }
        // TopicIdStrategy with dereferenced schemas: values only (keys are plain strings), and no nested
        // record (OrderLine, union branches) split out under a subject of its own.
        assertThat(subjects).as("every subject").allSatisfy(s -> assertThat(s).endsWith("-value"));
    }

    @Test
    void aV2ProducerIsAcceptedAndServedByTheRunningV1ReadModel() throws Exception {
        String orderId = TestData.id("O");
        String customerId = TestData.id("C");
        String productId = TestData.id("P");
        long now = System.currentTimeMillis();
        Schema lineSchema = V2.getField("lines").schema().getElementType();
        GenericRecord line = new GenericData.Record(lineSchema);
        line.put("productId", productId);
        line.put("productName", "Product " + productId);
        line.put("quantity", 2);
        line.put("unitPrice", 150L);
        line.put("lineTotal", 300L);
        GenericRecord order = new GenericData.Record(V2);
        order.put("orderId", orderId);
        order.put("customerId", customerId);
        order.put("status", new GenericData.EnumSymbol(V2.getField("status").schema(), "CONFIRMED"));
        order.put("lines", List.of(line));
        order.put("total", 300L);
        order.put("currency", "GBP");
        order.put("createdAt", now);
        order.put("updatedAt", now);
        order.put("channel", "mobile-app");
        List<Integer> versionsBefore = versions();

        Map<String, Object> producerConfig = new HashMap<>(serdeConfig());
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, system.stack().bootstrapServers());
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        AvroKafkaSerializer<GenericRecord> serializer = new AvroKafkaSerializer<>();
        serializer.configure(producerConfig, false);
        try (KafkaProducer<String, GenericRecord> producer =
                     new KafkaProducer<>(producerConfig, new StringSerializer(), serializer)) {
            producer.send(new ProducerRecord<>(Topics.ORDER_EVENTS.name(), orderId, order)).get();
        }

        // The serializer registered v2 as a new version of the subject: FULL_TRANSITIVE accepted it.
        List<Integer> versionsAfter = versions();
        assertThat(versionsAfter).hasSizeGreaterThan(versionsBefore.size());
        Schema latest = new Schema.Parser().parse(
                registry("GET", "/subjects/" + SUBJECT + "/versions/latest", null).body().path("schema").asString());
        assertThat(latest.getField("channel")).as("latest version of " + SUBJECT).isNotNull();

        // order-view-streams, built with v1, reads it and serves it through order-api.
        TestData.await("v2 order " + orderId + " in the read model", () -> system.api().get("/orders/" + orderId).status() == 200);
        JsonNode served = system.api().get("/orders/" + orderId).body();
        assertThat(served.path("orderId").asString()).isEqualTo(orderId);
        assertThat(served.path("customerId").asString()).isEqualTo(customerId);
        assertThat(served.path("status").asString()).isEqualTo("CONFIRMED");
        assertThat(served.path("total").asLong()).isEqualTo(300);
        assertThat(served.path("currency").asString()).isEqualTo("GBP");
        assertThat(served.path("lines").get(0).path("productId").asString()).isEqualTo(productId);
        assertThat(served.path("lines").get(0).path("lineTotal").asLong()).isEqualTo(300);
        assertThat(served.has("channel")).as("a v1 reader does not know channel").isFalse();
        assertThat(system.api().customerOrders(customerId).getFirst().orderId()).isEqualTo(orderId);
    }

    @Test
    void v1EventsAlreadyInTheTopicAreReadByAV2Consumer() {
        TestData data = system.data();
        String productId = data.product(400, 5);
        String customerId = data.customer(10_000);
        String orderId = data.place(customerId, productId, 2);
        assertThat(data.awaitTerminal(orderId).status()).isEqualTo("CONFIRMED");

        Map<String, Object> consumerConfig = new HashMap<>();
        consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, system.stack().bootstrapServers());
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, "schema-evolution-v2-reader-" + UUID.randomUUID());
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<String, Object> readerConfig = new HashMap<>(serdeConfig());
        readerConfig.put(AvroSerdeConfig.AVRO_DATUM_PROVIDER, ReadAsV2.class);
        List<GenericRecord> snapshots = new ArrayList<>();
        List<Schema> writers = new ArrayList<>();
        try (AvroKafkaDeserializer<GenericRecord> v2Reader = new AvroKafkaDeserializer<>();
             KafkaConsumer<String, byte[]> consumer =
                     new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer())) {
            v2Reader.configure(readerConfig, false);
            consumer.subscribe(List.of(Topics.ORDER_EVENTS.name()));
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (snapshots.stream().noneMatch(s -> "CONFIRMED".equals(s.get("status").toString()))) {
                assertThat(System.nanoTime()).as("CONFIRMED snapshot of " + orderId + " read within " + DEADLINE)
                        .isLessThan(deadline);
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (orderId.equals(record.key())) {
                        snapshots.add(v2Reader.deserialize(record.topic(), record.headers(), record.value()));
                        writers.add(writerSchema(record.value()));
                    }
                }
            }
        }

        // Written by the saga with v1 (no channel), read as v2: the new field takes its default.
        assertThat(writers).allSatisfy(writer -> {
            assertThat(writer.getFullName()).isEqualTo(V1.getFullName());
            assertThat(writer.getField("channel")).as("writer schema of a saga snapshot").isNull();
        });
        assertThat(snapshots).allSatisfy(snapshot -> {
            assertThat(snapshot.getSchema()).isEqualTo(V2);
            assertThat(snapshot.get("channel")).isNull();
            assertThat(snapshot.get("orderId").toString()).isEqualTo(orderId);
            assertThat(snapshot.get("customerId").toString()).isEqualTo(customerId);
        });
        GenericRecord confirmed = snapshots.stream().filter(s -> "CONFIRMED".equals(s.get("status").toString()))
                .findFirst().orElseThrow();
        assertThat(confirmed.get("total")).isEqualTo(800L);
        assertThat(confirmed.get("currency").toString()).isEqualTo("GBP");
    }

    @Test
    void anIncompatibleV3IsRejectedByTheRegistryAndByTheBuildCheck() {
        Schema releasedV1 = SchemaSet.load(LocalStack.projectHome().resolve("schemas/avro/released/v1"))
                .schemas().get(V1.getFullName());
        int totalPosition = V1.getField("total").pos();
        Schema totalAsString = evolve(V1, fields -> {
            Schema.Field total = fields.get(totalPosition);
            fields.set(totalPosition, new Schema.Field(total.name(), Schema.create(Schema.Type.STRING), total.doc()));
            return fields;
        });
        Schema requiredPriority = evolve(V1, fields -> {
            fields.add(new Schema.Field("priority", Schema.create(Schema.Type.INT), "Required, no default."));
            return fields;
        });
        List<Integer> versionsBefore = versions();

        for (Schema v3 : List.of(totalAsString, requiredPriority)) {
            Registry refused = registry("POST", "/subjects/" + SUBJECT + "/versions", Map.of("schema", v3.toString()));
            assertThat(refused.status()).as("registering " + v3).isEqualTo(409);
            assertThat(refused.body().path("message").asString()).contains("Incompatible");
        }
        assertThat(versions()).as("versions of " + SUBJECT + " after the refusals").isEqualTo(versionsBefore);

        assertThat(CompatibilityCheck.breaches(V2, "v1", releasedV1)).as("v2 against released v1").isEmpty();
        assertThat(CompatibilityCheck.breaches(totalAsString, "v1", releasedV1))
                .isNotEmpty()
                .anySatisfy(breach -> assertThat(breach).contains("TYPE_MISMATCH at /fields/" + totalPosition + "/type"));
        assertThat(CompatibilityCheck.breaches(requiredPriority, "v1", releasedV1))
                .isNotEmpty()
                .anySatisfy(breach -> assertThat(breach).contains("backward").contains("priority"));
    }

    /**
     * Reads every record with the v2 schema as reader schema, whatever schema it was written with (Avro schema
     * resolution): Apicurio's deserializer instantiates it from {@link AvroSerdeConfig#AVRO_DATUM_PROVIDER}.
     */
    public static final class ReadAsV2 extends DefaultAvroDatumProvider<GenericRecord> {

        /** @return a generic reader from {@code writer} to v2 */
        @Override
        public DatumReader<GenericRecord> createDatumReader(Schema writer) {
            return new GenericDatumReader<>(writer, V2);
        }
    }

    /** The serde settings of {@code EventSerdes.registry}, without the specific (generated-class) reader. */
    private Map<String, Object> serdeConfig() {
        return Map.of(
                SerdeConfig.REGISTRY_URL, system.stack().registryUrl().replaceAll("/+$", "") + "/apis/registry/v3",
                SerdeConfig.AUTO_REGISTER_ARTIFACT, true,
                "apicurio.registry.dereference-schema", true);
    }

    /** {@code base} with its fields changed by {@code change} (given copies), same name and namespace. */
    private static Schema evolve(Schema base, UnaryOperator<List<Schema.Field>> change) {
        List<Schema.Field> fields = new ArrayList<>();
        base.getFields().forEach(f -> fields.add(new Schema.Field(f, f.schema())));
        return Schema.createRecord(base.getName(), base.getDoc(), base.getNamespace(), false, change.apply(fields));
    }

    /** The schema a value was written with: the id after the magic byte, looked up in the registry. */
    private Schema writerSchema(byte[] value) {
        assertThat(value[0]).as("magic byte").isZero();
        int id = ByteBuffer.wrap(value, 1, 4).getInt();
        Registry schema = registry("GET", "/schemas/ids/" + id, null);
        assertThat(schema.status()).as("schema id " + id).isEqualTo(200);
        return new Schema.Parser().parse(schema.body().path("schema").asString());
    }

    private List<Integer> versions() {
        List<Integer> versions = new ArrayList<>();
        registry("GET", "/subjects/" + SUBJECT + "/versions", null).body().forEach(v -> versions.add(v.asInt()));
        return versions;
    }

    /** A ccompat answer: status and JSON body. */
    private record Registry(int status, JsonNode body) {
    }

    /** One request to the registry's Confluent-compatible API ({@code /apis/ccompat/v7}); never throws on a status. */
    private Registry registry(String method, String path, Map<String, String> body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(
                            URI.create(system.stack().registryUrl().replaceAll("/+$", "") + "/apis/ccompat/v7" + path))
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", CCOMPAT_TYPE)
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Registry(response.statusCode(), JSON.readTree(response.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
