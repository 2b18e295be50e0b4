package io.ordersaga.common;

import io.ordersaga.common.testing.FakeRegistry;
import io.ordersaga.events.Product;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The exception handlers of {@link StreamsDefaults} in a running topology (TopologyTestDriver), with Apicurio's
 * real serde against {@link FakeRegistry}: a record read while the registry answers 503 fails the task instead of
 * being skipped, and is processed once the registry answers; a poison record after it is skipped and the next one
 * processed. (TopologyTestDriver 4.2.1 captures no dead-letter record and reads global topics with a handler of its
 * own, so the dead-letter records and the global topic are tested in {@link ExceptionHandlersTest} and end to end.)
 */
class RegistryFaultsTopologyTest {

    private static final int PRODUCT_SCHEMA = 1;

    private final String applicationId = "registry-faults-" + UUID.randomUUID();
    private final FakeRegistry registry = FakeRegistry.start().hold(PRODUCT_SCHEMA, Product.getClassSchema());
    private final EventSerdes serdes = EventSerdes.registry(registry.url());
    @TempDir
    Path stateDir;
    private TopologyTestDriver driver;

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
        registry.close();
    }

    @Test
    void aRecordReadWhileTheRegistryIsDownFailsTheTaskAndIsProcessedAfterRecovery() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(Topics.PRODUCTS.name(), Topics.PRODUCTS.consumed(serdes))
                .mapValues(Product::getName).to("names", Produced.with(Topics.PRODUCTS.keySerde(), Topics.PRODUCTS.keySerde()));
        driver = new TopologyTestDriver(builder.build(), StreamsDefaults.properties(applicationId, "unused:9092",
                stateDir.toString(), null, 1, StreamsDefaults.COMMIT_INTERVAL_MS));
        TestInputTopic<String, byte[]> products = driver.createInputTopic(Topics.PRODUCTS.name(), new StringSerializer(),
                new ByteArraySerializer());
        var names = driver.createOutputTopic("names", new StringDeserializer(), new StringDeserializer());

        registry.answer503(true);
        assertThatThrownBy(() -> products.pipeInput("p-1", FakeRegistry.confluent(PRODUCT_SCHEMA, product("p-1", "Mug"))))
                .isInstanceOf(StreamsException.class);

        registry.answer503(false);
        products.pipeInput("p-1", FakeRegistry.confluent(PRODUCT_SCHEMA, product("p-1", "Mug")));
        products.pipeInput("p-2", new byte[] {9, 9, 9, 9, 9, 9});
        products.pipeInput("p-3", FakeRegistry.confluent(PRODUCT_SCHEMA, product("p-3", "Jug")));

        assertThat(names.readValuesToList()).as("the record failed on is processed; the poison one is skipped")
                .containsExactly("Mug", "Jug");
    }

    private static Product product(String id, String name) {
        return Product.newBuilder().setProductId(id).setName(name).setUnitPrice(100).setUpdatedAt(Instant.EPOCH).build();
    }
}
