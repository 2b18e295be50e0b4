package io.ordersaga.docs;

import io.ordersaga.common.EventSerdes;
import io.ordersaga.common.Retention;
import io.ordersaga.common.Topic;
import io.ordersaga.common.Topics;
import io.ordersaga.inventory.InventoryTopology;
import io.ordersaga.payment.PaymentTopology;
import io.ordersaga.saga.OrderSagaTopology;
import io.ordersaga.view.OrderViewTopology;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Generates {@code topology-docs/}: for each Streams service, {@code <service>.md} with Kafka Streams' own
 * topology description and a Mermaid drawing of it, built by the service's own topology builder; and
 * {@code overview.md}, the whole saga across services, topics between them.
 *
 * <p>Run {@code ./ordersaga docs} after changing a topology; {@code TopologyDocsTest} fails while the
 * committed files differ from what this generates.
 */
public final class TopologyDocs {

    /** The services' topologies, built with their default settings, by service name. */
    public static Map<String, Topology> topologies() {
        EventSerdes serdes = EventSerdes.unregistered();
        Map<String, Topology> topologies = new LinkedHashMap<>();
        topologies.put("inventory-streams", InventoryTopology.build(InventoryTopology.Config.defaults(), serdes));
        topologies.put("payment-streams", PaymentTopology.build(new Retention(86_400_000, 1_000), serdes));
        topologies.put("order-saga-streams", OrderSagaTopology.build(OrderSagaTopology.Config.defaults(), serdes));
        topologies.put("order-view-streams", OrderViewTopology.build(OrderViewTopology.Config.defaults(), serdes));
        return topologies;
    }

    /**
     * What order-api writes: it is a plain producer, not a topology (catalog changes, order requests, stock
     * adjustments, wallet credits).
     */
    static final List<Topic<?>> ORDER_API_WRITES =
            List.of(Topics.PRODUCTS, Topics.ORDER_REQUESTS, Topics.INVENTORY_COMMANDS, Topics.PAYMENT_COMMANDS);

    private TopologyDocs() {
    }

    /** Every generated file, by file name, with its full content. */
    public static Map<String, String> render() {
        Map<String, String> files = new LinkedHashMap<>();
        Map<String, TopologyDescription> descriptions = new LinkedHashMap<>();
        topologies().forEach((service, topology) -> descriptions.put(service, topology.describe()));
        files.put("overview.md", overview(descriptions));
        descriptions.forEach((service, description) -> files.put(service + ".md", service(service, description)));
        return files;
    }

    private static String service(String service, TopologyDescription description) {
        return "# " + service + "\n\n"
                + "Generated from the code by `./ordersaga docs` (`io.ordersaga.docs.TopologyDocs`); do not edit.\n\n"
                + "Source topics: " + String.join(", ", topics(description, true)) + ".  \n"
                + "Sink topics: " + String.join(", ", topics(description, false)) + ".  \n"
                + "State stores: " + String.join(", ", stores(description)) + ".\n\n"
                + "## Drawing\n\n" + MermaidTopology.render(description) + "\n"
                + "## Kafka Streams' description\n\n```\n" + description.toString().strip() + "\n```\n";
    }

    private static String overview(Map<String, TopologyDescription> descriptions) {
        StringBuilder out = new StringBuilder("# The order saga across services\n\n"
                + "Generated from the code by `./ordersaga docs` (`io.ordersaga.docs.TopologyDocs`); do not edit.\n"
                + "Services are boxes, topics are flags; internal topics (changelogs, repartitions) are left out.\n"
                + "Per-service drawings: " + descriptions.keySet().stream().map(s -> "[" + s + "](" + s + ".md)")
                .collect(Collectors.joining(", ")) + ".\n\n```mermaid\nflowchart LR\n");
        Set<String> topics = new TreeSet<>();
        Set<String> edges = new TreeSet<>();
        out.append("  svc_order_api[\"order-api\"]\n");
        ORDER_API_WRITES.forEach(t -> {
            topics.add(t.name());
            edges.add("svc_order_api --> " + MermaidTopology.id("topic", t.name()));
        });
        descriptions.forEach((service, description) -> {
            String node = MermaidTopology.id("svc", service);
            out.append("  ").append(node).append("[\"").append(service).append("\"]\n");
            topics(description, true).forEach(t -> {
                topics.add(t);
                edges.add(MermaidTopology.id("topic", t) + " --> " + node);
            });
            topics(description, false).forEach(t -> {
                topics.add(t);
                edges.add(node + " --> " + MermaidTopology.id("topic", t));
            });
        });
        topics.forEach(t -> out.append("  ").append(MermaidTopology.id("topic", t)).append(">\"").append(t).append("\"]\n"));
        edges.forEach(e -> out.append("  ").append(e).append('\n'));
        out.append("```\n\n| topic | key | value |\n|---|---|---|\n");
        Topics.ALL.forEach(t -> out.append("| `").append(t.name()).append("` | ").append(t.key()).append(" | `")
                .append(t.valueType().getSimpleName()).append("` |\n"));
        return out.toString();
    }

    /** The non-internal topics a topology reads ({@code sources}) or writes. */
    static Set<String> topics(TopologyDescription description, boolean sources) {
        Set<String> topics = new TreeSet<>();
        description.subtopologies().forEach(sub -> sub.nodes().forEach(node -> {
            if (sources && node instanceof TopologyDescription.Source source && source.topicSet() != null) {
                topics.addAll(source.topicSet());
            } else if (!sources && node instanceof TopologyDescription.Sink sink && sink.topic() != null) {
                topics.add(sink.topic());
            }
        }));
        if (sources) {
            description.globalStores().forEach(g -> topics.addAll(g.source().topicSet()));
        }
        topics.removeIf(t -> t.endsWith("-repartition") || t.endsWith("-changelog"));
        return topics;
    }

    private static Set<String> stores(TopologyDescription description) {
        Set<String> stores = new TreeSet<>();
        description.subtopologies().forEach(sub -> sub.nodes().forEach(node -> {
            if (node instanceof TopologyDescription.Processor processor) {
                stores.addAll(processor.stores());
            }
        }));
        description.globalStores().forEach(g -> stores.addAll(g.processor().stores()));
        return stores;
    }

    /**
     * Writes every file into {@code args[0]} (default: {@code topology-docs}).
     *
     * @throws IOException when a file cannot be written
     */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "topology-docs");
        Files.createDirectories(dir);
        for (Map.Entry<String, String> file : render().entrySet()) {
            Files.writeString(dir.resolve(file.getKey()), file.getValue());
            System.out.println("wrote " + dir.resolve(file.getKey()));
        }
    }
}
