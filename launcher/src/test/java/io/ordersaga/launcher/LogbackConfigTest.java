package io.ordersaga.launcher;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The launcher's logback.xml: the console gets the local stack's progress and errors only; every warning goes to
 * the log file ({@link Main#logFile()}); logback-json.xml writes that file as JSON lines.
 */
class LogbackConfigTest {

    @Test
    void warningsGoToTheFileAndTheConsoleKeepsProgressAndErrors(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ordersaga.log");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream out = System.out;
        // Before configuring: the console appender takes System.out when it starts.
        System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
        LoggerContext context = configured(file.toString());
        try {
            context.getLogger("org.apache.kafka.clients.producer.internals.Sender").warn("CONCURRENT_TRANSACTIONS, retrying");
            context.getLogger("org.apache.catalina.loader.WebappClassLoaderBase").warn("may create a memory leak");
            context.getLogger("org.apache.kafka.streams.KafkaStreams").info("State transition to RUNNING");
            context.getLogger("org.apache.kafka.streams.KafkaStreams").error("stream thread failed");
            context.getLogger("io.ordersaga.localstack.LocalStack").info("Local stack ready");
        } finally {
            System.setOut(out);
            context.stop();
        }

        assertThat(Files.readString(file))
                .contains("CONCURRENT_TRANSACTIONS", "memory leak", "stream thread failed", "Local stack ready")
                .doesNotContain("RUNNING");
        assertThat(console.toString(StandardCharsets.UTF_8))
                .contains("stream thread failed", "Local stack ready")
                .doesNotContain("CONCURRENT_TRANSACTIONS", "memory leak", "RUNNING");
    }

    @Test
    void theDefaultFileIsTheOneTheLauncherNames() throws Exception {
        LoggerContext context = configured(null);
        try {
            FileAppender<?> appender = (FileAppender<?>) context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("FILE");
            assertThat(appender.getFile()).isEqualTo(Main.logFile()).isEqualTo(".ordersaga/logs/ordersaga.log");
        } finally {
            context.stop();
        }
    }

    @Test
    void onRequestTheFileHoldsOneJsonObjectPerLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ordersaga.log");
        LoggerContext context = configured(file.toString(), "/logback-json.xml");
        try {
            context.getLogger("org.apache.kafka.clients.producer.internals.Sender").warn("CONCURRENT_TRANSACTIONS, retrying");
        } finally {
            context.stop();
        }

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).singleElement().satisfies(line -> {
            JsonNode json = JsonMapper.shared().readTree(line);
            assertThat(json.path("message").asString()).isEqualTo("CONCURRENT_TRANSACTIONS, retrying");
            assertThat(json.path("level").asString()).isEqualTo("WARN");
            assertThat(json.path("loggerName").asString()).isEqualTo("org.apache.kafka.clients.producer.internals.Sender");
        });
        assertThat(context.getStatusManager().getCopyOfStatusList()).noneMatch(status -> status.getLevel() >= Status.WARN);
    }

    /** A fresh logback context configured from the launcher's logback.xml; {@code file} overrides the log file. */
    private static LoggerContext configured(String file) throws JoranException, IOException {
        return configured(file, "/logback.xml");
    }

    /** As {@link #configured(String)}, from the configuration {@code resource}. */
    private static LoggerContext configured(String file, String resource) throws JoranException, IOException {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        if (file != null) {
            context.putProperty("ordersaga.log.file", file);
        }
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try (var xml = LogbackConfigTest.class.getResourceAsStream(resource)) {
            configurator.doConfigure(xml);
        }
        return context;
    }
}
