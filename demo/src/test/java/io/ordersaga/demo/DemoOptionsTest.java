package io.ordersaga.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DemoOptionsTest {

    @Test
    void noArgumentsGiveTheDefaults() {
        DemoOptions o = DemoOptions.parse();
        assertThat(o).isEqualTo(DemoOptions.defaults());
        assertThat(o.csv()).isEmpty();
        assertThat(o.orders()).isEqualTo(5000);
        assertThat(o.seed()).isEqualTo(42);
        assertThat(o.concurrency()).isEqualTo(32);
        assertThat(o.rate()).isZero();
        assertThat(o.apiUrl()).isEqualTo(URI.create("http://127.0.0.1:8080"));
        assertThat(o.outDir()).isEqualTo(Path.of("demo-report"));
        assertThat(o.stockFraction()).isEqualTo(0.8);
        assertThat(o.flashSale()).isEmpty();
        assertThat(o.help()).isFalse();
    }

    @Test
    void everyOptionIsRead() {
        DemoOptions o = DemoOptions.parse("--csv", "data.csv", "--seed", "-3", "--concurrency", "8", "--rate=250.5",
                "--api", "http://localhost:9999/", "--out", "out/x", "--stock-fraction", "1.25", "--max-orders", "100",
                "--bootstrap", "kafka:9092");
        assertThat(o).isEqualTo(new DemoOptions(Optional.of(Path.of("data.csv")), 5000, -3, 8, 250.5,
                URI.create("http://localhost:9999"), Path.of("out/x"), 1.25, 100, Optional.empty(), false, Optional.of("kafka:9092")));
        assertThat(DemoOptions.parse("--bootstrap", "none").bootstrapServers()).isEmpty();
        assertThat(DemoOptions.parse("--orders", "200").orders()).isEqualTo(200);
        assertThat(DemoOptions.parse("--help").help()).isTrue();
        assertThat(DemoOptions.parse("--orders", "10", "-h").help()).isTrue();
    }

    @Test
    void badArgumentsGiveAOneLineMessage() {
        assertRefused("unknown option --frobnicate", "--frobnicate");
        assertRefused("unknown option stray", "stray");
        assertRefused("--orders needs a value", "--orders");
        assertRefused("--orders needs a whole number >= 1, got '0'", "--orders", "0");
        assertRefused("--orders needs a whole number >= 1, got 'many'", "--orders", "many");
        assertRefused("--concurrency needs a whole number >= 1", "--concurrency", "-2");
        assertRefused("--seed needs a whole number", "--seed", "x");
        assertRefused("--rate needs a number > 0", "--rate", "0");
        assertRefused("--rate needs a number", "--rate", "NaN");
        assertRefused("--stock-fraction needs a number between 0 and 1000", "--stock-fraction", "-0.1");
        assertRefused("--api needs an http(s) URL", "--api", "localhost:8080");
        assertRefused("--api needs an http(s) URL", "--api", "ftp://host/");
        assertRefused("--csv needs a non-empty value", "--csv", " ");
        assertRefused("--max-orders needs --csv", "--max-orders", "10");
        assertRefused("--orders is for the synthetic workload", "--csv", "f.csv", "--orders", "10");
    }

    @Test
    void flashSaleIsReadAndPutsEveryBuyerInFlight() {
        DemoOptions o = DemoOptions.parse("--flash-sale", "1000:100", "--seed", "7");
        assertThat(o.flashSale()).contains(new DemoOptions.FlashSale(1000, 100));
        assertThat(o.flashSale().orElseThrow().mustSell()).isEqualTo(100);
        assertThat(o.concurrency()).isEqualTo(1000);
        assertThat(o.rate()).isZero();
        assertThat(o.seed()).isEqualTo(7);
        assertThat(o.csv()).isEmpty();

        assertThat(DemoOptions.parse("--flash-sale= 50 : 80 ").flashSale()).contains(new DemoOptions.FlashSale(50, 80));
        assertThat(DemoOptions.parse("--flash-sale=50:80").flashSale().orElseThrow().mustSell()).isEqualTo(50);
        assertThat(DemoOptions.parse("--concurrency", "8", "--flash-sale", "1000:100").concurrency()).isEqualTo(8);
        assertThat(DemoOptions.parse("--flash-sale", "1000:100", "--concurrency", "8").concurrency()).isEqualTo(8);
        DemoOptions paced = DemoOptions.parse("--flash-sale", "1000:100", "--rate", "200");
        assertThat(paced.rate()).isEqualTo(200);
        assertThat(paced.concurrency()).isEqualTo(DemoOptions.defaults().concurrency());
    }

    @Test
    void badFlashSaleFormsAreRefused() {
        for (String bad : new String[] {"1000", "1000:", ":100", "0:100", "1000:0", "-1:5", "a:b", "1:2:3", "1.5:2",
                "1000/100", "", "99999999999:1"}) {
            assertRefused("--flash-sale needs BUYERS:UNITS, two whole numbers >= 1 such as 1000:100, got '" + bad + "'",
                    "--flash-sale", bad);
        }
        assertRefused("--flash-sale needs a value", "--flash-sale");
    }

    @Test
    void flashSaleDoesNotGoWithAnotherWorkload() {
        assertRefused("--flash-sale does not go with --csv", "--flash-sale", "10:5", "--csv", "f.csv");
        assertRefused("--flash-sale does not go with --csv", "--csv", "f.csv", "--flash-sale", "10:5");
        assertRefused("--flash-sale does not go with --orders", "--orders", "10", "--flash-sale", "10:5");
        assertRefused("--flash-sale does not go with --max-orders", "--flash-sale", "10:5", "--max-orders", "3");
        assertRefused("--flash-sale does not go with --stock-fraction", "--flash-sale", "10:5", "--stock-fraction", "1");
    }

    private static void assertRefused(String message, String... args) {
        assertThatThrownBy(() -> DemoOptions.parse(args))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
