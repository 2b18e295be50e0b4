package io.ordersaga.launcher;

import io.ordersaga.demo.client.OrderApi;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.ordersaga.launcher.TestData.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances each of inventory-streams and order-view-streams share the partitions; every GET is
 * answered correctly whichever instance it reaches, because an instance that does not own the key
 * forwards the query to the one that does.
 */
@ExtendWith(RunningSystem.class)
class ScaleOutEndToEndTest {

    @Test
    void everyInstanceAnswersForEveryKey(RunningSystem system) {
        TestData data = system.data();
        String customerId = data.customer(1_000_000);
        List<String> products = new ArrayList<>();
        List<String> orders = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String productId = data.product(100 + i, 20 + i);
            products.add(productId);
            orders.add(data.place(customerId, productId, 1));
        }
        orders.forEach(data::awaitTerminal);

        ServiceCluster cluster = system.cluster();
        ServiceCluster.Instance inventory2 = cluster.start(Service.INVENTORY, Main.freePort(), Map.of());
        ServiceCluster.Instance view2 = cluster.start(Service.VIEW, Main.freePort(), Map.of());
        try {
            List<ServiceCluster.Instance> inventories = List.of(cluster.first(Service.INVENTORY), inventory2);
            List<ServiceCluster.Instance> views = List.of(cluster.first(Service.VIEW), view2);
            await("partitions shared by two instances of each", () -> inventories.stream().allMatch(ScaleOutEndToEndTest::ownsTasks)
                    && views.stream().allMatch(ScaleOutEndToEndTest::ownsTasks)
                    && inventories.stream().allMatch(i -> i.streams().state() == KafkaStreams.State.RUNNING)
                    && views.stream().allMatch(i -> i.streams().state() == KafkaStreams.State.RUNNING));

            for (int i = 0; i < products.size(); i++) {
                for (ServiceCluster.Instance instance : inventories) {
                    try (OrderApi direct = new OrderApi(URI.create(instance.url()))) {
                        JsonNode stock = direct.get("/products/" + products.get(i) + "/stock").body();
                        assertThat(stock.path("productId").asString()).isEqualTo(products.get(i));
                        assertThat(stock.path("sold").asLong()).as("sold via " + instance.url()).isEqualTo(1);
                        assertThat(stock.path("available").asLong()).isEqualTo(19 + i);
                    }
                }
                for (ServiceCluster.Instance instance : views) {
                    try (OrderApi direct = new OrderApi(URI.create(instance.url()))) {
                        JsonNode order = direct.get("/orders/" + orders.get(i)).body();
                        assertThat(order.path("orderId").asString()).as("order via " + instance.url()).isEqualTo(orders.get(i));
                        assertThat(order.path("status").asString()).isEqualTo("CONFIRMED");
                    }
                }
            }
            for (ServiceCluster.Instance instance : views) {
                try (OrderApi direct = new OrderApi(URI.create(instance.url()))) {
                    await("12 orders listed via " + instance.url(), () -> direct.customerOrders(customerId).size() == 12);
                }
            }
            for (ServiceCluster.Instance instance : List.of(inventories.get(0), inventories.get(1), views.get(0), views.get(1))) {
                assertThat(TestData.getFrom(instance.url(), "/actuator/prometheus").text())
                        .as("the queries %s forwarded to the key's owner, timed", instance.url())
                        .contains("http_client_requests_seconds_count{");
            }
        } finally {
            cluster.stop(inventory2);
            cluster.stop(view2);
        }
        // Scale-in: a stopped instance leaves the group at once, so the first instances own every key again
        // within seconds, not after the 45 s session timeout.
        await("partitions back on one instance of each", () -> List.of(cluster.first(Service.INVENTORY), cluster.first(Service.VIEW))
                .stream().allMatch(i -> i.streams().state() == KafkaStreams.State.RUNNING
                        && i.streams().metadataForAllStreamsClients().size() == 1));
        for (String productId : products) {
            assertThat(system.api().stock(productId).orElseThrow().sold()).isEqualTo(1);
        }
    }

    private static boolean ownsTasks(ServiceCluster.Instance instance) {
        return instance.streams().metadataForLocalThreads().stream().anyMatch(t -> !t.activeTasks().isEmpty());
    }
}
