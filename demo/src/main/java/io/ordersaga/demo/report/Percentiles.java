package io.ordersaga.demo.report;

/** Percentiles by the nearest-rank method: the smallest value with at least p % of the values at or below it. */
public final class Percentiles {

    private Percentiles() {
    }

    /**
     * The p-th percentile of sorted values.
     *
     * @param ascending values sorted ascending (any unit; latencies in microseconds here)
     * @param p         the percentile, in (0, 100]
     * @return {@code ascending[ceil(p / 100 x n) - 1]}, or 0 when there is no value
     * @throws IllegalArgumentException when p is not in (0, 100]
     */
    static long nearestRank(long[] ascending, double p) {
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100], got " + p);
        }
        if (ascending.length == 0) {
            return 0;
        }
        // the epsilon keeps decimal p exact: 99.9 % of 1000 values is rank 999, not 1000
        int rank = (int) Math.ceil(p * ascending.length / 100 - 1e-9);
        return ascending[Math.clamp(rank, 1, ascending.length) - 1];
    }
}
