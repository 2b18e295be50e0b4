package io.ordersaga.common;

import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Duration;

/**
 * How long a service keeps a state store's entries after they closed or last changed, and how often it deletes
 * the expired ones. A processor indexes each such entry in a {@link TimeIndex} at (when it closed or last changed
 * + {@link #retentionMs}), moves the index entry when the entry changes again, and {@linkplain #scheduleScan
 * schedules the scan} that deletes it once due; within that time a duplicate command still finds the entry and
 * stays idempotent, and a command arriving later is treated as new. Each topology says which entries it indexes,
 * and from when.
 *
 * @param retentionMs    how long an entry is kept after it closed or last changed, in ms; &gt; 0
 * @param scanIntervalMs how often (wall clock, ms) each task deletes its expired entries; &gt; 0. An entry is
 *                       deleted up to this late
 */
public record Retention(long retentionMs, long scanIntervalMs) {

    /** Most entries one scan deletes per task, so that a scan never stalls processing for long; the rest wait for the next. */
    public static final int SCAN_BATCH_SIZE = 10_000;

    /** @throws IllegalArgumentException when a duration is not positive */
    public Retention {
        if (retentionMs <= 0 || scanIntervalMs <= 0) {
            throw new IllegalArgumentException("retentionMs and scanIntervalMs must be > 0 ms, were "
                    + retentionMs + " and " + scanIntervalMs);
        }
    }

    /**
     * Schedules on {@code context} a wall-clock punctuation every {@link #scanIntervalMs} that takes the entries of
     * {@code index} due by then, earliest first and at most {@link #SCAN_BATCH_SIZE}, and deletes their keys from
     * {@code store} (a tombstone in its changelog each), each index entry only after its key was deleted
     * ({@link TimeIndex#forEachDue}): a deletion that throws fails the task, and nothing due is skipped. Call it from
     * the processor's {@code init}.
     *
     * @param index the time index of {@code store}'s expiring keys, by deletion time (epoch ms)
     * @param store the store whose expired entries are deleted; same task, so same keys and partitions as the index
     */
    public void scheduleScan(ProcessingContext context, TimeIndex index, KeyValueStore<String, ?> store) {
        context.schedule(Duration.ofMillis(scanIntervalMs), PunctuationType.WALL_CLOCK_TIME, nowMs -> {
            index.forEachDue(nowMs, SCAN_BATCH_SIZE, due -> store.delete(due.key()));
        });
    }
}
