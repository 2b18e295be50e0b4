package io.ordersaga.common;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The retention settings' validation, and the scan they schedule, on in-memory stores. */
class RetentionTest {

    private final MockProcessorContext<Void, Void> context = new MockProcessorContext<>();
    private KeyValueStore<String, String> indexStore;
    private KeyValueStore<String, String> store;
    private TimeIndex index;

    @BeforeEach
    void openStores() {
        indexStore = inMemory("index");
        store = inMemory("entries");
        index = new TimeIndex(indexStore);
    }

    @Test
    void refusesDurationsThatAreNotPositive() {
        assertThatThrownBy(() -> new Retention(0, 1_000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Retention(60_000, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void schedulesAWallClockScanThatDeletesOnlyTheDueEntries() {
        new Retention(60_000, 1_000).scheduleScan(context, index, store);
        put("early", 100);
        put("on-time", 200);
        put("later", 201);

        assertThat(context.scheduledPunctuators()).singleElement().satisfies(punctuator -> {
            assertThat(punctuator.getType()).isEqualTo(PunctuationType.WALL_CLOCK_TIME);
            assertThat(punctuator.getInterval()).isEqualTo(Duration.ofSeconds(1));
        });
        scan(200);

        assertThat(store.get("early")).isNull();
        assertThat(store.get("on-time")).isNull();
        assertThat(store.get("later")).isEqualTo("value");
        assertThat(count(indexStore)).isEqualTo(1);
    }

    @Test
    void deletesAtMostOneBatchPerScan() {
        new Retention(60_000, 1_000).scheduleScan(context, index, store);
        for (int i = 0; i < Retention.SCAN_BATCH_SIZE + 5; i++) {
            put("k" + i, 100);
        }

        scan(100);
        assertThat(count(store)).isEqualTo(5);
        assertThat(count(indexStore)).isEqualTo(5);

        scan(100);
        assertThat(count(store)).isZero();
        assertThat(count(indexStore)).isZero();
    }

    @Test
    void aFailedDeletionLeavesItAndEveryLaterDueEntryInTheIndex() {
        KeyValueStore<String, String> failing = org.mockito.Mockito.spy(store);
        org.mockito.Mockito.doThrow(new IllegalStateException("store unavailable")).when(failing).delete("k2");
        new Retention(60_000, 1_000).scheduleScan(context, index, failing);
        for (int i = 1; i <= 4; i++) {
            put("k" + i, 100 + i);
        }

        assertThatThrownBy(() -> scan(200)).isInstanceOf(IllegalStateException.class);

        assertThat(store.get("k1")).isNull();
        assertThat(store.get("k2")).isEqualTo("value");
        assertThat(count(indexStore)).as("index entries of k2, k3 and k4, not yet acted on").isEqualTo(3);
    }

    private void put(String key, long deleteAtMs) {
        store.put(key, "value");
        index.put(deleteAtMs, key);
    }

    private void scan(long nowMs) {
        context.scheduledPunctuators().getFirst().getPunctuator().punctuate(nowMs);
    }

    private KeyValueStore<String, String> inMemory(String name) {
        KeyValueStore<String, String> kv = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name),
                Serdes.String(), Serdes.String()).withLoggingDisabled().build();
        kv.init(context.getStateStoreContext(), kv);
        return kv;
    }

    private static long count(KeyValueStore<String, String> kv) {
        long count = 0;
        try (KeyValueIterator<String, String> all = kv.all()) {
            while (all.hasNext()) {
                all.next();
                count++;
            }
        }
        return count;
    }
}
