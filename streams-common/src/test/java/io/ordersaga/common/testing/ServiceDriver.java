package io.ordersaga.common.testing;

import io.ordersaga.common.Store;
import org.apache.kafka.streams.Topology;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What a service's topology-test driver (inventory's, payment's) is built on: the service's topology in a
 * {@link TopologyHarness} whose wall clock starts at {@link #START} and moves only with {@link #advanceWallClock},
 * and its stores read back by key. A subclass adds the service's commands in a few words, piped into
 * {@link #harness}'s topics, and names what it reads.
 */
public abstract class ServiceDriver implements AutoCloseable {

    /** The wall-clock time every driver starts at. */
    public static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    /** The service's topology; its topics are taken from it where a record is piped or read. */
    protected final TopologyHarness harness;
    private int ids;

    /**
     * @param applicationId the service's Streams application.id
     * @param topology      its topology, built with {@link io.ordersaga.common.EventSerdes#unregistered()}
     * @param stateDir      directory of the RocksDB stores
     */
    protected ServiceDriver(String applicationId, Topology topology, Path stateDir) {
        harness = new TopologyHarness(applicationId, topology, stateDir, START);
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

    /** Closes the harness (and its stores). */
    @Override
    public final void close() {
        harness.close();
    }
}
