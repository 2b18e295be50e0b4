package io.ordersaga.docs;

import org.apache.kafka.streams.TopologyDescription;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * Draws a Kafka Streams {@link TopologyDescription} as a Mermaid flowchart: topics as flags, processors as
 * boxes, state stores as cylinders, one subgraph per sub-topology (and per global store). Deterministic:
 * the same topology always gives the same text, so a committed drawing can be checked for staleness.
 */
public final class MermaidTopology {

    private MermaidTopology() {
    }

    /** The flowchart, in a fenced {@code mermaid} block. */
    public static String render(TopologyDescription description) {
        StringBuilder out = new StringBuilder("```mermaid\nflowchart LR\n");
        Set<String> topics = new TreeSet<>();
        Set<String> stores = new TreeSet<>();
        Set<String> edges = new LinkedHashSet<>();
        for (TopologyDescription.Subtopology sub : description.subtopologies()) {
            out.append("  subgraph sub").append(sub.id()).append("[\"sub-topology ").append(sub.id()).append("\"]\n");
            sub.nodes().stream().sorted((a, b) -> a.name().compareTo(b.name())).forEach(node -> {
                out.append("    ").append(id("node", node.name())).append("[\"").append(node.name()).append("\"]\n");
                node.successors().forEach(s -> edges.add(id("node", node.name()) + " --> " + id("node", s.name())));
                switch (node) {
                    case TopologyDescription.Source source -> {
                        if (source.topicSet() != null) {
                            source.topicSet().forEach(t -> {
                                topics.add(t);
                                edges.add(id("topic", t) + " --> " + id("node", node.name()));
                            });
                        } else {
                            topics.add(source.topicPattern().pattern());
                            edges.add(id("topic", source.topicPattern().pattern()) + " --> " + id("node", node.name()));
                        }
                    }
                    case TopologyDescription.Sink sink -> {
                        String topic = sink.topic() != null ? sink.topic() : "(topic chosen per record)";
                        topics.add(topic);
                        edges.add(id("node", node.name()) + " --> " + id("topic", topic));
                    }
                    case TopologyDescription.Processor processor -> processor.stores().forEach(s -> {
                        stores.add(s);
                        edges.add(id("node", node.name()) + " <--> " + id("store", s));
                    });
                    default -> {
                    }
                }
            });
            out.append("  end\n");
        }
        for (TopologyDescription.GlobalStore global : description.globalStores()) {
            out.append("  subgraph global").append(global.id()).append("[\"global store\"]\n");
            TopologyDescription.Source source = global.source();
            TopologyDescription.Processor processor = global.processor();
            out.append("    ").append(id("node", source.name())).append("[\"").append(source.name()).append("\"]\n");
            out.append("    ").append(id("node", processor.name())).append("[\"").append(processor.name()).append("\"]\n");
            out.append("  end\n");
            source.topicSet().forEach(t -> {
                topics.add(t);
                edges.add(id("topic", t) + " --> " + id("node", source.name()));
            });
            edges.add(id("node", source.name()) + " --> " + id("node", processor.name()));
            processor.stores().forEach(s -> {
                stores.add(s);
                edges.add(id("node", processor.name()) + " <--> " + id("store", s));
            });
        }
        topics.forEach(t -> out.append("  ").append(id("topic", t)).append(">\"").append(t).append("\"]\n"));
        stores.forEach(s -> out.append("  ").append(id("store", s)).append("[(\"").append(s).append("\")]\n"));
        edges.forEach(e -> out.append("  ").append(e).append('\n'));
        return out.append("```\n").toString();
    }

    /** A Mermaid node id: kind prefix plus the name with every non-alphanumeric character replaced. */
    static String id(String kind, String name) {
        return kind + "_" + name.replaceAll("[^A-Za-z0-9]", "_");
    }
}
