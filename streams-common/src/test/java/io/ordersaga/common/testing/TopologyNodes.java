package io.ordersaga.common.testing;

import org.apache.kafka.streams.TopologyDescription;

import java.util.HashSet;
import java.util.Set;

/**
 * The topics a topology reads and writes and the state stores its processors use, over all its sub-topologies
 * (global stores not included).
 *
 * @param sources topics read by source nodes
 * @param sinks   topics written by sink nodes
 * @param stores  state stores connected to processor nodes
 */
public record TopologyNodes(Set<String> sources, Set<String> sinks, Set<String> stores) {

    /**
     * Collects the nodes of description.
     *
     * @throws AssertionError on a node that is neither a source, a sink nor a processor
     */
    public static TopologyNodes of(TopologyDescription description) {
        Set<String> sources = new HashSet<>();
        Set<String> sinks = new HashSet<>();
        Set<String> stores = new HashSet<>();
        description.subtopologies().forEach(subtopology -> subtopology.nodes().forEach(node -> {
            switch (node) {
                case TopologyDescription.Source source -> sources.addAll(source.topicSet());
                case TopologyDescription.Sink sink -> sinks.add(sink.topic());
                case TopologyDescription.Processor processor -> stores.addAll(processor.stores());
                default -> throw new AssertionError("unexpected node " + node);
            }
        }));
        return new TopologyNodes(sources, sinks, stores);
    }
}
