package io.ordersaga.launcher;

import io.ordersaga.common.Topics;
import io.ordersaga.common.testing.FakeRegistry;
import io.ordersaga.demo.client.OrderApi;
import io.ordersaga.events.Product;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The saga's global thread meets the registry down: a {@code products} record whose schema id the saga has never
 * read (the Product schema registered again with other content, under a subject of its own) arrives while the
 * registry is stopped. The global thread cannot read it and fails (not the record's fault, so it is not skipped);
 * Kafka Streams cannot replace that thread, so the saga's client goes to ERROR. Once the registry is back, the
 * service restarts the client by itself and the product is in the catalog, queried through the new client (the
 * catalog is queried once before the outage, so a query service holding on to the first client would fail here).
 * Time budget: about 20 s.
 */
@ExtendWith(RunningSystem.class)
class CatalogRegistryOutageEndToEndTest {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    @Test
    void theSagaRestartsAfterItsGlobalThreadFailedOnTheRegistryAndAppliesTheProduct(RunningSystem system) throws Exception {
        String known = system.data().product(500, 0);
        String productId = TestData.id("P");
        ObjectNode schema = (ObjectNode) JSON.readTree(Product.getClassSchema().toString());
        schema.put("doc", "The catalog entry, registered again with other content: " + productId);
        int id;
        try (OrderApi registry = new OrderApi(URI.create(system.stack().registryUrl()))) {
            id = registry.exchange("POST", "/apis/ccompat/v7/subjects/" + productId + "-value/versions",
                            Map.of("schema", JSON.writeValueAsString(schema)),
                            Map.of("Content-Type", "application/vnd.schemaregistry.v1+json"))
                    .body().path("id").asInt();
        }
        assertThat(id).isPositive();
        ServiceCluster.Instance saga = system.cluster().first(Service.SAGA);

        system.stack().stopRegistry();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, system.stack().bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.PRODUCTS.name(), productId, FakeRegistry.confluent(id, Product.newBuilder()
                    .setProductId(productId).setName("Teapot").setUnitPrice(1_250).setUpdatedAt(Instant.now()).build())))
                    .get(30, TimeUnit.SECONDS);
            await("the saga's client failed").atMost(Duration.ofSeconds(30))
                    .until(() -> saga.streams().state() == KafkaStreams.State.ERROR);
            assertThat(TestData.getFrom(saga.url(), "/actuator/health").status()).isEqualTo(503);
        } finally {
            system.stack().startRegistry();
        }

        await("the product in the catalog").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            OrderApi.Response product = system.api().get("/products/" + productId);
            assertThat(product.body().path("unitPrice").asLong())
                    .as("%s %s; saga client %s, health %s", product.status(), product.body(), saga.streams().state(),
                            TestData.getFrom(saga.url(), "/actuator/health").body())
                    .isEqualTo(1_250);
        });
        assertThat(saga.streams().state()).isIn(KafkaStreams.State.RUNNING, KafkaStreams.State.REBALANCING);
        assertThat(system.api().get("/products/" + known).status()).as("the catalog read before the outage").isEqualTo(200);
    }

    /** Awaitility's await, not failing on the exceptions of the saga's failing threads. */
    private static org.awaitility.core.ConditionFactory await(String what) {
        return Awaitility.await(what).dontCatchUncaughtExceptions().pollInterval(Duration.ofMillis(100));
    }
}
