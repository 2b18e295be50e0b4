package io.ordersaga.common.testing;

import io.ordersaga.common.Retention;
import io.ordersaga.common.Store;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;

import java.time.Instant;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@link TickedReplay} of a service whose records close and then live {@value #RETENTION_MS} ms in their store
 * ({@code retained}, indexed by due time in {@code retentionIndex}), beside a store whose records are never deleted
 * ({@code kept}: stock, wallets). The topology runs with that retention and a scan every {@value #SCAN_INTERVAL_MS} ms
 * of simulated wall clock, one tick being {@value #TICK_MS} ms.
 *
 * <p>Every {@value #SAMPLE_EVERY_TICKS} ticks of the load and every 10 quiet ticks it counts the three changelogs'
 * tombstones and checks that the retained store holds at most {@code bound} records, what the subclass's model says
 * it holds ({@link #check}), and that its changelog got one tombstone per record deleted. {@link #replay} runs the
 * replay and checks what every such replay ends with.
 *
 * @param <V> the value type of the retained store
 */
public abstract class RetentionReplay<V> extends TickedReplay {

    /** The simulated time of tick 0. */
    public static final Instant START = Instant.parse("2026-03-02T08:00:00Z");
    /** The length of one tick. */
    public static final long TICK_MS = 1_000;
    /** How long a closed record lives in the retained store. */
    public static final long RETENTION_MS = 60_000;
    /** How often the topology scans its retention index. */
    public static final long SCAN_INTERVAL_MS = 1_000;
    /** How many ticks of the load go by between two samples. */
    public static final int SAMPLE_EVERY_TICKS = 100;

    /** The topology under test, started by {@link #start}; subclasses pipe their commands into its topics. */
    protected TopologyHarness harness;

    private final String applicationId;
    private final Function<Retention, Topology> topology;
    private final Store<V> retained;
    private final Store<?> retentionIndex;
    private final Store<?> kept;
    private final long bound;
    private final Map<String, Integer> outcomes = new TreeMap<>();
    private TestOutputTopic<String, byte[]> retainedChangelog;
    private TestOutputTopic<String, byte[]> retentionChangelog;
    private TestOutputTopic<String, byte[]> keptChangelog;
    private long created;
    private long retainedTombstones;
    private long retentionTombstones;
    private long keptTombstones;
    private long maxRetained;
    private long maxRetentionEntries;

    /**
     * @param applicationId  the service's Streams application.id
     * @param topology       the service's topology with a given retention, built with
     *                       {@link io.ordersaga.common.EventSerdes#unregistered()}
     * @param retained       the store whose closed records must leave after retention
     * @param retentionIndex its retention index: one entry per closed record
     * @param kept           the store whose records are never deleted
     * @param bound          the most records {@code retained} may hold at any sample
     */
    protected RetentionReplay(String applicationId, Function<Retention, Topology> topology, Store<V> retained,
                              Store<?> retentionIndex, Store<?> kept, long bound) {
        super(START, TICK_MS);
        this.applicationId = applicationId;
        this.topology = topology;
        this.retained = retained;
        this.retentionIndex = retentionIndex;
        this.kept = kept;
        this.bound = bound;
    }

    /**
     * Ticks with no new order after a load whose last records close {@code holdTicks} ticks after they are made: by
     * then every closed record has left its store (retention, and 5 ticks more).
     */
    protected static long quietTicks(int holdTicks) {
        return holdTicks + RETENTION_MS / TICK_MS + 5;
    }

    /**
     * The most records the retained store may hold when {@code perTick} are made each tick and close at most
     * {@code holdTicks} ticks later: those of the last hold + retention, with a scan late.
     */
    protected static long bound(long perTick, int holdTicks) {
        return perTick * (holdTicks * TICK_MS + RETENTION_MS + 2 * SCAN_INTERVAL_MS) / TICK_MS;
    }

    /** Sets up the model's initial state (stock, wallets), piping what it needs into {@link #harness}. */
    protected abstract void seed();

    /**
     * Checks the records stored, by key, and the number of retention index entries against the model, after the
     * orders placed so far.
     */
    protected abstract void check(SortedMap<String, V> stored, long retentionEntries);

    /** Counts one record made in the retained store. */
    protected final void created() {
        created++;
    }

    /** Counts one happening of {@code outcome} (a reply, a close), to show that every kind happened. */
    protected final void count(String outcome) {
        outcomes.merge(outcome, 1, Integer::sum);
    }

    /** How often each outcome happened so far, by name. */
    protected final Map<String, Integer> outcomes() {
        return outcomes;
    }

    /**
     * Runs the load ({@code orders} orders, {@code ordersPerTick} a tick) and {@code quietTicks} ticks with no order,
     * checks that the retained store held far fewer records than the replay made, that every scheduled action ran,
     * that its changelog got one tombstone per record deleted, its index's changelog at least as many, and the kept
     * store's none; prints the replay's figures and returns the samples at the end of each phase.
     */
    protected final Samples replay(int orders, int ordersPerTick, long quietTicks) {
        long started = System.nanoTime();
        Samples samples = run(orders, ordersPerTick, SAMPLE_EVERY_TICKS * ordersPerTick, quietTicks);
        long[] atEndOfLoad = samples.atEndOfLoad();
        long[] afterQuiet = samples.afterQuiet();
        assertThat(orders).as("orders replayed, far more than the store ever held").isGreaterThan(10 * (int) maxRetained);
        assertThat(nothingDue()).as("every scheduled action ran").isTrue();
        assertThat(retainedTombstones).as("one %s changelog tombstone per record deleted", retained.name())
                .isEqualTo(created - afterQuiet[0]);
        assertThat(retentionTombstones).as("retention index changelog tombstones").isGreaterThanOrEqualTo(retainedTombstones);
        assertThat(keptTombstones).as("%s records are never deleted", kept.name()).isZero();
        System.out.printf("%s retention replay: %d orders (%d records made in %s) over %d s simulated (retention %d s), max stored %d "
                        + "(bound %d), max retention entries %d, at end of load stored=%d retention=%d, after a quiet %d s "
                        + "stored=%d retention=%d, changelog tombstones %s=%d retention=%d %s=%d, outcomes %s, %.1f s%n",
                applicationId, orders, created, retained.name(), ticks(), RETENTION_MS / 1000, maxRetained, bound,
                maxRetentionEntries, atEndOfLoad[0], atEndOfLoad[1], quietTicks, afterQuiet[0], afterQuiet[1],
                retained.name(), retainedTombstones, retentionTombstones, kept.name(), keptTombstones, outcomes,
                (System.nanoTime() - started) / 1e9);
        return samples;
    }

    /** Starts the topology with the replay's retention, takes the three changelogs and seeds the model. */
    @Override
    protected final TopologyHarness start() {
        harness = new TopologyHarness(applicationId, topology.apply(new Retention(RETENTION_MS, SCAN_INTERVAL_MS)), stateDir, START);
        retainedChangelog = harness.changelog(retained);
        retentionChangelog = harness.changelog(retentionIndex);
        keptChangelog = harness.changelog(kept);
        seed();
        return harness;
    }

    /**
     * Counts the changelogs' tombstones, checks the retained store (within the bound, as {@link #check} has it, one
     * tombstone per record deleted) and returns {records stored, retention index entries}.
     */
    @Override
    protected final long[] sample() {
        SortedMap<String, V> stored = harness.contents(retained);
        long retentionEntries = harness.contents(retentionIndex).size();
        retainedTombstones += StreamsTestSupport.tombstones(retainedChangelog);
        retentionTombstones += StreamsTestSupport.tombstones(retentionChangelog);
        keptTombstones += StreamsTestSupport.tombstones(keptChangelog);
        maxRetained = Math.max(maxRetained, stored.size());
        maxRetentionEntries = Math.max(maxRetentionEntries, retentionEntries);

        assertThat((long) stored.size()).as("%s stored after %d orders", retained.name(), placed()).isLessThanOrEqualTo(bound);
        check(stored, retentionEntries);
        assertThat(retainedTombstones).as("%s changelog tombstones: one per record deleted", retained.name())
                .isEqualTo(created - stored.size());
        return new long[] {stored.size(), retentionEntries};
    }
}
