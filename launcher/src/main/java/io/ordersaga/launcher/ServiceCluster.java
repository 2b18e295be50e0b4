package io.ordersaga.launcher;

import io.ordersaga.localstack.LocalStack;
import io.ordersaga.payment.PaymentProperties;
import io.ordersaga.saga.SagaProperties;
import org.apache.kafka.streams.KafkaStreams;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs OrderSaga service instances in this JVM, each in its own Spring context, against one Kafka
 * broker and one registry. Used by {@code ./ordersaga up}, the demo and the end-to-end tests; a service
 * scales out by starting more instances (each with its own port and state directory), never by more code.
 */
public final class ServiceCluster implements AutoCloseable {

    /** How long an instance may take to reach Kafka Streams RUNNING. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    /**
     * Spring Boot's security auto-configurations, off for the Streams services here: in this JVM every service sees
     * order-api's classpath, Spring Security included, and Boot would lock their endpoints behind a generated
     * password; alone (their own jar, their container) they have no Spring Security at all.
     */
    static final String NO_SECURITY = Stream.of(
            "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
            "org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerAutoConfiguration",
            "org.springframework.boot.security.oauth2.server.resource.autoconfigure.web.OAuth2ResourceServerWebSecurityAutoConfiguration")
            .collect(Collectors.joining(","));

    private final String bootstrapServers;
    private final String registryUrl;
    private final Path stateRoot;
    private final String publicKeyLocation;
    private final Map<String, String> overrides;
    private final List<Instance> instances = new CopyOnWriteArrayList<>();

    /**
     * @param stack     the broker, the registry, the state directory ({@link LocalStack#stateDir()}, under which each
     *                  instance gets its own) and the token issuer whose public key order-api verifies with
     * @param overrides extra Spring properties for every instance (for example saga timeouts)
     */
    public ServiceCluster(LocalStack stack, Map<String, String> overrides) {
        this.bootstrapServers = stack.bootstrapServers();
        this.registryUrl = stack.registryUrl();
        this.stateRoot = stack.stateDir();
        this.publicKeyLocation = stack.issuer().publicKeyLocation();
        this.overrides = Map.copyOf(overrides);
    }

    /**
     * Starts one instance of {@code service} on {@code port} and, for a Streams service, waits until its
     * Kafka Streams client is RUNNING.
     *
     * @param extra properties of this instance only (order-api's instance URLs, for example)
     * @throws IllegalStateException when the instance does not reach RUNNING within {@link #START_TIMEOUT}
     */
    public Instance start(Service service, int port, Map<String, String> extra) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("server.port", port);
        properties.put("server.address", "127.0.0.1");
        properties.put("spring.kafka.bootstrap-servers", bootstrapServers);
        properties.put("ordersaga.registry-url", registryUrl);
        properties.put("ordersaga.state-dir", stateRoot.resolve(service.applicationName() + "-" + port).toString());
        if (service.isStreams()) {
            properties.put("spring.autoconfigure.exclude", NO_SECURITY);
        } else {
            properties.put("spring.security.oauth2.resourceserver.jwt.public-key-location", publicKeyLocation);
        }
        properties.put("spring.main.banner-mode", "off");
        properties.put("spring.main.log-startup-info", "false");
        // Five services and a broker share this JVM's console: warnings only (the broker's loggers included).
        properties.put("logging.level.root", "WARN");
        properties.putAll(overrides);
        properties.putAll(extra);
        // As command-line arguments: they outrank the service's own properties file (default properties do not).
        String[] args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        ConfigurableApplicationContext context = service.application().run(args);
        Instance instance = new Instance(service, port, context);
        instances.add(instance);
        if (service.isStreams()) {
            instance.awaitRunning(START_TIMEOUT);
        }
        return instance;
    }

    /**
     * Starts one instance of each service on its given port; order-api is pointed at the other instances, and
     * starts only once {@link #checkRetentions} holds.
     *
     * @param ports port of each service
     * @throws IllegalStateException when an instance does not start or the retentions break the rule
     */
    public void startAll(Map<Service, Integer> ports) {
        for (Service service : Service.values()) {
            if (service.isStreams()) {
                start(service, ports.get(service), Map.of());
            }
        }
        checkRetentions(first(Service.SAGA).context().getBean(SagaProperties.class).timings().retentionMs(),
                first(Service.PAYMENT).context().getBean(PaymentProperties.class).config().payments().retentionMs());
        start(Service.API, ports.get(Service.API), apiRoutes());
    }

    /**
     * The rule that spans two services, checked here, where both settings are known (each service sees only its
     * own): payment keeps a closed payment at least as long as the saga keeps an ended saga. The saga keeps an ended
     * saga for its retention to answer what still arrives for the order (a late charge reply gets a refund); payment
     * answers a late charge of a closed payment from its record (REFUNDED or VOIDED: declined, never charged). A
     * payment forgotten before its saga could be charged afresh by a command still in flight, with no saga left
     * to refund it. Both retentions default to the same 24 h.
     *
     * @param sagaRetentionMs    {@code ordersaga.saga.retention-ms}, in ms
     * @param paymentRetentionMs {@code ordersaga.payment.retention-ms}, in ms
     * @throws IllegalStateException naming both settings when payment's is the shorter
     */
    static void checkRetentions(long sagaRetentionMs, long paymentRetentionMs) {
        if (paymentRetentionMs < sagaRetentionMs) {
            throw new IllegalStateException("ordersaga.payment.retention-ms (" + paymentRetentionMs + " ms) must be at least"
                    + " ordersaga.saga.retention-ms (" + sagaRetentionMs + " ms): payment must remember a closed payment"
                    + " as long as the saga remembers its order");
        }
    }

    /** order-api's properties pointing at every running instance of inventory, payment, saga (catalog) and view. */
    public Map<String, String> apiRoutes() {
        return Map.of(
                "ordersaga.api.inventory-urls", urls(Service.INVENTORY),
                "ordersaga.api.payment-urls", urls(Service.PAYMENT),
                "ordersaga.api.saga-urls", urls(Service.SAGA),
                "ordersaga.api.view-urls", urls(Service.VIEW));
    }

    private String urls(Service service) {
        return instances.stream().filter(i -> i.service() == service).map(Instance::url).collect(Collectors.joining(","));
    }

    /** The running instances, in start order. */
    public List<Instance> instances() {
        return List.copyOf(instances);
    }

    /** The first running instance of {@code service}. */
    public Instance first(Service service) {
        return instances.stream().filter(i -> i.service() == service).findFirst()
                .orElseThrow(() -> new IllegalStateException(service + " is not running"));
    }

    /** Stops one instance (its Streams client closes and its partitions move to the other instances). */
    public void stop(Instance instance) {
        instances.remove(instance);
        instance.context().close();
    }

    /** Stops every instance, order-api first, then the Streams services in reverse start order. */
    @Override
    public void close() {
        List<Instance> reversed = new ArrayList<>(instances);
        java.util.Collections.reverse(reversed);
        reversed.forEach(this::stop);
    }

    /**
     * One running service instance.
     *
     * @param service what it is
     * @param port    its HTTP port on 127.0.0.1
     * @param context its Spring context
     */
    public record Instance(Service service, int port, ConfigurableApplicationContext context) {

        /** Its base URL, {@code http://127.0.0.1:<port>}. */
        public String url() {
            return "http://127.0.0.1:" + port;
        }

        /** Its Kafka Streams client. */
        public KafkaStreams streams() {
            return context.getBean(StreamsBuilderFactoryBean.class).getKafkaStreams();
        }

        void awaitRunning(Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (streams() == null || streams().state() != KafkaStreams.State.RUNNING) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(service.applicationName() + " on port " + port
                            + " did not reach RUNNING within " + timeout.toSeconds() + " s (state "
                            + (streams() == null ? "none" : streams().state()) + ")");
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
    }
}
