package io.ordersaga.saga;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.ordersaga.common.json.SagaSummaryJson;
import io.ordersaga.events.OrderEvent;
import io.ordersaga.events.OrderSagaState;
import io.ordersaga.events.OrderStatus;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;

/**
 * What operators ask of the saga store ({@link OrderSagaTopology#SAGAS}, key orderId), as pure functions over its
 * values: the sagas in one status for longer than a given time, and the figures of the operations page.
 *
 * <p>Both are one full scan of the store (no index by status and time): at one million sagas (about a day of
 * orders at 12 a second; terminal sagas stay for the retention) a scan reads every value once, which costs
 * about 1 to 2 µs a saga for RocksDB's iterator and the Avro decoding, so 1 to 2 s of one core per million sagas,
 * spread over the instances that own the partitions. An index by (status, updatedAt) would make a listing cost
 * only what it returns, but would add a write and a delete to the saga's every status change, on the hot path of
 * every order, for a query an operator runs now and then.
 *
 * <p>"Age" is the time since the saga's last status change ({@link OrderEvent#getUpdatedAt()}), which is how long
 * it has been in its current status.
 */
public final class SagaSearch {

    /** Upper bounds, in ms, of the latency histogram's buckets ({@link Stats#latencyBucketsMs}); the last is open. */
    public static final List<Long> LATENCY_BOUNDS_MS = List.of(5L, 10L, 20L, 50L, 100L, 200L, 500L, 1_000L, 2_000L,
            5_000L, 10_000L, 30_000L, 60_000L, Long.MAX_VALUE);

    /** Upper bounds, in ms, of the age buckets of sagas in flight ({@link Stats#inFlight}); the last is open. */
    public static final List<Long> AGE_BOUNDS_MS = List.of(1_000L, 10_000L, 60_000L, 300_000L, Long.MAX_VALUE);

    private SagaSearch() {
    }


    /**
     * The sagas in {@code status} whose age is at least {@code olderThanMs}, oldest first (then by orderId), at most
     * {@code limit}. Reads all of {@code sagas} once and keeps at most {@code limit} in memory.
     *
     * @param sagas the store's values, in any order
     * @param nowMs wall-clock time, epoch ms
     */
    public static List<SagaSummaryJson> olderThan(Iterator<OrderSagaState> sagas, OrderStatus status, long olderThanMs,
                                              int limit, long nowMs) {
        Comparator<SagaSummaryJson> oldestFirst = Comparator.comparingLong(SagaSummaryJson::updatedAt).thenComparing(SagaSummaryJson::orderId);
        PriorityQueue<SagaSummaryJson> youngestOnTop = new PriorityQueue<>(oldestFirst.reversed());
        while (sagas.hasNext()) {
            OrderEvent order = sagas.next().getOrder();
            long updatedAt = order.getUpdatedAt().toEpochMilli();
            if (order.getStatus() == status && nowMs - updatedAt >= olderThanMs) {
                youngestOnTop.add(new SagaSummaryJson(order.getOrderId(), order.getCustomerId(), status.name(),
                        order.getTotal(), order.getCreatedAt().toEpochMilli(), updatedAt, nowMs - updatedAt));
                if (youngestOnTop.size() > limit) {
                    youngestOnTop.poll();
                }
            }
        }
        List<SagaSummaryJson> result = new ArrayList<>(youngestOnTop);
        result.sort(oldestFirst);
        return result;
    }

    /**
     * Merges listings of several instances (each oldest first) into one, oldest first, at most {@code limit}.
     */
    public static List<SagaSummaryJson> merge(List<List<SagaSummaryJson>> listings, int limit) {
        return listings.stream().flatMap(List::stream)
                .sorted(Comparator.comparingLong(SagaSummaryJson::updatedAt).thenComparing(SagaSummaryJson::orderId))
                .limit(limit).toList();
    }

    /**
     * The figures of the operations page over a set of sagas: all of them in flight, and those placed or ended in
     * the last {@code windowMs}. Stats of disjoint sets (instances' partitions) add up with {@link #plus}.
     *
     * @param windowMs           the window of the rates, ms
     * @param placed             sagas created (order accepted) within the window
     * @param ended              sagas that ended within the window, by "STATUS" or "STATUS/REASON" (for example
     *                           {@code CANCELLED/OUT_OF_STOCK})
     * @param latencyBucketsMs   of the sagas that ended within the window, how many took (placement to terminal,
     *                           ms) at most each bound of {@link #LATENCY_BOUNDS_MS} and more than the one before
     * @param inFlight           sagas RESERVING and PAYING now, by status, then by age bucket: how many are at most
     *                           each bound of {@link #AGE_BOUNDS_MS} old (and older than the one before)
     * @param sagas              sagas in the store, terminal ones included (until their retention ends)
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Stats(long windowMs, long placed, Map<String, Long> ended, List<Long> latencyBucketsMs,
                        Map<String, List<Long>> inFlight, long sagas) {

        /** In the JSON beside the buckets, for readers: {@link #LATENCY_BOUNDS_MS}. */
        @JsonProperty("latencyBoundsMs")
        public List<Long> latencyBoundsMs() {
            return LATENCY_BOUNDS_MS;
        }

        /** In the JSON beside the buckets, for readers: {@link #AGE_BOUNDS_MS}. */
        @JsonProperty("ageBoundsMs")
        public List<Long> ageBoundsMs() {
            return AGE_BOUNDS_MS;
        }

        /**
         * In the JSON: {@code {"p50","p95","p99"}}, each {@link #latencyPercentileMs} (null when none ended in the
         * window), ms.
         */
        @JsonProperty("latencyPercentilesMs")
        public Map<String, Long> latencyPercentilesMs() {
            Map<String, Long> percentiles = new TreeMap<>();
            percentiles.put("p50", latencyPercentileMs(50));
            percentiles.put("p95", latencyPercentileMs(95));
            percentiles.put("p99", latencyPercentileMs(99));
            return percentiles;
        }

        /** The sum of two disjoint sets' stats; both must have the same window. */
        public Stats plus(Stats other) {
            Map<String, Long> endedSum = new TreeMap<>(ended);
            other.ended.forEach((k, v) -> endedSum.merge(k, v, Long::sum));
            Map<String, List<Long>> inFlightSum = new TreeMap<>(inFlight);
            other.inFlight.forEach((k, v) -> inFlightSum.merge(k, v, SagaSearch::add));
            return new Stats(windowMs, placed + other.placed, endedSum, add(latencyBucketsMs, other.latencyBucketsMs),
                    inFlightSum, sagas + other.sagas);
        }

        /**
         * The latency (placement to terminal, ms) below which {@code percent} of the window's ended sagas fall,
         * as the upper bound of its histogram bucket; null when none ended ({@link Long#MAX_VALUE} beyond 60 s).
         */
        public Long latencyPercentileMs(double percent) {
            long count = latencyBucketsMs.stream().mapToLong(Long::longValue).sum();
            if (count == 0) {
                return null;
            }
            long rank = (long) Math.ceil(count * percent / 100.0);
            long seen = 0;
            for (int i = 0; i < latencyBucketsMs.size(); i++) {
                seen += latencyBucketsMs.get(i);
                if (seen >= rank) {
                    return LATENCY_BOUNDS_MS.get(i);
                }
            }
            return LATENCY_BOUNDS_MS.getLast();
        }
    }

    /**
     * The {@link Stats} of {@code sagas} at {@code nowMs} over the last {@code windowMs}. Reads all of them once.
     */
    public static Stats stats(Iterator<OrderSagaState> sagas, long windowMs, long nowMs) {
        long since = nowMs - windowMs;
        long placed = 0;
        long count = 0;
        Map<String, Long> ended = new TreeMap<>();
        long[] latency = new long[LATENCY_BOUNDS_MS.size()];
        Map<String, long[]> inFlight = new TreeMap<>();
        while (sagas.hasNext()) {
            OrderEvent order = sagas.next().getOrder();
            count++;
            long createdAt = order.getCreatedAt().toEpochMilli();
            long updatedAt = order.getUpdatedAt().toEpochMilli();
            if (createdAt > since) {
                placed++;
            }
            OrderStatus status = order.getStatus();
            if (status == OrderStatus.RESERVING || status == OrderStatus.PAYING) {
                inFlight.computeIfAbsent(status.name(), s -> new long[AGE_BOUNDS_MS.size()])[bucket(AGE_BOUNDS_MS, nowMs - updatedAt)]++;
            } else if (updatedAt > since) {
                ended.merge(order.getReason() == null ? status.name() : status.name() + "/" + order.getReason(), 1L, Long::sum);
                latency[bucket(LATENCY_BOUNDS_MS, updatedAt - createdAt)]++;
            }
        }
        Map<String, List<Long>> inFlightLists = new TreeMap<>();
        inFlight.forEach((status, buckets) -> inFlightLists.put(status, list(buckets)));
        return new Stats(windowMs, placed, ended, list(latency), inFlightLists, count);
    }

    /** The stats of no saga, the identity of {@link Stats#plus}. */
    public static Stats none(long windowMs) {
        return new Stats(windowMs, 0, Map.of(), list(new long[LATENCY_BOUNDS_MS.size()]), Map.of(), 0);
    }

    private static int bucket(List<Long> bounds, long valueMs) {
        int i = 0;
        while (valueMs > bounds.get(i)) {
            i++;
        }
        return i;
    }

    private static List<Long> list(long[] counts) {
        return Arrays.stream(counts).boxed().toList();
    }

    private static List<Long> add(List<Long> a, List<Long> b) {
        List<Long> sum = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) {
            sum.add(a.get(i) + b.get(i));
        }
        return sum;
    }
}
