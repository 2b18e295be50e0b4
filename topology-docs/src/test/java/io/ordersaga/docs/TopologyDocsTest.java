package io.ordersaga.docs;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The committed topology docs are what the code generates now. */
class TopologyDocsTest {

    private static final Path DOCS = Path.of(System.getProperty("topology.docs.dir", "."));

    @Test
    void committedDocsAreUpToDate() throws IOException {
        for (Map.Entry<String, String> file : TopologyDocs.render().entrySet()) {
            Path committed = DOCS.resolve(file.getKey());
            assertThat(Files.exists(committed))
                    .as(committed + " is missing: run ./ordersaga docs and commit topology-docs/")
                    .isTrue();
            assertThat(Files.readString(committed))
                    .as(committed + " is stale: the topology changed. Run ./ordersaga docs and commit topology-docs/")
                    .isEqualTo(file.getValue());
        }
    }

    @Test
    void everyServiceDrawingShowsItsStoresAndTopics() {
        Map<String, String> files = TopologyDocs.render();
        assertThat(files.get("inventory-streams.md")).contains("```mermaid", "store_stock", "topic_inventory_commands",
                "topic_inventory_replies");
        assertThat(files.get("order-saga-streams.md")).contains("store_sagas", "store_saga_deadlines", "store_catalog",
                "topic_products", "topic_order_events");
        assertThat(files.get("overview.md")).contains("svc_order_api --> topic_order_requests",
                "topic_order_requests --> svc_order_saga_streams", "svc_order_saga_streams --> topic_inventory_commands",
                "topic_order_events --> svc_order_view_streams");
    }

    @Test
    void mermaidIdsAreSafe() {
        assertThat(MermaidTopology.id("topic", "order-events")).isEqualTo("topic_order_events");
    }
}
