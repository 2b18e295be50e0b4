package io.ordersaga.demo.run;

import io.ordersaga.demo.DemoException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/** Runs blocking calls (HTTP requests) on virtual threads with a bound on how many run at once. */
public final class Parallel {

    private Parallel() {
    }

    /**
     * Applies {@code call} to every item, at most {@code concurrency} at a time, and waits for all.
     *
     * @param items       the inputs
     * @param concurrency most calls running at once, {@code >= 1}
     * @param call        the blocking call
     * @return the results, in the order of {@code items}
     * @throws RuntimeException the first failure of a call (no further call starts after it), as thrown;
     *                          a checked exception or an interruption is wrapped in a {@link DemoException}
     */
    public static <T, R> List<R> map(List<T> items, int concurrency, Function<T, R> call) {
        Semaphore permits = new Semaphore(concurrency);
        AtomicBoolean failed = new AtomicBoolean();
        List<Future<R>> futures = new ArrayList<>(items.size());
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (T item : items) {
                permits.acquire();
                if (failed.get()) {
                    permits.release();
                    break;
                }
                futures.add(executor.submit(() -> {
                    try {
                        return call.apply(item);
                    } catch (RuntimeException | Error e) {
                        failed.set(true);
                        throw e;
                    } finally {
                        permits.release();
                    }
                }));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DemoException("interrupted", e);
        }
        List<R> results = new ArrayList<>(futures.size());
        for (Future<R> future : futures) {
            try {
                results.add(future.get());
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                throw new DemoException(String.valueOf(e.getCause()), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DemoException("interrupted", e);
            }
        }
        return results;
    }
}
