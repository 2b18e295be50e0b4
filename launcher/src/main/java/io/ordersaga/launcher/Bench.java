package io.ordersaga.launcher;

import io.ordersaga.demo.Demo;
import io.ordersaga.demo.DemoOptions;
import io.ordersaga.demo.SampleData;
import io.ordersaga.demo.report.Report;
import io.ordersaga.localstack.LocalStack;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code ordersaga bench}: a fixed matrix of demo runs, each on a fresh private stack (a new broker, registry and
 * services, empty data), all in this one JVM, printed as one table: orders/s, latency p50/p95/p99 (POST
 * to terminal state), machine-wide CPU-ms per order and records written per order. The matrix:
 * <ol>
 *   <li>the Online Retail sample replayed with 32 in flight;</li>
 *   <li>the same with 64 in flight;</li>
 *   <li>a flash sale, 10,000 buyers for 100 units, 64 in flight;</li>
 *   <li>paced at 100 orders/s on the synthetic workload (3,000 orders, open loop), after a 5,000-order warm-up run on
 *       the same stack, so the stack is warm as a long-running deployment is.</li>
 * </ol>
 * With {@code --scale} the matrix is instead the replay with 64 in flight on 1, 2 and 3 instances of every Streams
 * service (all in this JVM, on the same 2 cores: it measures what more instances cost or gain here, not on more
 * machines).
 *
 * <p>The runs share this JVM, so every run after the first runs on code the JIT compiled during the earlier ones: the
 * first row is a cold start, the others are not ({@code ./ordersaga demo} is always cold). Each run's own output goes
 * to {@code <out>/<run>/console.txt} and its report beside it. Benchmarks print figures;
 * nothing here asserts a speed. The lock-and-database baseline is run beside it as README's Performance section says.
 */
@Command(name = "bench", usageHelpAutoWidth = true,
        description = "Runs the benchmark matrix (replay at 32 and 64 in flight, flash sale 10000:100, paced 100/s "
                + "warm; or, with --scale, the replay on 1, 2 and 3 instances), each on a fresh private stack, and "
                + "prints one table.")
final class Bench implements Callable<Integer> {

    @Option(names = "--csv", paramLabel = "FILE",
            description = "the Online Retail CSV to replay (default: the project's sample in ../shared/data/online-retail/)")
    private Path csv;

    @Option(names = "--out", paramLabel = "DIR", description = "where each run's console output and report go (default bench-report)")
    private Path out = Path.of("bench-report");

    @Option(names = "--scale", description = "instead of the matrix: the replay, 64 in flight, on 1, 2 and 3 instances "
            + "of every Streams service")
    private boolean scale;

    @Mixin
    private Main.HelpOption helpOption;

    /**
     * One run of the matrix: its name, its options, the warm-up run before it on the same stack if any, and how many
     * instances of each Streams service serve it.
     */
    private record Run(String name, List<String> args, Optional<List<String>> warmUp, int instances) {
    }

    /** One row of the table. */
    private record Row(String name, int exitCode, Optional<Report> report) {
    }

    /**
     * Runs the matrix and prints the table.
     *
     * @return 0 when every run's audit passed, 1 otherwise (the table says which)
     */
    @Override
    public Integer call() throws Exception {
        Path sample = csv != null ? csv : SampleData.onlineRetailSample()
                .orElseThrow(() -> new IllegalArgumentException("no Online Retail sample found: give --csv FILE"));
        List<String> replay64 = List.of("--csv", sample.toString(), "--concurrency", "64");
        List<Run> matrix = scale
                ? List.of(1, 2, 3).stream().map(n -> new Run("replay, 64 in flight, " + n + " instance" + (n > 1 ? "s" : ""),
                        replay64, Optional.empty(), n)).toList()
                : List.of(
                        new Run("replay, 32 in flight", List.of("--csv", sample.toString(), "--concurrency", "32"), Optional.empty(), 1),
                        new Run("replay, 64 in flight", replay64, Optional.empty(), 1),
                        new Run("flash 10000:100, 64 in flight", List.of("--flash-sale", "10000:100", "--concurrency", "64"),
                                Optional.empty(), 1),
                        new Run("paced 100/s, warm", List.of("--orders", "3000", "--rate", "100", "--seed", "7"),
                                Optional.of(List.of("--orders", "5000", "--concurrency", "64", "--seed", "42")), 1));
        List<Row> rows = new ArrayList<>();
        for (Run run : matrix) {
            System.out.println("bench: " + run.name() + " ...");
            rows.add(run(run));
        }
        System.out.println();
        System.out.println(table(rows));
        return rows.stream().allMatch(row -> row.exitCode() == Demo.BOOKS_BALANCE) ? 0 : 1;
    }

    private Row run(Run run) throws Exception {
        Path dir = out.resolve(run.name().replaceAll("[^A-Za-z0-9]+", "-"));
        Files.createDirectories(dir);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        try (PrintStream printed = new PrintStream(console, true, StandardCharsets.UTF_8);
             LocalStack stack = LocalStack.start(LocalStack.Config.ephemeral());
             ServiceCluster cluster = new ServiceCluster(stack, Main.serviceOverrides())) {
            for (Service service : Service.values()) {
                for (int i = 0; service.isStreams() && i < run.instances(); i++) {
                    cluster.start(service, Main.freePort(), Map.of());
                }
            }
            cluster.start(Service.API, Main.freePort(), cluster.apiRoutes());
            URI api = URI.create(cluster.first(Service.API).url());
            if (run.warmUp().isPresent()) {
                Demo.execute(options(run.warmUp().get(), dir.resolve("warm-up"), api, stack),
                        Main.credentials(stack.issuer()), printed);
            }
            Demo.Result result = Demo.execute(options(run.args(), dir, api, stack), Main.credentials(stack.issuer()), printed);
            return new Row(run.name(), result.exitCode(), result.report());
        } finally {
            Files.write(dir.resolve("console.txt"), console.toByteArray());
        }
    }

    private static DemoOptions options(List<String> args, Path dir, URI api, LocalStack stack) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of("--out", dir.toString()));
        return DemoOptions.parse(all.toArray(String[]::new)).withStack(api, stack.bootstrapServers());
    }

    /** The table, one row per run, in Markdown (it pastes into README as it is). */
    static String table(List<Row> rows) {
        StringBuilder t = new StringBuilder("| run | orders/s | p50 / p95 / p99 ms | CPU-ms per order | records per order | audit |\n"
                + "|---|---|---|---|---|---|\n");
        for (Row row : rows) {
            if (row.report().isEmpty()) {
                t.append("| ").append(row.name()).append(" | could not run (exit ").append(row.exitCode()).append(") | | | | |\n");
                continue;
            }
            Report r = row.report().get();
            t.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f / %.1f / %.1f | %s | %s | %s |%n", row.name(),
                    r.throughput().ordersPerSecond(), r.latency().p50Ms(), r.latency().p95Ms(), r.latency().p99Ms(),
                    r.cost().cpuMsPerOrder() < 0 ? "unknown" : String.format(Locale.ROOT, "%.2f", r.cost().cpuMsPerOrder()),
                    r.cost().recordsPerOrder() < 0 ? "unknown" : String.format(Locale.ROOT, "%.1f", r.cost().recordsPerOrder()),
                    r.audit().passed() ? "passed" : "FAILED"));
        }
        return t.toString();
    }
}
