package io.ordersaga.launcher;

import io.ordersaga.api.ApiProperties;
import io.ordersaga.demo.client.OrderApi;
import io.ordersaga.common.SchemaRegistration;
import io.ordersaga.localstack.LocalStack;
import io.ordersaga.saga.OrderSagaApplication;
import io.ordersaga.saga.OrderSaga;
import io.ordersaga.saga.OrderSagaTopology;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import org.yaml.snakeyaml.Yaml;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import java.io.Reader;
import java.lang.reflect.Executable;
import java.lang.reflect.Parameter;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.LIST;

/**
 * What can be checked of {@code docker-compose.yml} without Docker: the broker and registry services, the five
 * services named, imaged, ordered and health-checked as the build and the code define them, every environment
 * variable bound (Spring relaxed binding) to a property the service actually reads, and the Jib image build behind
 * the images. The health endpoint the compose file probes is also asked of the running services.
 */
@ExtendWith(RunningSystem.class)
class DockerComposeTest {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^:}]+)");
    private static final Pattern HEALTH_PATH = Pattern.compile("GET (/\\S+) HTTP");
    /** order-api's URL-list properties, each pointing at the instances of one service (as {@link ServiceCluster#apiRoutes()}). */
    private static final Map<String, Service> API_ROUTES = Map.of(
            "ordersaga.api.inventory-urls", Service.INVENTORY,
            "ordersaga.api.payment-urls", Service.PAYMENT,
            "ordersaga.api.saga-urls", Service.SAGA,
            "ordersaga.api.view-urls", Service.VIEW);

    private static Path home;
    private static Map<String, Object> compose;
    private static Map<String, Map<String, Object>> services;
    private static Document rootPom;

    @BeforeAll
    static void load() throws Exception {
        home = LocalStack.projectHome();
        try (Reader reader = Files.newBufferedReader(home.resolve("docker-compose.yml"))) {
            compose = new Yaml().load(reader);
            services = new LinkedHashMap<>();
            map(compose.get("services")).forEach((name, service) -> services.put(name, map(service)));
        }
        rootPom = xml(home.resolve("pom.xml"));
    }

    @Test
    void kafkaIsASingleKRaftNodeOfTheTestedVersionReadyForTransactions() {
        Map<String, Object> kafka = service("kafka");
        assertThat(kafka.get("image")).isEqualTo("apache/kafka:" + AppInfoParser.getVersion());
        Map<String, String> env = environment(kafka);
        assertThat(env.get("KAFKA_PROCESS_ROLES").split(",")).containsExactlyInAnyOrder("broker", "controller");
        assertThat(env).containsKeys("KAFKA_NODE_ID", "KAFKA_CONTROLLER_QUORUM_VOTERS", "KAFKA_CONTROLLER_LISTENER_NAMES",
                "KAFKA_LISTENERS", "KAFKA_ADVERTISED_LISTENERS");
        // One broker: exactly-once needs the internal topics at replication factor 1 (their default is 3).
        assertThat(env).containsEntry("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1")
                .containsEntry("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
                .containsEntry("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1");
        assertThat(map(kafka.get("healthcheck"))).containsKey("test");
    }

    @Test
    void registryIsTheTestedApicurioWithFullTransitiveAsGlobalRule() throws Exception {
        Map<String, Object> registry = service("registry");
        assertThat(registry.get("image")).isEqualTo("apicurio/apicurio-registry:" + text(rootPom, "/project/properties/apicurio.registry.version"));
        assertThat(environment(registry)).containsEntry("APICURIO_RULES_GLOBAL_COMPATIBILITY", SchemaRegistration.COMPATIBILITY);
        assertThat(map(registry.get("healthcheck"))).containsKey("test");
    }

    @Test
    void theBrokerLogTheRegistryDatabaseAndEveryStateDirectoryAreOnNamedVolumes() {
        Set<String> declared = map(compose.get("volumes")).keySet();
        assertThat(volumeAt(service("kafka"), environment(service("kafka")).get("KAFKA_LOG_DIRS"))).isIn(declared);
        Map<String, String> registry = environment(service("registry"));
        assertThat(registry).containsEntry("APICURIO_STORAGE_KIND", "sql");
        String database = registry.get("APICURIO_DATASOURCE_URL");
        assertThat(database).as("not the in-memory default").startsWith("jdbc:h2:file:");
        assertThat(volumeAt(service("registry"), Path.of(database.substring("jdbc:h2:file:".length())).getParent().toString()))
                .isIn(declared);
        for (Service service : Service.values()) {
            if (service.isStreams()) {
                Binder binder = new Binder(environmentSource(environment(service(service.applicationName()))));
                String stateDir = binder.bind("ordersaga.state-dir", String.class).orElse(null);
                assertThat(volumeAt(service(service.applicationName()), stateDir)).as(service.applicationName()).isIn(declared);
            }
        }
    }

    /** The named volume mounted at {@code path} in a service (a {@code name:path} entry), or null. */
    private static String volumeAt(Map<String, Object> service, String path) {
        Object volumes = service.get("volumes");
        return volumes == null ? null : ((List<?>) volumes).stream().map(String::valueOf)
                .filter(entry -> entry.endsWith(":" + path)).map(entry -> entry.substring(0, entry.indexOf(':')))
                .findFirst().orElse(null);
    }

    @Test
    void theFiveServicesAreNamedImagedAndStartedInOrder() throws Exception {
        assertThat(services.keySet()).containsAll(Arrays.stream(Service.values()).map(Service::applicationName).toList());
        String version = text(rootPom, "/project/version");
        for (Service service : Service.values()) {
            Map<String, Object> compose = service(service.applicationName());
            assertThat(compose.get("image")).as(service.applicationName())
                    .isEqualTo("ordersaga/" + service.applicationName() + ":" + version);
            assertThat(healthPath(service)).as("health check of " + service.applicationName()).isNotBlank();
            Set<String> expected = service.isStreams() ? Set.of("kafka", "registry")
                    : Arrays.stream(Service.values()).filter(Service::isStreams).map(Service::applicationName)
                    .collect(Collectors.toSet());
            Map<String, Object> dependsOn = map(compose.get("depends_on"));
            assertThat(dependsOn.keySet()).as("depends_on of " + service.applicationName()).isEqualTo(expected);
            dependsOn.values().forEach(condition -> assertThat(map(condition)).as(service.applicationName())
                    .containsEntry("condition", "service_healthy"));
        }
        assertThat(service(Service.API.applicationName()).get("ports"))
                .asInstanceOf(LIST).containsExactly("8080:8080");
    }

    @Test
    void everyEnvironmentVariableBindsToAPropertyTheServiceReads() {
        for (Service service : Service.values()) {
            Set<String> read = propertiesReadBy(service);
            Map<String, String> env = environment(service(service.applicationName()));
            for (Map.Entry<String, String> variable : env.entrySet()) {
                ConfigurationPropertySource source = environmentSource(Map.of(variable.getKey(), variable.getValue()));
                assertThat(read).as(service.applicationName() + ": " + variable.getKey()
                                + " binds to no property it reads, out of " + read)
                        .anyMatch(name -> source.getConfigurationProperty(ConfigurationPropertyName.of(name)) != null);
            }
        }
    }

    @Test
    void everyServiceListensOnItsPortAndFindsKafkaAndTheRegistryByName() {
        Map<String, String> kafka = environment(service("kafka"));
        String advertisedBroker = kafka.get("KAFKA_ADVERTISED_LISTENERS").replaceFirst("^PLAINTEXT://", "");
        String registryUrl = "http://registry:" + environment(service("registry")).get("QUARKUS_HTTP_PORT");
        for (Service service : Service.values()) {
            Binder binder = new Binder(environmentSource(environment(service(service.applicationName()))));
            String name = service.applicationName();
            assertThat(binder.bind("server.port", Integer.class).orElse(null)).as(name).isEqualTo(service.defaultPort());
            assertThat(binder.bind("spring.kafka.bootstrap-servers", String.class).orElse(null)).as(name).isEqualTo(advertisedBroker);
            assertThat(binder.bind("ordersaga.registry-url", String.class).orElse(null)).as(name).isEqualTo(registryUrl);
            if (service.isStreams()) {
                // Interactive queries are forwarded to the owning instance at this host.
                assertThat(binder.bind("ordersaga.advertised-host", String.class).orElse(null)).as(name).isEqualTo(name);
            }
        }
    }

    @Test
    void orderApiVerifiesTokensWithTheMountedPublicKeyAndTheStreamsServicesPublishNoPort() {
        Map<String, Object> api = service(Service.API.applicationName());
        Binder binder = new Binder(environmentSource(environment(api)));
        assertThat(binder.bind("spring.security.oauth2.resourceserver.jwt.public-key-location", String.class).orElse(null))
                .isEqualTo("file:/run/secrets/jwt-public-key");
        assertThat(api.get("secrets")).asInstanceOf(LIST).containsExactly("jwt-public-key");
        assertThat(map(map(compose.get("secrets")).get("jwt-public-key")))
                .containsEntry("file", "./" + LocalStack.keysDir(Path.of(".ordersaga")) + "/jwt-public-key.pem");
        for (Service service : Service.values()) {
            if (service.isStreams()) {
                assertThat(service(service.applicationName())).as(service.applicationName()).doesNotContainKey("ports");
            }
        }
    }

    @Test
    void orderApiFindsEveryServiceByName() {
        // order-api's defaults point at 127.0.0.1, i.e. at order-api's own container: each must be set.
        Binder api = new Binder(environmentSource(environment(service(Service.API.applicationName()))));
        assertThat(API_ROUTES.keySet()).isEqualTo(propertiesReadBy(Service.API).stream()
                .filter(p -> p.startsWith("ordersaga.api.") && p.endsWith("-urls")).collect(Collectors.toSet()));
        API_ROUTES.forEach((property, target) -> assertThat(api.bind(property, String.class).orElse(null))
                .as("order-api " + property).isEqualTo("http://" + target.applicationName() + ":" + target.defaultPort()));
    }

    @Test
    void theImagesProfileBuildsExactlyTheFiveServicesWithJib() throws Exception {
        XPath xpath = XPathFactory.newInstance().newXPath();
        assertThat(text(rootPom, "/project/properties/jib.skip")).isEqualTo("true");
        assertThat(xpath.evaluate("/project/profiles/profile[id='images']/build/plugins/plugin"
                + "[artifactId='jib-maven-plugin']/configuration/to/image", rootPom))
                .isEqualTo("ordersaga/${project.artifactId}:${project.version}");

        NodeList modules = (NodeList) xpath.evaluate("/project/modules/module", rootPom, XPathConstants.NODESET);
        Set<String> imaged = new TreeSet<>();
        for (int i = 0; i < modules.getLength(); i++) {
            Document pom = xml(home.resolve(modules.item(i).getTextContent()).resolve("pom.xml"));
            if ("false".equals(text(pom, "/project/properties/jib.skip"))) {
                imaged.add(text(pom, "/project/artifactId"));
            }
        }
        assertThat(imaged).isEqualTo(Arrays.stream(Service.values()).map(Service::applicationName)
                .collect(Collectors.toCollection(TreeSet::new)));
    }

    @Test
    void theHealthCheckPathAnswersUpOnEveryRunningService(RunningSystem system) {
        for (Service service : Service.values()) {
            OrderApi.Response health = TestData.getFrom(system.cluster().first(service).url(), healthPath(service));
            assertThat(health.status()).as(service.applicationName() + " " + healthPath(service)).isEqualTo(200);
            assertThat(health.body().path("status").asString()).as(service.applicationName()).isEqualTo("UP");
        }
    }

    /**
     * The property names {@code service} reads: Spring Boot's {@code server.port} and
     * {@code spring.kafka.bootstrap-servers}; the components of every {@code @ConfigurationProperties} record enabled by
     * its application class or the configuration it imports; and every {@code @Value} placeholder on their constructor
     * and bean-method parameters.
     */
    private static Set<String> propertiesReadBy(Service service) {
        // Spring Boot's own: the HTTP port and interface, the brokers, and order-api's key for bearer tokens.
        Set<String> names = new TreeSet<>(Set.of("server.port", "server.address", "spring.kafka.bootstrap-servers",
                "spring.security.oauth2.resourceserver.jwt.public-key-location"));
        Deque<Class<?>> classes = new ArrayDeque<>();
        service.application().application().getAllSources().stream()
                .filter(Class.class::isInstance).map(Class.class::cast).forEach(classes::add);
        Set<Class<?>> seen = new HashSet<>();
        while (!classes.isEmpty()) {
            Class<?> type = classes.pop();
            if (!seen.add(type)) {
                continue;
            }
            if (type.getAnnotation(Import.class) instanceof Import imported) {
                classes.addAll(List.of(imported.value()));
            }
            if (type.getAnnotation(EnableConfigurationProperties.class) instanceof EnableConfigurationProperties enabled) {
                for (Class<?> properties : enabled.value()) {
                    ConfigurationProperties annotation = properties.getAnnotation(ConfigurationProperties.class);
                    String prefix = annotation.prefix().isEmpty() ? annotation.value() : annotation.prefix();
                    names.addAll(components(prefix, properties));
                }
            }
            Stream.concat(Arrays.stream(type.getDeclaredMethods()), Arrays.stream(type.getDeclaredConstructors()))
                    .map(Executable::getParameters).flatMap(Arrays::stream)
                    .map((Parameter p) -> p.getAnnotation(Value.class)).filter(v -> v != null)
                    .forEach(v -> {
                        Matcher placeholder = PLACEHOLDER.matcher(v.value());
                        while (placeholder.find()) {
                            names.add(placeholder.group(1));
                        }
                    });
        }
        return names;
    }

    /** {@code prefix.kebab-case-component} for each component of a record. */
    private static List<String> components(String prefix, Class<?> record) {
        return Arrays.stream(record.getRecordComponents()).map(RecordComponent::getName)
                .map(name -> prefix + "." + name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase())
                .toList();
    }

    /** Environment variables as Spring Boot sees the process environment (relaxed binding of env names). */
    private static ConfigurationPropertySource environmentSource(Map<String, String> env) {
        return ConfigurationPropertySource.from(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.copyOf(env)));
    }

    private static String healthPath(Service service) {
        Object test = map(service(service.applicationName()).get("healthcheck")).get("test");
        Matcher path = HEALTH_PATH.matcher(String.join(" ", ((List<?>) test).stream().map(String::valueOf).toList()));
        assertThat(path.find()).as("an HTTP GET in the health check of " + service.applicationName()).isTrue();
        return path.group(1);
    }

    private static Map<String, Object> service(String name) {
        assertThat(services).as("services of docker-compose.yml").containsKey(name);
        return services.get(name);
    }

    /** A service's environment, values as the strings the container sees. */
    private static Map<String, String> environment(Map<String, Object> service) {
        Map<String, String> env = new LinkedHashMap<>();
        map(service.get("environment")).forEach((name, value) -> env.put(name, String.valueOf(value)));
        return env;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object yaml) {
        assertThat(yaml).isInstanceOf(Map.class);
        return (Map<String, Object>) yaml;
    }

    private static Document xml(Path file) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
    }

    private static String text(Document xml, String path) throws Exception {
        return XPathFactory.newInstance().newXPath().evaluate(path, xml).trim();
    }
}
