package io.ordersaga.common;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A time index over another store's keys, in a RocksDB store of its own: entries sort by time, so
 * finding what is due at {@code now} scans only the due entries, O(expired), never O(all).
 * Used for saga deadlines and for {@link Retention} (removing closed entries after a while).
 *
 * <p>Entry key: the time as 13 zero-padded decimal digits of epoch ms, {@code '|'}, then the indexed key
 * (lexicographic order = time order until the year 2286). Entry value: the indexed key.
 */
public final class TimeIndex {

    private static final String SEPARATOR = "|";

    private final KeyValueStore<String, String> store;

    /** @param store the index store, built with {@link #storeBuilder(String)} */
    public TimeIndex(KeyValueStore<String, String> store) {
        this.store = store;
    }

    /** A persistent, logged, cached String/String store for an index named {@code name}. */
    public static StoreBuilder<KeyValueStore<String, String>> storeBuilder(String name) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), Serdes.String())
                .withCachingEnabled();
    }

    /**
     * Indexes {@code key} at {@code atMs}.
     *
     * @throws IllegalArgumentException when atMs is negative
     */
    public void put(long atMs, String key) {
        store.put(entryKey(atMs, key), key);
    }

    /** Removes the entry of {@code key} at {@code atMs}, if any. */
    public void remove(long atMs, String key) {
        store.delete(entryKey(atMs, key));
    }

    /**
     * Applies {@code action} to up to {@code limit} entries due at or before {@code nowMs}, earliest first, and
     * removes each entry only after its action returned. An action that throws leaves its entry and every later one
     * in the index and propagates: the caller's task fails, exactly-once processing aborts the transaction, and the
     * entries are acted on again after recovery. Nothing due is ever skipped.
     *
     * <p>The due entries are read (iterator closed) before the first action runs, so an action may change this
     * index, including removing or moving the entry it is given.
     *
     * @return how many entries were acted on
     */
    public int forEachDue(long nowMs, int limit, Consumer<Due> action) {
        List<Due> due = new ArrayList<>();
        try (KeyValueIterator<String, String> it = store.range(null, entryKey(nowMs, "\uffff"))) {
            while (it.hasNext() && due.size() < limit) {
                KeyValue<String, String> entry = it.next();
                due.add(new Due(Long.parseLong(entry.key.substring(0, entry.key.indexOf(SEPARATOR))), entry.value));
            }
        }
        for (Due entry : due) {
            action.accept(entry);
            store.delete(entryKey(entry.atMs(), entry.key()));
        }
        return due.size();
    }

    private static String entryKey(long atMs, String key) {
        if (atMs < 0) {
            throw new IllegalArgumentException("time must be >= 0 ms, was " + atMs);
        }
        return String.format("%013d", atMs) + SEPARATOR + key;
    }

    /**
     * One due entry.
     *
     * @param atMs when it was due, epoch ms
     * @param key  the indexed key
     */
    public record Due(long atMs, String key) {
    }
}
