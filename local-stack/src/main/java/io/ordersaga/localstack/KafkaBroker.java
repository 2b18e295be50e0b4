package io.ordersaga.localstack;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * A real Apache Kafka broker, KRaft combined mode (broker and controller in one {@link KafkaRaftServer}), running
 * inside this JVM: the single node of the local stack, or one node of its cluster.
 *
 * <p>Listeners: PLAINTEXT on 127.0.0.1:brokerPort for clients, CONTROLLER on 127.0.0.1:controllerPort;
 * a static quorum ({@code controller.quorum.voters}, every node a voter), so the data directory can be
 * restarted on other ports. The log directory is formatted (as {@code kafka-storage.sh format} does) only when it holds no
 * {@code meta.properties} yet, so a restart keeps the topics, the offsets and the transactions.
 */
final class KafkaBroker implements AutoCloseable {

    /**
     * Loggers of broker-side code, set to WARN unless configured otherwise (they log every partition change at
     * INFO). AbstractConfig is where the broker dumps its whole configuration at INFO; the clients of this JVM
     * dump theirs there too, and are quieted with it.
     */
    private static final List<String> BROKER_LOGGERS = List.of("kafka", "state.change.logger",
            "org.apache.kafka.common.config.AbstractConfig",
            "org.apache.kafka.server", "org.apache.kafka.controller", "org.apache.kafka.raft", "org.apache.kafka.metadata",
            "org.apache.kafka.image", "org.apache.kafka.storage", "org.apache.kafka.coordinator", "org.apache.kafka.queue",
            "org.apache.kafka.snapshot", "org.apache.kafka.security", "org.apache.kafka.network");

    private final KafkaRaftServer server;
    private final String bootstrapServers;

    private KafkaBroker(KafkaRaftServer server, String bootstrapServers) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * One node of the quorum: its KRaft node id and its two ports on 127.0.0.1.
     *
     * @param id             {@code node.id}, 1 to the cluster size
     * @param brokerPort     PLAINTEXT (clients and replication)
     * @param controllerPort CONTROLLER (the KRaft quorum)
     */
    record Node(int id, int brokerPort, int controllerPort) {
    }

    /**
     * Replicas of every topic on a cluster of {@code size} nodes: all of them up to 3 (Kafka's default for its
     * own topics), so that a cluster of 3 keeps every partition when one node is lost.
     */
    static short replicationFactor(int size) {
        return (short) Math.min(size, 3);
    }

    /**
     * {@code min.insync.replicas} on a cluster of {@code size} nodes: one less than {@link #replicationFactor},
     * at least 1. With 3 replicas, an {@code acks=all} write (every producer here: idempotent or transactional)
     * is on 2 nodes before it is acknowledged, and writes go on while one node is down.
     */
    static int minInsyncReplicas(int size) {
        return Math.max(1, replicationFactor(size) - 1);
    }

    /**
     * Formats {@code logDir} if it is new, then starts node {@code self} of the static quorum {@code quorum}
     * (every node a broker and a controller); returns once the server's startup returned, which on a quorum
     * of several nodes waits until a majority of them runs: start the nodes of a cluster concurrently.
     *
     * <p>Every topic gets {@link #replicationFactor} replicas and {@link #minInsyncReplicas} as its
     * {@code min.insync.replicas}, Kafka's internal topics ({@code __consumer_offsets}, {@code __transaction_state},
     * the share-group state) included. On a quorum of more than one node, {@code controlled.shutdown.enable} is
     * false: {@link #close()} then stops the node as a crash does from the cluster's side (its partitions'
     * leadership is not handed over first; the controller fences the node once its heartbeats stop for
     * {@code broker.session.timeout.ms}, 9 s).
     *
     * @param logDir    the node's log directory (its metadata log too)
     * @param clusterId the cluster id written when formatting; the same for every node of a cluster
     * @param self      this node
     * @param quorum    every node of the cluster, this one included
     * @throws IllegalStateException when formatting or startup fails (a port taken, a log directory
     *                               locked by another broker)
     */
    static KafkaBroker start(Path logDir, String clusterId, Node self, List<Node> quorum) {
        quietBrokerLogs();
        String replicas = String.valueOf(replicationFactor(quorum.size()));
        String minInsync = String.valueOf(minInsyncReplicas(quorum.size()));
        KafkaConfig config = new KafkaConfig(Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", String.valueOf(self.id())),
                Map.entry("controller.quorum.voters", quorum.stream()
                        .map(node -> node.id() + "@127.0.0.1:" + node.controllerPort()).collect(Collectors.joining(","))),
                Map.entry("listeners", "PLAINTEXT://127.0.0.1:" + self.brokerPort() + ",CONTROLLER://127.0.0.1:" + self.controllerPort()),
                Map.entry("advertised.listeners", "PLAINTEXT://127.0.0.1:" + self.brokerPort()),
                Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                Map.entry("controller.listener.names", "CONTROLLER"),
                Map.entry("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT"),
                Map.entry("log.dirs", logDir.toString()),
                // Kafka's internal topics default to 3 replicas: on one node, transactions and groups never start
                // with that (the broker logs INVALID_REPLICATION_FACTOR for __transaction_state and
                // initTransactions() times out), so they follow the cluster's size like every other topic.
                Map.entry("offsets.topic.replication.factor", replicas),
                Map.entry("transaction.state.log.replication.factor", replicas),
                Map.entry("transaction.state.log.min.isr", minInsync),
                Map.entry("share.coordinator.state.topic.replication.factor", replicas),
                Map.entry("share.coordinator.state.topic.min.isr", minInsync),
                Map.entry("default.replication.factor", replicas),
                Map.entry("min.insync.replicas", minInsync),
                Map.entry("controlled.shutdown.enable", String.valueOf(quorum.size() == 1)),
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                // Topics are created explicitly, with their partition count (Topic.newTopic): a typo must
                // fail, not create a one-partition topic that breaks co-partitioning.
                Map.entry("auto.create.topics.enable", "false")), false);
        try {
            Files.createDirectories(logDir);
            if (!Files.exists(logDir.resolve("meta.properties"))) {
                new Formatter()
                        .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                        .setNodeId(self.id())
                        .setClusterId(clusterId)
                        .setControllerListenerName("CONTROLLER")
                        .setMetadataLogDirectory(config.metadataLogDir())
                        .addDirectory(logDir.toString())
                        .setHasDynamicQuorum(false)
                        .run();
            }
        } catch (Exception e) {
            throw new IllegalStateException("Cannot format the Kafka log directory " + logDir + ": " + e.getMessage(), e);
        }
        KafkaRaftServer server = null;
        try {
            server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
        } catch (RuntimeException e) {
            if (server != null) {
                server.shutdown();
                server.awaitShutdown();
            }
            throw new IllegalStateException("The Kafka broker " + self.id() + " did not start on 127.0.0.1:" + self.brokerPort()
                    + " (controller 127.0.0.1:" + self.controllerPort() + ", data " + logDir + "): " + e.getMessage(), e);
        }
        return new KafkaBroker(server, "127.0.0.1:" + self.brokerPort());
    }

    /**
     * The {@code cluster.id} a formatted log directory holds, if it is formatted.
     *
     * @throws UncheckedIOException when its {@code meta.properties} cannot be read
     */
    static Optional<String> clusterId(Path logDir) {
        Path meta = logDir.resolve("meta.properties");
        if (!Files.isRegularFile(meta)) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(meta)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + meta, e);
        }
        return Optional.ofNullable(properties.getProperty("cluster.id"));
    }

    /** {@code host:port} of the PLAINTEXT listener. */
    String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * Waits until an Admin client of this node's listener sees at least {@code nodes} brokers in
     * {@code describeCluster} (the brokers registered and not fenced).
     *
     * @param deadlineNanos {@link System#nanoTime()} by which the broker must answer
     * @param nodes         how many brokers the cluster must show
     * @throws IllegalStateException naming the broker and the last error when the deadline passes
     */
    void awaitReady(long deadlineNanos, int nodes) {
        Map<String, Object> config = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2_000);
        Exception last = null;
        try (Admin admin = Admin.create(config)) {
            while (System.nanoTime() < deadlineNanos) {
                try {
                    if (admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).size() >= nodes) {
                        return;
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
                } catch (ExecutionException | TimeoutException e) {
                    last = e;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while waiting for the Kafka broker", e);
                }
            }
        }
        throw new IllegalStateException("The Kafka broker at " + bootstrapServers + " did not show " + nodes
                + " broker(s) in describeCluster in time" + (last == null ? "" : ": " + last.getMessage()), last);
    }

    /**
     * Shuts the node down and waits until it has stopped: a controlled shutdown (under a second) when it is the
     * only node; on a cluster, a stop the others see as a crash ({@link #start}).
     */
    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }

    /**
     * Sets the broker-side loggers to WARN when the backend is Logback and they have no level of their own,
     * so that a configured level (logback-test.xml) still wins. Spring Boot resets Logback when an application
     * starts: an application started after the stack sets these levels itself ({@code logging.level.kafka=WARN}).
     */
    private static void quietBrokerLogs() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            for (String name : BROKER_LOGGERS) {
                Logger logger = context.getLogger(name);
                if (logger.getLevel() == null) {
                    logger.setLevel(Level.WARN);
                }
            }
        }
    }
}
