package io.ordersaga.demo.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class PercentilesTest {

    @Test
    void nearestRankOnOneToHundred() {
        long[] values = LongStream.rangeClosed(1, 100).toArray();
        assertThat(Percentiles.nearestRank(values, 50)).isEqualTo(50);
        assertThat(Percentiles.nearestRank(values, 95)).isEqualTo(95);
        assertThat(Percentiles.nearestRank(values, 99)).isEqualTo(99);
        assertThat(Percentiles.nearestRank(values, 100)).isEqualTo(100);
        assertThat(Percentiles.nearestRank(values, 0.1)).isEqualTo(1);
    }

    @Test
    void nearestRankRoundsTheRankUp() {
        long[] values = {15, 20, 35, 40, 50};
        assertThat(Percentiles.nearestRank(values, 5)).isEqualTo(15);
        assertThat(Percentiles.nearestRank(values, 30)).isEqualTo(20);
        assertThat(Percentiles.nearestRank(values, 40)).isEqualTo(20);
        assertThat(Percentiles.nearestRank(values, 50)).isEqualTo(35);
        assertThat(Percentiles.nearestRank(values, 100)).isEqualTo(50);
    }

    @Test
    void decimalPercentilesAreExact() {
        long[] values = LongStream.rangeClosed(1, 1000).toArray();
        assertThat(Percentiles.nearestRank(values, 99.9)).isEqualTo(999);
        assertThat(Percentiles.nearestRank(new long[] {7}, 99)).isEqualTo(7);
    }

    @Test
    void emptyIsZeroAndOutOfRangeIsRefused() {
        assertThat(Percentiles.nearestRank(new long[0], 50)).isZero();
        assertThatThrownBy(() -> Percentiles.nearestRank(new long[] {1}, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Percentiles.nearestRank(new long[] {1}, 100.5)).isInstanceOf(IllegalArgumentException.class);
    }
}
