package io.ordersaga.common.testing;

import io.ordersaga.common.Store;
import org.apache.kafka.streams.Topology;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a service's topology-test driver (inventory's, payment's) is built on, as a JUnit extension a test registers
 * on an instance field, so that each test has its own ({@code @RegisterExtension final XDriver x = new XDriver(...)}):
 * before each test it starts the service's topology in a {@link TopologyHarness} on a fresh state directory, its
 * wall clock at {@link #START} and moving only with {@link #advanceWallClock}; after it, it closes the harness and
 * deletes the directory. A subclass adds the service's commands in a few words, piped into {@link #harness}'s
 * topics, and names what it reads.
 */
public abstract class ServiceDriver implements BeforeEachCallback, AfterEachCallback {

    /** The wall-clock time every driver starts at. */
    public static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    /** The service's topology while a test runs; its topics are taken from it where a record is piped or read. */
    protected TopologyHarness harness;

    private final String applicationId;
    private final Topology topology;
    private Path stateDir;
    private int ids;

    /**
     * @param applicationId the service's Streams application.id
     * @param topology      its topology, built with {@link io.ordersaga.common.EventSerdes#unregistered()}
     */
    protected ServiceDriver(String applicationId, Topology topology) {
        this.applicationId = applicationId;
        this.topology = topology;
    }

    /** Starts the topology on a fresh state directory. */
    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        stateDir = Files.createTempDirectory(applicationId + "-");
        harness = new TopologyHarness(applicationId, topology, stateDir, START);
    }

    /** Closes the harness (and its stores) and deletes the state directory. */
    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        harness.close();
        try (Stream<Path> paths = Files.walk(stateDir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** A new id each call ({@code prefix-1}, {@code prefix-2}, ...), as a client gives each new request. */
    protected final String newId(String prefix) {
        return prefix + "-" + ++ids;
    }

    /** The value {@code store} holds for {@code key}, or null when it holds none. */
    protected final <V> V get(Store<V> store, String key) {
        return harness.store(store).get(key);
    }

    /** Every value {@code store} holds, in key order. */
    protected final <V> List<V> all(Store<V> store) {
        return List.copyOf(harness.contents(store).values());
    }

    /** Moves the wall clock by {@code by}; the retention scans that are due run. */
    public final void advanceWallClock(Duration by) {
        harness.advanceWallClock(by);
    }
}
