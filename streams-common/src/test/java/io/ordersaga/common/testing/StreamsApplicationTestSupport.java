package io.ordersaga.common.testing;

import io.ordersaga.common.EventSerdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.convention.TestBean;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Base of the start-up test of a Streams service with one sub-topology. The service is started through its
 * {@code main} method (so from its own {@code <service>.properties}, as its {@code application()} builder names it),
 * found as the {@code @SpringBootConfiguration} of the subclass's package, on a random port, without a broker or a
 * registry: the Streams client and topic creation are switched off, and the registry-backed serdes, which register
 * the schemas at start, are replaced by {@link EventSerdes#unregistered()}. Checks that the service defines its
 * topology class's topology on its StreamsBuilder, that this topology is one sub-topology reading, writing and owning
 * what the subclass names, and that health reports DOWN while the Streams client is not running.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        useMainMethod = SpringBootTest.UseMainMethod.ALWAYS)
@TestPropertySource(properties = {"spring.kafka.streams.auto-startup=false", "spring.kafka.admin.auto-create=false"})
public abstract class StreamsApplicationTestSupport {

    /** Replaces the shared registry-backed serdes bean, which would register the schemas at start. */
    @TestBean
    private EventSerdes eventSerdes;

    private final Topology topology;
    private final TopologyNodes nodes;

    @Autowired
    private StreamsBuilder streamsBuilder;

    @LocalServerPort
    private int port;

    /**
     * @param topology the service's topology as its topology class builds it, with the default settings
     * @param nodes    the topics it reads and writes and the stores its processors own
     */
    protected StreamsApplicationTestSupport(Topology topology, TopologyNodes nodes) {
        this.topology = topology;
        this.nodes = nodes;
    }

    /** {@link EventSerdes#unregistered()}, for {@link #eventSerdes}: no registry is called. */
    static EventSerdes eventSerdes() {
        return EventSerdes.unregistered();
    }

    /** The service's StreamsBuilder holds exactly the topology class's topology. */
    @Test
    public void definesItsTopologyOnTheStreamsBuilder() {
        assertThat(streamsBuilder.build().describe()).isEqualTo(topology.describe());
    }

    /** The topology is one sub-topology with exactly the subclass's sources, sinks and stores. */
    @Test
    public void readsWritesAndOwnsWhatItNamesInOneSubTopology() {
        TopologyDescription description = topology.describe();

        assertThat(description.subtopologies()).hasSize(1);
        assertThat(TopologyNodes.of(description)).isEqualTo(nodes);
    }

    /** The Streams client is not running, so {@code /actuator/health} answers 503. */
    @Test
    public void reportsHealthDownWhileTheStreamsClientIsNotRunning() {
        HttpStatus status = RestClient.create("http://127.0.0.1:" + port).get().uri("/actuator/health")
                .exchange((request, response) -> HttpStatus.valueOf(response.getStatusCode().value()));

        assertThat(status).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
    }
}
