package io.ordersaga.common.testing;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

/**
 * A long replay in simulated wall-clock time, as the retention tests run one: {@code ordersPerTick} orders are
 * placed each tick, actions scheduled for later ticks ({@link #later}) run when their tick comes, the wall clock
 * then moves one tick (running the topology's wall-clock punctuators), and every {@code sampleEvery} orders the
 * subclass checks its stores against its own model ({@link #sample}). After the load come {@code quietTicks} ticks
 * with no new order, sampled every 10 ticks, in which everything retained must leave the stores.
 *
 * <p>Subclasses model one topology: they place an order ({@link #place}), do each tick's own work
 * ({@link #beforeDue}, {@link #afterDue}, {@link #afterClock}) and check the stores. Randomness comes from
 * {@link #random}, seeded with a fixed value so that a failure replays.
 */
public abstract class TickedReplay {

    /** The seed of {@link #random}: a fixed value, so that every run replays the same orders. */
    public static final long SEED = 20_260_302L;

    /** What {@link #sample} returned at the end of the load and after the quiet ticks. */
    public record Samples(long[] atEndOfLoad, long[] afterQuiet) {
    }

    /** The directory of the stores (tmpfs where the machine has one). */
    @TempDir(factory = TmpfsIfAvailable.class)
    protected Path stateDir;

    /** The replay's only source of randomness, seeded with {@link #SEED}. */
    protected final Random random = new Random(SEED);
    private final Instant start;
    private final long tickMs;
    private final TreeMap<Long, List<Runnable>> due = new TreeMap<>();
    private TopologyHarness harness;
    private long tick;
    private int placed;

    /**
     * @param start  the simulated time of tick 0 (the harness's wall-clock start)
     * @param tickMs the length of one tick, in ms of simulated wall clock
     */
    protected TickedReplay(Instant start, long tickMs) {
        this.start = start;
        this.tickMs = tickMs;
    }

    /** Places order number {@code index} (0, 1, ...) and checks what the topology answered at once. */
    protected abstract void place(int index);

    /**
     * Builds the topology under test in a harness on {@link #stateDir} starting at tick 0's time, takes its topics,
     * and sets up the model's initial state (stock, wallets, catalogue); called once, by {@link #run}.
     */
    protected abstract TopologyHarness start();

    /**
     * Checks the stores against the model after the orders placed so far; returns the figures the test reports and
     * asserts at the end (for example {stored values, index entries}).
     */
    protected abstract long[] sample();

    /** Each tick's work before the actions due run (nothing by default). */
    protected void beforeDue() {
    }

    /** Each tick's work after the actions due ran, before the clock moves (nothing by default). */
    protected void afterDue() {
    }

    /** Each tick's work after the clock moved and the punctuators ran (nothing by default). */
    protected void afterClock() {
    }

    /**
     * Runs the load ({@code orders} orders, {@code ordersPerTick} a tick, sampled every {@code sampleEvery} orders)
     * and then {@code quietTicks} ticks with no order; returns the samples at the end of each phase.
     */
    public final Samples run(int orders, int ordersPerTick, int sampleEvery, long quietTicks) {
        harness = start();
        while (placed < orders) {
            for (int i = 0; i < ordersPerTick; i++) {
                place(placed++);
            }
            step();
            if (placed % sampleEvery == 0) {
                sample();
            }
        }
        long[] atEndOfLoad = sample();
        for (long quiet = 1; quiet <= quietTicks; quiet++) {
            step();
            if (quiet % 10 == 0) {
                sample();
            }
        }
        return new Samples(atEndOfLoad, sample());
    }

    /** Closes the harness, if {@link #run} started one. */
    @AfterEach
    void closeHarness() {
        if (harness != null) {
            harness.close();
        }
    }

    /** Runs {@code action} {@code ticks} ticks from now, before that tick's clock move. */
    protected final void later(int ticks, Runnable action) {
        due.computeIfAbsent(tick + ticks, t -> new ArrayList<>()).add(action);
    }

    /** Whether no scheduled action is left to run. */
    protected final boolean nothingDue() {
        return due.isEmpty();
    }

    /** The simulated time now: tick 0's time plus the ticks gone by. */
    protected final Instant now() {
        return start.plusMillis(tick * tickMs);
    }

    /** {@link #now()} in epoch ms. */
    protected final long nowMs() {
        return now().toEpochMilli();
    }

    /** Ticks gone by since the start. */
    protected final long ticks() {
        return tick;
    }

    /** Orders placed so far. */
    protected final int placed() {
        return placed;
    }

    private void step() {
        beforeDue();
        List<Runnable> now = due.remove(tick);
        if (now != null) {
            now.forEach(Runnable::run);
        }
        afterDue();
        tick++;
        harness.advanceWallClock(Duration.ofMillis(tickMs));
        afterClock();
    }
}
