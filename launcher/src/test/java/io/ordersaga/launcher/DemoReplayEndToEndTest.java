package io.ordersaga.launcher;

import io.ordersaga.demo.Demo;
import io.ordersaga.demo.DemoOptions;
import io.ordersaga.demo.SampleData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The main job on real input: the demo replays the real Online Retail sample (read from ../shared, never
 * copied into the project) through the REST API of the running system and its audit of the books passes
 * (exit code 0). Skipped when the sample is not beside the repository.
 */
@ExtendWith(RunningSystem.class)
class DemoReplayEndToEndTest {

    @Test
    void realSampleReplayBalancesTheBooks(RunningSystem system) {
        Path csv = SampleData.onlineRetailSample().orElse(null);
        assumeTrue(csv != null, "the Online Retail sample is not at ../shared/data/online-retail/");

        int exit = Demo.run(DemoOptions.parse("--csv", csv.toString(),
                "--api", system.cluster().first(Service.API).url(),
                "--out", Path.of("target", "demo-report").toString()), Main.credentials(system.stack().issuer()), System.out);

        assertThat(exit).as("demo exit code (0 = the books balance)").isZero();
    }
}
