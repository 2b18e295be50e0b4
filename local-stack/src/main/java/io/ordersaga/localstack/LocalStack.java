package io.ordersaga.localstack;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The local stack: a real single-node KRaft Kafka broker (Apache Kafka 4.2.1, in this JVM) and Apicurio
 * Registry 3.3.3 (a child process, Confluent-compatible API under {@code /apis/ccompat/v7}). The same code
 * serves {@code ./ordersaga up} ({@link Config#fixed(boolean)}: fixed ports, data kept under
 * {@code <project root>/.ordersaga}) and the tests ({@link Config#ephemeral()} via {@link LocalStackExtension}:
 * free ports, a temporary directory).
 *
 * <p>Both listen on 127.0.0.1 only. {@link #start(Config)} returns once both are ready. The registry process
 * never outlives this JVM: {@link #close()} stops it, a shutdown hook closes the stack on Ctrl-C/SIGTERM, and
 * {@link RegistryWatchdog} ends it when this JVM dies without running hooks ({@code kill -9}, a crash).
 */
public final class LocalStack implements AutoCloseable {

    /** Total time {@link #start(Config)} allows the broker and the registry to become ready, in ms. */
    public static final long STARTUP_TIMEOUT_MS = 120_000;

    private static final Logger log = LoggerFactory.getLogger(LocalStack.class);

    private final Config config;
    private final Path dataDir;
    private final boolean temporary;
    private Path registryDistribution;
    private Ports ports;
    private final Thread shutdownHook = new Thread(this::close, "local-stack-shutdown");
    private volatile KafkaBroker broker;
    private volatile RegistryProcess registry;
    private long brokerReadyMs;
    private long registryReadyMs;
    private boolean closed;

    private LocalStack(Config config, Path dataDir, boolean temporary) {
        this.config = config;
        this.dataDir = dataDir;
        this.temporary = temporary;
    }

    /**
     * Starts the broker and the registry (the registry is launched first, so that both boot at once) and
     * waits until both are ready: the broker answers an Admin {@code describeCluster}, the registry answers 200
     * on {@code /health/ready} and {@code /apis/ccompat/v7/subjects}. With {@link Config#fresh()}, the data
     * of an earlier run is deleted first.
     *
     * @throws IllegalStateException naming what did not come up (a port in use, the registry distribution
     *                               missing, the broker or the registry not ready within
     *                               {@value #STARTUP_TIMEOUT_MS} ms, with the tail of the registry's log);
     *                               whatever had started is stopped first
     */
    public static LocalStack start(Config config) {
        long startNanos = System.nanoTime();
        long deadlineNanos = startNanos + TimeUnit.MILLISECONDS.toNanos(STARTUP_TIMEOUT_MS);
        Path distribution = registryDistribution(config.home());
        Ports ports = Ports.resolve(config);
        LocalStack stack = config.dataDir() == null
                ? new LocalStack(config, createTempDirectory(), true)
                : new LocalStack(config, config.dataDir(), false);
        stack.registryDistribution = distribution;
        stack.ports = ports;
        if (config.fresh()) {
            deleteRecursively(stack.dataDir.resolve("kafka"));
            deleteRecursively(stack.dataDir.resolve("registry"));
            deleteRecursively(stack.stateDir());
        }
        Runtime.getRuntime().addShutdownHook(stack.shutdownHook);
        try {
            stack.registry = RegistryProcess.start(distribution, Files.createDirectories(stack.registryDir()),
                    ports.registry(), ports.registryManagement());
            stack.broker = KafkaBroker.start(stack.dataDir.resolve("kafka"), ports.broker(), ports.controller());
            stack.broker.awaitReady(deadlineNanos);
            stack.brokerReadyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
            stack.registry.awaitReady(deadlineNanos);
            stack.registryReadyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        } catch (IOException | RuntimeException e) {
            IllegalStateException failure = e instanceof IllegalStateException ise ? ise
                    : new IllegalStateException("The local stack did not start: " + e.getMessage(), e);
            try {
                stack.close();
            } catch (RuntimeException closing) {
                failure.addSuppressed(closing);
            }
            throw failure;
        }
        log.info("Local stack ready: Kafka {} (ready after {} ms), Apicurio Registry {} (ready after {} ms), data in {}",
                stack.bootstrapServers(), stack.brokerReadyMs, stack.registryUrl(), stack.registryReadyMs, stack.dataDir);
        return stack;
    }

    /** Kafka {@code bootstrap.servers}: {@code 127.0.0.1:<port>} (PLAINTEXT). */
    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /**
     * Base URL of the registry, {@code http://127.0.0.1:<port>}, as {@code EventSerdes.registry} takes it;
     * the Confluent-compatible API is under {@code /apis/ccompat/v7}, Apicurio's own under {@code /apis/registry/v3}.
     */
    public String registryUrl() {
        return registry.url();
    }

    /**
     * The directory holding the broker's log directory ({@code kafka/}) and the registry's files
     * ({@code registry/}: H2 database, {@code registry.log}), and the services' state ({@link #stateDir()}).
     * Deleted on close when the stack is {@link Config#ephemeral()}.
     */
    public Path dataDir() {
        return dataDir;
    }

    /**
     * Where the services run on this stack keep their state stores ({@code <dataDir>/state}). Cleared with the
     * broker's data by {@link Config#fresh()}, because the stores checkpoint offsets of the broker's topics.
     */
    public Path stateDir() {
        return dataDir.resolve("state");
    }

    /**
     * Stops the registry process (SIGTERM, and waits until it has exited), as in an outage: its port then refuses
     * connections. The broker keeps running; {@link #registryUrl()} stays the same. Idempotent.
     *
     * @throws IllegalStateException when the stack is closed
     */
    public synchronized void stopRegistry() {
        requireOpen();
        registry.close();
    }

    /**
     * Starts the registry process again after {@link #stopRegistry()}, on the same ports and with the same data
     * (its H2 files: every schema keeps its id), and waits until it answers as {@link #start(Config)} does. Does
     * nothing when it is running.
     *
     * @throws IllegalStateException when the stack is closed, or the registry is not ready within
     *                               {@value #STARTUP_TIMEOUT_MS} ms (with the tail of its log)
     */
    public synchronized void startRegistry() {
        requireOpen();
        if (registry.isAlive()) {
            return;
        }
        registry = RegistryProcess.start(registryDistribution, registryDir(), ports.registry(), ports.registryManagement());
        registry.awaitReady(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STARTUP_TIMEOUT_MS));
    }

    /** True while the registry process runs (from {@link #start(Config)} or {@link #startRegistry()} until stopped). */
    public synchronized boolean registryRunning() {
        return !closed && registry.isAlive();
    }

    /** The configuration this stack was started with. */
    public Config config() {
        return config;
    }

    /** Time from the call to {@link #start(Config)} until the broker answered, in ms. */
    public long brokerReadyMs() {
        return brokerReadyMs;
    }

    /** Time from the call to {@link #start(Config)} until the registry answered (the stack's start time), in ms. */
    public long registryReadyMs() {
        return registryReadyMs;
    }

    /**
     * Stops the registry process (and waits until it has exited), shuts the broker down, and deletes the data
     * directory when it is temporary. Idempotent; also run by the shutdown hook.
     *
     * @throws RuntimeException the first failure of stopping one part, after trying to stop the other
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<RuntimeException> failures = new ArrayList<>();
        for (AutoCloseable part : Stream.of(registry, broker).filter(Objects::nonNull).toList()) {
            try {
                part.close();
            } catch (Exception e) {
                failures.add(e instanceof RuntimeException re ? re : new IllegalStateException(e));
            }
        }
        if (temporary) {
            deleteRecursively(dataDir);
        }
        if (Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // The JVM is shutting down: the hook runs anyway, and finds the stack closed.
            }
        }
        if (!failures.isEmpty()) {
            failures.stream().skip(1).forEach(failures.getFirst()::addSuppressed);
            throw failures.getFirst();
        }
    }

    /**
     * The OrderSaga project root: the system property {@code ordersaga.home} if set, otherwise the nearest
     * directory at or above the working directory that holds both the {@code ordersaga} script and a
     * {@code pom.xml}.
     *
     * @throws IllegalStateException when there is no such directory
     */
    public static Path projectHome() {
        String configured = System.getProperty("ordersaga.home");
        if (configured != null) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        Path cwd = Path.of("").toAbsolutePath();
        for (Path dir = cwd; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("ordersaga")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("Cannot find the OrderSaga project root (a directory with the ordersaga script"
                + " and pom.xml) at or above " + cwd + ": run from inside the project or set -Dordersaga.home=<dir>");
    }

    private Path registryDir() {
        return dataDir.resolve("registry");
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("The local stack is closed");
        }
    }

    private static Path registryDistribution(Path home) {
        Properties properties = new Properties();
        try (InputStream in = LocalStack.class.getResourceAsStream("local-stack.properties")) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path distribution = home.resolve(".ordersaga").resolve(properties.getProperty("registry.distribution"));
        if (!Files.isRegularFile(distribution.resolve("quarkus-run.jar"))) {
            throw new IllegalStateException("Apicurio Registry is not unpacked at " + distribution
                    + ": build the local-stack module once (mvn -f local-stack install), which unpacks it there");
        }
        return distribution;
    }

    private static Path createTempDirectory() {
        try {
            return Files.createTempDirectory("ordersaga-local-stack-");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temporary directory for the local stack", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + dir, e);
        }
    }

    /**
     * How to run the stack.
     *
     * @param home                   the project root; the registry distribution is under {@code <home>/.ordersaga}
     * @param dataDir                where the broker's and the registry's data go (kept across runs); null for a
     *                               new temporary directory, deleted on close
     * @param fresh                  delete the data of an earlier run in {@code dataDir} before starting
     * @param brokerPort             Kafka PLAINTEXT port on 127.0.0.1; 0 for a free one (so for the other ports)
     * @param controllerPort         KRaft controller port on 127.0.0.1
     * @param registryPort           registry HTTP API port on 127.0.0.1
     * @param registryManagementPort registry health/metrics port on 127.0.0.1
     */
    public record Config(Path home, Path dataDir, boolean fresh, int brokerPort, int controllerPort,
                         int registryPort, int registryManagementPort) {

        /** Kafka's port for {@code ./ordersaga up}. */
        public static final int BROKER_PORT = 9092;
        /** KRaft controller port for {@code ./ordersaga up}. */
        public static final int CONTROLLER_PORT = 9093;
        /** Registry API port for {@code ./ordersaga up}. */
        public static final int REGISTRY_PORT = 8081;
        /** Registry management port for {@code ./ordersaga up}. */
        public static final int REGISTRY_MANAGEMENT_PORT = 9001;

        /** @throws IllegalArgumentException when home is null or a port is outside 0..65535 */
        public Config {
            if (home == null) {
                throw new IllegalArgumentException("home is required");
            }
            for (int port : new int[] {brokerPort, controllerPort, registryPort, registryManagementPort}) {
                if (port < 0 || port > 65_535) {
                    throw new IllegalArgumentException("port must be 0..65535, was " + port);
                }
            }
        }

        /**
         * {@code ./ordersaga up}: ports 9092 (controller 9093) and 8081 (management 9001), data under
         * {@code <project root>/.ordersaga}, kept across runs unless {@code fresh}.
         *
         * @throws IllegalStateException when the project root cannot be found ({@link #projectHome()})
         */
        public static Config fixed(boolean fresh) {
            Path home = projectHome();
            return new Config(home, home.resolve(".ordersaga"), fresh, BROKER_PORT, CONTROLLER_PORT, REGISTRY_PORT,
                    REGISTRY_MANAGEMENT_PORT);
        }

        /**
         * Tests: free ports, a temporary data directory deleted on close.
         *
         * @throws IllegalStateException when the project root cannot be found ({@link #projectHome()})
         */
        public static Config ephemeral() {
            return new Config(projectHome(), null, false, 0, 0, 0, 0);
        }
    }

    /** The four ports actually used: a configured port (checked to be free) or a free one picked for a 0. */
    private record Ports(int broker, int controller, int registry, int registryManagement) {

        static Ports resolve(Config config) {
            int[] wanted = {config.brokerPort(), config.controllerPort(), config.registryPort(), config.registryManagementPort()};
            String[] what = {"Kafka broker", "Kafka controller", "Apicurio Registry", "Apicurio Registry management"};
            int[] ports = new int[wanted.length];
            List<ServerSocket> held = new ArrayList<>();
            try {
                for (int i = 0; i < wanted.length; i++) {
                    try {
                        ServerSocket socket = new ServerSocket();
                        held.add(socket);
                        socket.setReuseAddress(true);
                        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), wanted[i]));
                        ports[i] = socket.getLocalPort();
                    } catch (IOException e) {
                        throw new IllegalStateException("Port " + wanted[i] + " (" + what[i] + ") on 127.0.0.1 is in use:"
                                + " is another ./ordersaga up running?", e);
                    }
                }
            } finally {
                held.forEach(socket -> {
                    try {
                        socket.close();
                    } catch (IOException e) {
                        // Closing a listening socket we own does not fail in a way that matters here.
                    }
                });
            }
            return new Ports(ports[0], ports[1], ports[2], ports[3]);
        }
    }
}
