package io.ordersaga.localstack;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.LoggerFactory;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real Apache Kafka broker, single node, KRaft combined mode (broker and controller in one
 * {@link KafkaRaftServer}), running inside this JVM.
 *
 * <p>Listeners: PLAINTEXT on 127.0.0.1:brokerPort for clients, CONTROLLER on 127.0.0.1:controllerPort;
 * a static quorum ({@code controller.quorum.voters}), so the data directory can be restarted on other
 * ports. The log directory is formatted (as {@code kafka-storage.sh format} does) only when it holds no
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

    private static final int NODE_ID = 1;

    private final KafkaRaftServer server;
    private final String bootstrapServers;

    private KafkaBroker(KafkaRaftServer server, String bootstrapServers) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Formats {@code logDir} if it is new, then starts the broker; returns once the server's startup
     * returned (not yet necessarily serving: see {@link #awaitReady(long)}).
     *
     * @throws IllegalStateException when formatting or startup fails (a port taken, a log directory
     *                               locked by another broker)
     */
    static KafkaBroker start(Path logDir, int brokerPort, int controllerPort) {
        quietBrokerLogs();
        KafkaConfig config = new KafkaConfig(Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", String.valueOf(NODE_ID)),
                Map.entry("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort),
                Map.entry("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort),
                Map.entry("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort),
                Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                Map.entry("controller.listener.names", "CONTROLLER"),
                Map.entry("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT"),
                Map.entry("log.dirs", logDir.toString()),
                // One node: every internal topic has one replica, or transactions and groups never start (their
                // defaults are 3 replicas: the broker logs INVALID_REPLICATION_FACTOR for __transaction_state and
                // initTransactions() times out).
                Map.entry("offsets.topic.replication.factor", "1"),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"),
                Map.entry("share.coordinator.state.topic.replication.factor", "1"),
                Map.entry("share.coordinator.state.topic.min.isr", "1"),
                Map.entry("default.replication.factor", "1"),
                Map.entry("min.insync.replicas", "1"),
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                // Topics are created explicitly, with their partition count (Topic.newTopic): a typo must
                // fail, not create a one-partition topic that breaks co-partitioning.
                Map.entry("auto.create.topics.enable", "false")), false);
        try {
            Files.createDirectories(logDir);
            if (!Files.exists(logDir.resolve("meta.properties"))) {
                new Formatter()
                        .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                        .setNodeId(NODE_ID)
                        .setClusterId(Uuid.randomUuid().toString())
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
            throw new IllegalStateException("The Kafka broker did not start on 127.0.0.1:" + brokerPort
                    + " (controller 127.0.0.1:" + controllerPort + ", data " + logDir + "): " + e.getMessage(), e);
        }
        return new KafkaBroker(server, "127.0.0.1:" + brokerPort);
    }

    /** {@code host:port} of the PLAINTEXT listener. */
    String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * Waits until an Admin client's {@code describeCluster} succeeds.
     *
     * @param deadlineNanos {@link System#nanoTime()} by which the broker must answer
     * @throws IllegalStateException naming the broker and the last error when the deadline passes
     */
    void awaitReady(long deadlineNanos) {
        Map<String, Object> config = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2_000);
        Exception last = null;
        try (Admin admin = Admin.create(config)) {
            while (System.nanoTime() < deadlineNanos) {
                try {
                    if (!admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    last = e;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while waiting for the Kafka broker", e);
                }
            }
        }
        throw new IllegalStateException("The Kafka broker at " + bootstrapServers + " did not answer describeCluster in time"
                + (last == null ? "" : ": " + last.getMessage()), last);
    }

    /** Shuts the broker down and waits until it has stopped (a controlled shutdown, under a second). */
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
