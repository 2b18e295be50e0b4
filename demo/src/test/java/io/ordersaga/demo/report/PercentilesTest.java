package io.ordersaga.demo.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PercentilesTest {

    private static final long[] ONE_TO_HUNDRED = LongStream.rangeClosed(1, 100).toArray();
    private static final long[] FIVE_VALUES = {15, 20, 35, 40, 50};

    @ParameterizedTest(name = "p{0} of 1..100 is {1}")
    @CsvSource({"50, 50", "95, 95", "99, 99", "100, 100", "0.1, 1"})
    void nearestRankOnOneToHundred(double percentile, long expected) {
        assertThat(Percentiles.nearestRank(ONE_TO_HUNDRED, percentile)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "p{0} of 15,20,35,40,50 is {1}")
    @CsvSource({"5, 15", "30, 20", "40, 20", "50, 35", "100, 50"})
    void nearestRankRoundsTheRankUp(double percentile, long expected) {
        assertThat(Percentiles.nearestRank(FIVE_VALUES, percentile)).isEqualTo(expected);
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
