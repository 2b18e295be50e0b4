package io.ordersaga.demo.run;

import io.ordersaga.demo.DemoException;
import io.ordersaga.demo.client.OrderApi;
import io.ordersaga.demo.workload.Workload;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Replays orders through order-api and follows each one to its terminal state, one virtual thread per order:
 * {@code POST /orders} with {@code Prefer: wait=30}, which order-api answers with the terminal order (200) as soon as
 * it is terminal, so one request usually places and follows an order; on a 202 (not terminal within the wait, or an
 * order-api that does not apply the preference) {@code GET /orders/{id}?waitMs=30000} until terminal (a 404, the
 * read model not having the order yet, is polled again after a pause of 5 ms doubling to 100 ms).
 *
 * <p>Two modes: closed loop, at most {@code concurrency} orders in flight (POST to terminal state), the next one
 * sent when one ends; or paced (open loop), one order every {@code 1 / rate} seconds whatever the number in flight.
 * Orders are sent in workload order. Latency is measured from sending the POST to receiving the terminal state.
 * When standard output is a TTY, a one-line progress bar is redrawn with {@code \r} every {@value #PROGRESS_PERIOD_MS} ms;
 * otherwise (a log, CI) a progress line is printed every {@value #LOG_PROGRESS_PERIOD_MS} ms.
 */
public final class Replay {

    /** An accepted order not terminal this long after its POST is given up as unfinished, in ms. */
    public static final long ORDER_DEADLINE_MS = 120_000;
    /** Progress bar refresh period, in ms. */
    static final long PROGRESS_PERIOD_MS = 250;
    /** Progress line period when standard output is not a TTY (a log, CI), in ms. */
    static final long LOG_PROGRESS_PERIOD_MS = 5_000;

    private static final boolean STDOUT_IS_TTY = stdoutIsTty();

    private static final long FIRST_PAUSE_MS = 5;
    private static final long MAX_PAUSE_MS = 100;

    private final OrderApi api;
    private final List<Workload.Order> orders;
    private final AtomicLong inFlight = new AtomicLong();
    private final AtomicLong confirmed = new AtomicLong();
    private final AtomicLong cancelled = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private long startNanos;

    /**
     * The replay's outcomes.
     *
     * @param outcomes   one per order, in workload order
     * @param wallTimeMs first POST sent to last outcome, in ms
     */
    public record Result(List<Outcome> outcomes, long wallTimeMs) {
    }

    private Replay(OrderApi api, List<Workload.Order> orders) {
        this.api = api;
        this.orders = orders;
    }

    /**
     * Replays the orders.
     *
     * @param api         order-api
     * @param orders      the orders, in sending order
     * @param concurrency most orders in flight in closed loop, {@code >= 1}
     * @param rate        orders per second when paced; 0 for closed loop
     * @param out         where the progress bar goes
     * @return every order's outcome; nothing is thrown for a single order's failure
     */
    public static Result run(OrderApi api, List<Workload.Order> orders, int concurrency, double rate, PrintStream out) {
        return new Replay(api, orders).run(concurrency, rate, out);
    }

    private Result run(int concurrency, double rate, PrintStream out) {
        Outcome[] outcomes = new Outcome[orders.size()];
        Semaphore permits = new Semaphore(rate > 0 ? Integer.MAX_VALUE : concurrency);
        ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "demo-progress");
            thread.setDaemon(true);
            return thread;
        });
        startNanos = System.nanoTime();
        progress.scheduleAtFixedRate(() -> out.print(progressLine()), 0,
                STDOUT_IS_TTY ? PROGRESS_PERIOD_MS : LOG_PROGRESS_PERIOD_MS, TimeUnit.MILLISECONDS);
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < outcomes.length; i++) {
                if (rate > 0) {
                    long due = startNanos + (long) (i * 1e9 / rate);
                    for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                        LockSupport.parkNanos(wait);
                    }
                }
                permits.acquireUninterruptibly();
                int index = i;
                inFlight.incrementAndGet();
                executor.execute(() -> {
                    try {
                        outcomes[index] = follow(orders.get(index));
                    } finally {
                        inFlight.decrementAndGet();
                        permits.release();
                    }
                });
            }
        }
        long wallTimeMs = Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
        progress.shutdown();
        try {
            progress.awaitTermination(PROGRESS_PERIOD_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        out.print(progressLine());
        if (STDOUT_IS_TTY) {
            out.println();
        }
        return new Result(Arrays.asList(outcomes), wallTimeMs);
    }

    /** Sends one order and waits for its terminal state; never throws for the order's own failures. */
    private Outcome follow(Workload.Order order) {
        long sentNanos = System.nanoTime();
        Outcome outcome;
        try {
            outcome = switch (api.placeOrder(order, OrderApi.MAX_WAIT_MS / 1_000)) {
                case OrderApi.Ended ended -> new Outcome.Terminal(order, ended.order().orderId(), ended.order(),
                        (sentNanos - startNanos) / 1_000, (System.nanoTime() - sentNanos) / 1_000);
                case OrderApi.Accepted accepted -> await(order, accepted.orderId(), sentNanos);
                case OrderApi.Refused refused -> new Outcome.Refused(order, refused.status(), refused.detail());
                case OrderApi.Unanswered unanswered -> new Outcome.Unanswered(order, unanswered.error());
            };
        } catch (RuntimeException e) {
            outcome = new Outcome.Unanswered(order, String.valueOf(e));
        }
        count(outcome);
        return outcome;
    }

    private Outcome await(Workload.Order order, String orderId, long sentNanos) {
        long deadline = sentNanos + Duration.ofMillis(ORDER_DEADLINE_MS).toNanos();
        String lastSeen = "never in the read model";
        long pauseMs = FIRST_PAUSE_MS;
        while (true) {
            long remainingMs = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
            if (remainingMs <= 0) {
                return new Outcome.Unfinished(order, orderId, lastSeen);
            }
            try {
                Optional<OrderApi.OrderView> view = api.order(orderId, Math.min(remainingMs, OrderApi.MAX_WAIT_MS));
                if (view.isPresent() && view.get().terminal()) {
                    long now = System.nanoTime();
                    return new Outcome.Terminal(order, orderId, view.get(), (sentNanos - startNanos) / 1_000,
                            (now - sentNanos) / 1_000);
                }
                lastSeen = view.map(v -> "status " + v.status()).orElse("404 from the read model");
            } catch (DemoException e) {
                lastSeen = e.getMessage();
            }
            LockSupport.parkNanos(Duration.ofMillis(pauseMs).toNanos());
            pauseMs = Math.min(2 * pauseMs, MAX_PAUSE_MS);
        }
    }

    private void count(Outcome outcome) {
        switch (outcome) {
            case Outcome.Terminal t -> (switch (t.view().status()) {
                case "CONFIRMED" -> confirmed;
                case "CANCELLED" -> cancelled;
                default -> rejected;
            }).incrementAndGet();
            case Outcome.Refused r -> failed.incrementAndGet();
            case Outcome.Unanswered u -> failed.incrementAndGet();
            case Outcome.Unfinished u -> failed.incrementAndGet();
        }
    }

    /**
     * On a TTY, {@code \r} plus the progress bar, padded to overwrite a longer previous line; otherwise
     * the bar as a line of its own.
     */
    private String progressLine() {
        long total = orders.size();
        long done = confirmed.get() + cancelled.get() + rejected.get() + failed.get();
        int width = 24;
        int filled = total == 0 ? width : (int) (width * done / total);
        double seconds = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
        String line = String.format(Locale.ROOT,
                "replay [%s%s] %3d%% %d/%d  in flight %d  confirmed %d  cancelled %d  rejected %d  failed %d  %.0f orders/s",
                "#".repeat(filled), "-".repeat(width - filled), total == 0 ? 100 : 100 * done / total, done, total,
                inFlight.get(), confirmed.get(), cancelled.get(), rejected.get(), failed.get(), done / seconds);
        return STDOUT_IS_TTY ? "\r" + line + "   " : line + System.lineSeparator();
    }

    /** True when standard output is an interactive terminal ({@code Console.isTerminal()} from JDK 22 on). */
    private static boolean stdoutIsTty() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException jdk21) {
            return true; // before JDK 22 a console exists only for a terminal
        }
    }
}
