package io.ordersaga.common;

import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The uncaught exception handler of every service's Streams client: a stream thread that died (an exception the
 * handlers failed on, such as the registry being unreachable) is replaced ({@code REPLACE_THREAD}) after a back-off,
 * so the client recovers by itself once the cause is gone, without a restart and without skipping the record.
 *
 * <p>Back-off: {@value #INITIAL_BACKOFF_MS} ms after the first failure, doubling with each consecutive failure up to
 * {@value #MAX_BACKOFF_MS} ms; a failure more than {@value #HEALTHY_PERIOD_MS} ms after the previous one starts again
 * at {@value #INITIAL_BACKOFF_MS} ms. The wait happens in {@link #handle}, on the dying thread, before Kafka Streams
 * starts the replacement; the dead thread's transaction is aborted (exactly-once), so the replacement reads the
 * failed record again. {@link #wakeUp()} (called when the client starts shutting down) ends the waits in progress.
 *
 * <p>The global thread cannot be replaced (Kafka Streams 4.2.1 turns REPLACE_THREAD for it into SHUTDOWN_CLIENT);
 * for it this handler answers {@code SHUTDOWN_CLIENT} at once: the client goes to ERROR, and the service restarts
 * the whole client after the same back-off ({@code StreamsClientRestart}, which reads it from {@link #degraded()}).
 *
 * <p>Thread-safe: the threads of one client may fail at the same time.
 */
public final class StreamThreadRecovery implements StreamsUncaughtExceptionHandler {

    /** Wait before replacing a thread after its first failure, ms. */
    public static final long INITIAL_BACKOFF_MS = 1_000;

    /** Longest wait before replacing a thread, ms. */
    public static final long MAX_BACKOFF_MS = 30_000;

    /**
     * Time without a failure after which the back-off starts again at {@value #INITIAL_BACKOFF_MS} ms and
     * {@link #degraded()} is empty, ms. Longer than {@value #MAX_BACKOFF_MS} ms plus a rebalance, so that a thread
     * failing again right after its longest wait still counts as the same outage.
     */
    public static final long HEALTHY_PERIOD_MS = 60_000;

    private static final Logger log = LoggerFactory.getLogger(StreamThreadRecovery.class);

    /** Kafka Streams 4.2.1 names the global thread {@code <client.id>-GlobalStreamThread}. */
    private static final String GLOBAL_THREAD_SUFFIX = "-GlobalStreamThread";

    private final LongSupplier clockMs;
    private final Waiter waiter;
    private Failure last;
    private long wakeUps;

    /** With the wall clock, waiting on the calling thread. */
    public StreamThreadRecovery() {
        this(System::currentTimeMillis, null);
    }

    /**
     * With a clock and a way of waiting of the caller's, for tests.
     *
     * @param clockMs now, epoch ms
     * @param waiter  waits the back-off (ms); null to wait on the calling thread until the time passes or
     *                {@link #wakeUp()} is called
     */
    public StreamThreadRecovery(LongSupplier clockMs, Waiter waiter) {
        this.clockMs = clockMs;
        this.waiter = waiter != null ? waiter : this::awaitUnlessWokenUp;
    }

    /** Waits out a back-off. */
    @FunctionalInterface
    public interface Waiter {
        /** Waits {@code waitMs} ms or less; may be interrupted. */
        void await(long waitMs) throws InterruptedException;
    }

    /**
     * A stream thread failure.
     *
     * @param atMs        when the handler was called, epoch ms
     * @param consecutive failures in a row, each within {@value #HEALTHY_PERIOD_MS} ms of the previous; 1 for the first
     * @param backoffMs   the wait before its thread is replaced or, for the global thread, before the client is
     *                    restarted, ms
     * @param error       the exception, as {@link Throwable#toString()} of its root cause
     */
    public record Failure(long atMs, int consecutive, long backoffMs, String error) {
    }

    /**
     * Logs the failure, waits the back-off (less if {@link #wakeUp()} is called meanwhile) and answers
     * REPLACE_THREAD; SHUTDOWN_CLIENT at once for the global thread.
     */
    @Override
    public StreamThreadExceptionResponse handle(Throwable exception) {
        boolean global = Thread.currentThread().getName().endsWith(GLOBAL_THREAD_SUFFIX);
        Failure failure = record(exception);
        if (global) {
            log.error("The global stream thread failed ({} in a row): Kafka Streams cannot replace it, the client shuts"
                    + " down, to be restarted in {} ms", failure.consecutive(), failure.backoffMs(), exception);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        log.error("Stream thread {} failed ({} in a row): replacing it in {} ms", Thread.currentThread().getName(),
                failure.consecutive(), failure.backoffMs(), exception);
        try {
            waiter.await(failure.backoffMs());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    /** The last failure, while it is less than {@value #HEALTHY_PERIOD_MS} ms old; empty otherwise. */
    public synchronized Optional<Failure> degraded() {
        return last != null && clockMs.getAsLong() - last.atMs() <= HEALTHY_PERIOD_MS ? Optional.of(last) : Optional.empty();
    }

    /** Ends the back-offs in progress: their threads are replaced now. Later failures wait as usual. */
    public synchronized void wakeUp() {
        wakeUps++;
        notifyAll();
    }

    private synchronized void awaitUnlessWokenUp(long waitMs) throws InterruptedException {
        long generation = wakeUps;
        long deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
        for (long leftNanos = TimeUnit.MILLISECONDS.toNanos(waitMs); generation == wakeUps && leftNanos > 0; leftNanos = deadlineNanos - System.nanoTime()) {
            TimeUnit.NANOSECONDS.timedWait(this, leftNanos);
        }
    }

    private synchronized Failure record(Throwable exception) {
        long now = clockMs.getAsLong();
        int consecutive = degraded().map(previous -> previous.consecutive() + 1).orElse(1);
        long backoffMs = Math.min(MAX_BACKOFF_MS, INITIAL_BACKOFF_MS << Math.min(consecutive - 1, 30));
        Throwable root = exception;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        last = new Failure(now, consecutive, backoffMs, root.toString());
        return last;
    }
}
