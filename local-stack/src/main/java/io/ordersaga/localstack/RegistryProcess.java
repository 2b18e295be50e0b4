package io.ordersaga.localstack;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Apicurio Registry 3.3.3 as a child process: the prebuilt Quarkus distribution from Maven Central
 * ({@code io.apicurio:apicurio-registry-app:3.3.3:tar.gz:all}, unpacked by the build), run by the same
 * {@code java} that runs this JVM, bound to 127.0.0.1 only.
 *
 * <p>Storage: H2 in a file ({@code <dir>/registry.mv.db}), so a restart keeps schemas and their ids.
 * Global compatibility rule: FULL_TRANSITIVE, because a topic's producers and consumers are different
 * services deployed in any order and topics are replayed from any offset, so every schema version must read
 * and be read by every other. Output goes to {@code <dir>/registry.log}. The child dies with this JVM (see
 * {@link RegistryWatchdog}).
 */
final class RegistryProcess implements AutoCloseable {

    /** The Quarkus fast-jar entry point the watchdog hands over to. */
    private static final String QUARKUS_MAIN = "io.quarkus.bootstrap.runner.QuarkusEntryPoint";
    private static final int LOG_TAIL_LINES = 40;
    private static final long STOP_TIMEOUT_MS = 15_000;
    private static final long POLL_INTERVAL_MS = 100;

    private final Process process;
    private final Path log;
    private final String url;
    private final String readinessUrl;

    private RegistryProcess(Process process, Path log, String url, String readinessUrl) {
        this.process = process;
        this.log = log;
        this.url = url;
        this.readinessUrl = readinessUrl;
    }

    /**
     * Launches the registry; returns at once (see {@link #awaitReady(long)}).
     *
     * @param distribution   the unpacked distribution (holds {@code quarkus-run.jar})
     * @param dir            its data directory: H2 files, log, the watchdog class
     * @param port           HTTP API port on 127.0.0.1
     * @param managementPort health/metrics port on 127.0.0.1
     * @throws UncheckedIOException when the directory cannot be written or the process cannot be started
     */
    static RegistryProcess start(Path distribution, Path dir, int port, int managementPort) {
        try {
            Path classes = dir.resolve("watchdog");
            Path watchdog = classes.resolve(RegistryWatchdog.class.getName().replace('.', '/') + ".class");
            Files.createDirectories(watchdog.getParent());
            try (InputStream in = RegistryWatchdog.class.getResourceAsStream(RegistryWatchdog.class.getSimpleName() + ".class")) {
                Files.write(watchdog, in.readAllBytes());
            }
            String javaCommand = ProcessHandle.current().info().command()
                    .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            List<String> command = List.of(javaCommand,
                    "-Xmx256m", "-XX:+UseSerialGC",
                    // C1 only: about half the start time on 2 busy cores (4-5 s instead of 8-9 s); the serdes
                    // cache what they look up, so the registry's peak speed does not matter.
                    "-XX:TieredStopAtLevel=1",
                    // What quarkus-run.jar's manifest asks for; a manifest only counts with -jar, and the
                    // watchdog needs -cp.
                    "--add-opens=java.base/java.lang=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED",
                    "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port,
                    "-Dquarkus.management.host=127.0.0.1", "-Dquarkus.management.port=" + managementPort,
                    "-Dapicurio.datasource.url=jdbc:h2:file:" + dir.toAbsolutePath().resolve("registry"),
                    "-Dapicurio.rules.global.compatibility=FULL_TRANSITIVE",
                    "-cp", classes + File.pathSeparator + distribution.resolve("quarkus-run.jar"),
                    RegistryWatchdog.class.getName(), QUARKUS_MAIN);
            Path log = dir.resolve("registry.log");
            Process process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            return new RegistryProcess(process, log, "http://127.0.0.1:" + port,
                    "http://127.0.0.1:" + managementPort + "/health/ready");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start Apicurio Registry from " + distribution + ": " + e.getMessage(), e);
        }
    }

    /** True until the process has exited. */
    boolean isAlive() {
        return process.isAlive();
    }

    /** Base URL of the API, {@code http://127.0.0.1:<port>}. */
    String url() {
        return url;
    }

    /**
     * Waits until {@code GET /health/ready} (management port) and {@code GET /apis/ccompat/v7/subjects}
     * both answer 200.
     *
     * @param deadlineNanos {@link System#nanoTime()} by which it must be ready
     * @throws IllegalStateException when the process exits first or the deadline passes, with the tail of its log
     */
    void awaitReady(long deadlineNanos) {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
            while (System.nanoTime() < deadlineNanos) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Apicurio Registry exited with code " + process.exitValue()
                            + " before it was ready." + logTail());
                }
                if (ok(http, readinessUrl) && ok(http, url + "/apis/ccompat/v7/subjects")) {
                    return;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(POLL_INTERVAL_MS));
                if (Thread.interrupted()) {
                    throw new IllegalStateException("Interrupted while waiting for Apicurio Registry");
                }
            }
        }
        throw new IllegalStateException("Apicurio Registry at " + url + " was not ready in time (" + readinessUrl
                + " and /apis/ccompat/v7/subjects must answer 200)." + logTail());
    }

    /**
     * Stops the registry: SIGTERM (Quarkus shuts down in well under a second), SIGKILL if it is still
     * running after {@value #STOP_TIMEOUT_MS} ms; returns once it has exited.
     */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static boolean ok(HttpClient http, String url) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private String logTail() {
        try {
            List<String> lines = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
            return " Last lines of " + log + ":\n  "
                    + String.join("\n  ", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return " (its log " + log + " cannot be read: " + e.getMessage() + ")";
        }
    }
}
