package io.ordersaga.common;

import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

import org.awaitility.Awaitility;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link StreamThreadRecovery}: replace a failed stream thread after a capped, doubling back-off. */
class StreamThreadRecoveryTest {

    private final AtomicLong nowMs = new AtomicLong(1_000_000);
    private final List<Long> waits = new ArrayList<>();
    private final StreamThreadRecovery recovery = new StreamThreadRecovery(nowMs::get, waitMs -> {
        waits.add(waitMs);
        nowMs.addAndGet(waitMs);
    });

    @Test
    void replacesTheThreadAfterABackOffDoublingFromOneSecondToThirty() {
        for (int i = 0; i < 8; i++) {
            assertThat(recovery.handle(new IllegalStateException("registry down"))).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
            nowMs.addAndGet(3_000);
        }
        assertThat(waits).containsExactly(1_000L, 2_000L, 4_000L, 8_000L, 16_000L, 30_000L, 30_000L, 30_000L);
    }

    @Test
    void theBackOffStartsAgainAfterAHealthyPeriod() {
        recovery.handle(new IllegalStateException("first"));
        recovery.handle(new IllegalStateException("second"));
        nowMs.addAndGet(StreamThreadRecovery.HEALTHY_PERIOD_MS + 1);
        recovery.handle(new IllegalStateException("much later"));
        assertThat(waits).containsExactly(1_000L, 2_000L, 1_000L);
    }

    @Test
    void isDegradedFromAFailureUntilAHealthyPeriodHasPassed() {
        assertThat(recovery.degraded()).isEmpty();
        recovery.handle(new IllegalStateException("registry down"));
        assertThat(recovery.degraded()).hasValueSatisfying(failure -> {
            assertThat(failure.consecutive()).isEqualTo(1);
            assertThat(failure.backoffMs()).isEqualTo(1_000);
            assertThat(failure.error()).contains("registry down");
        });
        nowMs.addAndGet(StreamThreadRecovery.HEALTHY_PERIOD_MS - 1_001);
        assertThat(recovery.degraded()).isPresent();
        nowMs.addAndGet(2);
        assertThat(recovery.degraded()).isEmpty();
    }

    @Test
    void theGlobalThreadIsNotReplacedButShutsTheClientDown() throws InterruptedException {
        StreamThreadExceptionResponse[] response = new StreamThreadExceptionResponse[1];
        Thread global = new Thread(() -> response[0] = recovery.handle(new IllegalStateException("x")),
                "order-saga-streams-1234-GlobalStreamThread");
        global.start();
        global.join();
        assertThat(response[0]).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        assertThat(waits).isEmpty();
    }

    @Test
    void aWakeUpEndsABackOffInProgress() throws InterruptedException {
        StreamThreadRecovery waiting = new StreamThreadRecovery();
        Thread failed = new Thread(() -> waiting.handle(new IllegalStateException("registry down")), "stream-thread-1");
        long startNanos = System.nanoTime();
        failed.start();
        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).until(() -> failed.getState() == Thread.State.TIMED_WAITING);
        waiting.wakeUp();
        failed.join(5_000);
        assertThat(failed.isAlive()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - startNanos)).as("less than the first back-off, 1 s")
                .isLessThan(Duration.ofMillis(900));
    }
}
