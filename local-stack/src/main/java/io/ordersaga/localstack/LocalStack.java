package io.ordersaga.localstack;

import org.apache.kafka.common.Uuid;
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
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The local stack: a real KRaft Kafka broker (Apache Kafka 4.2.1, in this JVM; one node, or a cluster of
 * {@link Config#brokers()} nodes) and Apicurio Registry 3.3.3 (a child process, Confluent-compatible API under {@code /apis/ccompat/v7}). The same code
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
    private volatile List<KafkaBroker.Node> nodes;
    private final Map<Integer, KafkaBroker> brokers = new ConcurrentHashMap<>();
    private String clusterId;
    private volatile RegistryProcess registry;
    private LocalIssuer issuer;
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
     * waits until both are ready: every broker answers an Admin {@code describeCluster} showing all the brokers
     * (the nodes of a cluster start concurrently), the registry answers 200
     * on {@code /health/ready} and {@code /apis/ccompat/v7/subjects}. With {@link Config#fresh()}, the data
     * of an earlier run is deleted first.
     *
     * @throws IllegalStateException naming what did not come up (a port in use, the registry distribution
     *                               missing, the data of a cluster of another size, the brokers or the
     *                               registry not ready within
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
            deleteRecursively(keysDir(stack.dataDir));
        }
        stack.nodes = ports.nodes();
        stack.clusterId = stack.existingClusterId().orElseGet(() -> Uuid.randomUuid().toString());
        Runtime.getRuntime().addShutdownHook(stack.shutdownHook);
        try {
            stack.issuer = LocalIssuer.open(keysDir(stack.dataDir));
            stack.registry = RegistryProcess.start(distribution, Files.createDirectories(stack.registryDir()),
                    ports.registry(), ports.registryManagement());
            stack.startBrokers(stack.nodes, deadlineNanos);
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

    /**
     * Kafka {@code bootstrap.servers}: {@code 127.0.0.1:<port>} (PLAINTEXT) of every node, comma-separated, whether
     * it runs now or not (a client tries the next one).
     */
    public String bootstrapServers() {
        return nodes.stream().map(node -> "127.0.0.1:" + node.brokerPort()).collect(Collectors.joining(","));
    }

    /**
     * Replicas of every topic on this stack's cluster, Kafka's internal topics included: 1 on one broker, 3 on a
     * cluster of 3 or more. The services are to create their topics, changelogs and repartition topics with it
     * ({@code ordersaga.replication-factor}).
     */
    public short replicationFactor() {
        return KafkaBroker.replicationFactor(nodes.size());
    }

    /**
     * {@code min.insync.replicas} of every topic on this stack's cluster (the brokers' default, and
     * {@code transaction.state.log.min.isr}): 1 on one broker, 2 on a cluster of 3.
     */
    public int minInsyncReplicas() {
        return KafkaBroker.minInsyncReplicas(nodes.size());
    }

    /** The KRaft node ids of the cluster, 1 to {@link Config#brokers()}, running or not. */
    public List<Integer> brokerIds() {
        return nodes.stream().map(KafkaBroker.Node::id).toList();
    }

    /**
     * Stops broker {@code nodeId}. On a cluster of several nodes the others see it as a crash: no controlled
     * shutdown hands its partitions' leadership over first, so they move only once the controller fences it
     * (after {@code broker.session.timeout.ms}, 9 s); in-process, its logs still close cleanly. On a single node
     * it is the controlled shutdown of the whole cluster. Does nothing when it is stopped.
     *
     * @throws IllegalStateException when the stack is closed
     * @throws IllegalArgumentException when there is no such node
     */
    public synchronized void stopBroker(int nodeId) {
        requireOpen();
        KafkaBroker broker = brokers.remove(node(nodeId).id());
        if (broker != null) {
            broker.close();
        }
    }

    /**
     * Starts broker {@code nodeId} again after {@link #stopBroker}, on the same ports and data, and waits until
     * it answers and the cluster shows every node. Does nothing when it runs.
     *
     * @throws IllegalStateException when the stack is closed, or the node is not back within
     *                               {@value #STARTUP_TIMEOUT_MS} ms
     * @throws IllegalArgumentException when there is no such node
     */
    public synchronized void startBroker(int nodeId) {
        requireOpen();
        KafkaBroker.Node node = node(nodeId);
        if (!brokers.containsKey(node.id())) {
            startBrokers(List.of(node), System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STARTUP_TIMEOUT_MS));
        }
    }

    /** True while broker {@code nodeId} runs. */
    public synchronized boolean brokerRunning(int nodeId) {
        return !closed && brokers.containsKey(nodeId);
    }

    /**
     * Base URL of the registry, {@code http://127.0.0.1:<port>}, as {@code EventSerdes.registry} takes it;
     * the Confluent-compatible API is under {@code /apis/ccompat/v7}, Apicurio's own under {@code /apis/registry/v3}.
     */
    public String registryUrl() {
        return registry.url();
    }

    /**
     * The directory holding the broker's log directory ({@code kafka/}, or {@code kafka/node-<id>/} for each
     * node of a cluster) and the registry's files
     * ({@code registry/}: H2 database, {@code registry.log}), and the services' state ({@link #stateDir()}).
     * Deleted on close when the stack is {@link Config#ephemeral()}.
     */
    public Path dataDir() {
        return dataDir;
    }

    /**
     * The stack's token issuer: its key pair in {@code <dataDir>/keys} ({@link #keysDir}), made at the first start and
     * renewed by {@link Config#fresh()}. order-api on this stack verifies tokens with its public key.
     */
    public LocalIssuer issuer() {
        return issuer;
    }

    /** Where a stack with data in {@code dataDir} keeps its signing key pair ({@link LocalIssuer}): {@code keys/}. */
    public static Path keysDir(Path dataDir) {
        return dataDir.resolve("keys");
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
        List<AutoCloseable> parts = new ArrayList<>();
        parts.add(registry);
        parts.addAll(brokers.values());
        for (AutoCloseable part : parts.stream().filter(Objects::nonNull).toList()) {
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

    /** A single node's log directory is {@code kafka/}; a cluster's nodes have {@code kafka/node-<id>}. */
    private Path logDir(KafkaBroker.Node node) {
        Path kafka = dataDir.resolve("kafka");
        return nodes.size() == 1 ? kafka : kafka.resolve("node-" + node.id());
    }

    /**
     * The cluster id of the data an earlier run left, if any.
     *
     * @throws IllegalStateException when that data is of a cluster of another size: its quorum and replicas
     *                               cannot be reused (start with fresh, or with that many brokers)
     */
    private Optional<String> existingClusterId() {
        Path kafka = dataDir.resolve("kafka");
        int earlier;
        try (Stream<Path> children = Files.isDirectory(kafka) ? Files.list(kafka) : Stream.empty()) {
            earlier = Files.exists(kafka.resolve("meta.properties")) ? 1
                    : (int) children.filter(child -> child.getFileName().toString().startsWith("node-")).count();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + kafka, e);
        }
        if (earlier != 0 && earlier != nodes.size()) {
            throw new IllegalStateException("The Kafka data in " + kafka + " is of a cluster of " + earlier
                    + " broker(s), not " + nodes.size() + ": start with " + earlier + " or with fresh data (--fresh)");
        }
        return nodes.stream().map(node -> KafkaBroker.clusterId(logDir(node))).flatMap(Optional::stream).findFirst();
    }

    /**
     * Starts {@code toStart} concurrently (a node of a quorum of several waits in its startup for a majority) and
     * waits until each answers and the cluster shows all its nodes.
     */
    private void startBrokers(List<KafkaBroker.Node> toStart, long deadlineNanos) {
        List<CompletableFuture<KafkaBroker>> started = toStart.stream()
                .map(node -> CompletableFuture.supplyAsync(() -> KafkaBroker.start(logDir(node), clusterId, node, nodes),
                        runnable -> new Thread(runnable, "kafka-node-" + node.id() + "-startup").start()))
                .toList();
        RuntimeException failure = null;
        for (int i = 0; i < toStart.size(); i++) {
            try {
                brokers.put(toStart.get(i).id(), started.get(i).join());
            } catch (CompletionException e) {
                RuntimeException cause = e.getCause() instanceof RuntimeException re ? re : e;
                if (failure == null) {
                    failure = cause;
                } else {
                    failure.addSuppressed(cause);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        for (KafkaBroker.Node node : toStart) {
            brokers.get(node.id()).awaitReady(deadlineNanos, nodes.size());
        }
    }

    private KafkaBroker.Node node(int nodeId) {
        return nodes.stream().filter(node -> node.id() == nodeId).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No broker " + nodeId + " in " + brokerIds()));
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
     * @param brokers                how many KRaft nodes (each a broker and a controller): 1, or a cluster;
     *                               node {@code i} (from 0) listens on {@code brokerPort + 2i} and
     *                               {@code controllerPort + 2i} when those are fixed
     */
    public record Config(Path home, Path dataDir, boolean fresh, int brokerPort, int controllerPort,
                         int registryPort, int registryManagementPort, int brokers) {

        /** Kafka's port for {@code ./ordersaga up}. */
        public static final int BROKER_PORT = 9092;
        /** KRaft controller port for {@code ./ordersaga up}. */
        public static final int CONTROLLER_PORT = 9093;
        /** Registry API port for {@code ./ordersaga up}. */
        public static final int REGISTRY_PORT = 8081;
        /** Registry management port for {@code ./ordersaga up}. */
        public static final int REGISTRY_MANAGEMENT_PORT = 9001;

        /** @throws IllegalArgumentException when home is null, a port is outside 0..65535 or brokers is not positive */
        public Config {
            if (home == null) {
                throw new IllegalArgumentException("home is required");
            }
            if (brokers < 1) {
                throw new IllegalArgumentException("brokers must be at least 1, was " + brokers);
            }
            for (int port : new int[] {brokerPort, controllerPort, registryPort, registryManagementPort}) {
                if (port < 0 || port > 65_535) {
                    throw new IllegalArgumentException("port must be 0..65535, was " + port);
                }
            }
        }

        /** A stack with a single broker. */
        public Config(Path home, Path dataDir, boolean fresh, int brokerPort, int controllerPort,
                      int registryPort, int registryManagementPort) {
            this(home, dataDir, fresh, brokerPort, controllerPort, registryPort, registryManagementPort, 1);
        }

        /**
         * This configuration with a cluster of {@code count} brokers.
         *
         * @throws IllegalArgumentException when count is not positive
         */
        public Config withBrokers(int count) {
            return new Config(home, dataDir, fresh, brokerPort, controllerPort, registryPort, registryManagementPort, count);
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

    /**
     * The ports actually used: a configured port (checked to be free) or a free one picked for a 0; each Kafka node
     * has a broker and a controller port.
     */
    private record Ports(List<KafkaBroker.Node> nodes, int registry, int registryManagement) {

        static Ports resolve(Config config) {
            List<Integer> wanted = new ArrayList<>();
            List<String> what = new ArrayList<>();
            for (int i = 0; i < config.brokers(); i++) {
                String node = config.brokers() == 1 ? "" : " " + (i + 1);
                wanted.add(config.brokerPort() == 0 ? 0 : config.brokerPort() + 2 * i);
                what.add("Kafka broker" + node);
                wanted.add(config.controllerPort() == 0 ? 0 : config.controllerPort() + 2 * i);
                what.add("Kafka controller" + node);
            }
            wanted.addAll(List.of(config.registryPort(), config.registryManagementPort()));
            what.addAll(List.of("Apicurio Registry", "Apicurio Registry management"));
            int[] ports = new int[wanted.size()];
            List<ServerSocket> held = new ArrayList<>();
            try {
                for (int i = 0; i < ports.length; i++) {
                    try {
                        ServerSocket socket = new ServerSocket();
                        held.add(socket);
                        socket.setReuseAddress(true);
                        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), wanted.get(i)));
                        ports[i] = socket.getLocalPort();
                    } catch (IOException e) {
                        throw new IllegalStateException("Port " + wanted.get(i) + " (" + what.get(i) + ") on 127.0.0.1 is in use:"
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
            List<KafkaBroker.Node> nodes = new ArrayList<>();
            for (int i = 0; i < config.brokers(); i++) {
                nodes.add(new KafkaBroker.Node(i + 1, ports[2 * i], ports[2 * i + 1]));
            }
            return new Ports(List.copyOf(nodes), ports[ports.length - 2], ports[ports.length - 1]);
        }
    }
}
