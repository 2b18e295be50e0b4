package io.ordersaga.localstack;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Stacks of their own (not the shared one): what close leaves behind, what a restart keeps, what fresh
 * wipes, and how a start that cannot succeed fails.
 */
class LocalStackLifecycleTest {

    private static final HttpClient http = HttpClient.newHttpClient();
    private static final String SCHEMA_BODY = "{\"schema\":\"{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"Check\\\","
            + "\\\"fields\\\":[{\\\"name\\\":\\\"id\\\",\\\"type\\\":\\\"string\\\"}]}\"}";

    @Test
    void closeLeavesNoRegistryProcessARestartKeepsTheDataAndFreshWipesIt(@TempDir Path dataDir) throws Exception {
        LocalStack.Config config = new LocalStack.Config(LocalStack.projectHome(), dataDir, false, 0, 0, 0, 0);
        Set<ProcessHandle> before = Set.copyOf(registryProcesses());

        LocalStack first = LocalStack.start(config);
        List<ProcessHandle> registry = registryProcesses().stream().filter(p -> !before.contains(p)).toList();
        assertThat(registry).hasSize(1);
        try (Admin admin = admin(first)) {
            admin.createTopics(List.of(new NewTopic("restart-check", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        HttpResponse<String> registered = http.send(HttpRequest.newBuilder(
                        URI.create(first.registryUrl() + "/apis/ccompat/v7/subjects/restart-check-value/versions"))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(SCHEMA_BODY)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(registered.statusCode()).isEqualTo(200);
        first.close();
        assertThat(registry).noneMatch(ProcessHandle::isAlive);

        try (LocalStack second = LocalStack.start(config); Admin admin = admin(second)) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains("restart-check");
            assertThat(get(second, "/apis/ccompat/v7/subjects")).contains("restart-check-value");
            java.nio.file.Files.createDirectories(second.stateDir().resolve("some-service"));
        }
        assertThat(dataDir.resolve("state").resolve("some-service")).as("a restart keeps the services' state").exists();

        LocalStack.Config fresh = new LocalStack.Config(config.home(), dataDir, true, 0, 0, 0, 0);
        try (LocalStack third = LocalStack.start(fresh); Admin admin = admin(third)) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).doesNotContain("restart-check");
            assertThat(get(third, "/apis/ccompat/v7/subjects")).isEqualTo("[]");
            assertThat(third.stateDir()).as("fresh clears the services' state too").doesNotExist();
        }
        assertThat(registryProcesses()).allMatch(before::contains);
    }

    @Test
    void aPortInUseFailsTheStartNamingIt() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            LocalStack.Config config = new LocalStack.Config(LocalStack.projectHome(), null, false,
                    taken.getLocalPort(), 0, 0, 0);
            assertThatThrownBy(() -> LocalStack.start(config))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Port " + taken.getLocalPort() + " (Kafka broker)");
        }
    }

    @Test
    void aMissingRegistryDistributionFailsTheStartNamingIt(@TempDir Path elsewhere) {
        LocalStack.Config config = new LocalStack.Config(elsewhere, null, false, 0, 0, 0, 0);
        assertThatThrownBy(() -> LocalStack.start(config))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Apicurio Registry is not unpacked at " + elsewhere.resolve(".ordersaga"));
    }

    @Test
    void aRegistryThatDiesAtStartFailsTheStartWithTheTailOfItsLog(@TempDir Path home) throws IOException {
        Path distribution = Files.createDirectories(home.resolve(".ordersaga").resolve("apicurio-registry-3.3.3"));
        Files.write(distribution.resolve("quarkus-run.jar"), new byte[0]);
        LocalStack.Config config = new LocalStack.Config(home, null, false, 0, 0, 0, 0);
        Set<ProcessHandle> before = Set.copyOf(registryProcesses());

        assertThatThrownBy(() -> LocalStack.start(config))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Apicurio Registry exited with code 1 before it was ready")
                .hasMessageContaining("io.quarkus.bootstrap.runner.QuarkusEntryPoint");
        assertThat(registryProcesses()).allMatch(before::contains);
    }

    /** This JVM's registry child processes, recognised by their main class. */
    private static List<ProcessHandle> registryProcesses() {
        return ProcessHandle.current().children()
                .filter(p -> p.info().commandLine().orElse("").contains(RegistryWatchdog.class.getName()))
                .toList();
    }

    private static Admin admin(LocalStack stack) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()));
    }

    private static String get(LocalStack stack, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(stack.registryUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
