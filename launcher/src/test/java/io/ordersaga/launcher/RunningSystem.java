package io.ordersaga.launcher;

import io.ordersaga.demo.client.OrderApi;
import io.ordersaga.localstack.LocalStack;
import io.ordersaga.localstack.LocalStackExtension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.net.URI;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * JUnit 5 extension giving end-to-end tests the whole system, real: the local stack (real KRaft broker,
 * real Apicurio Registry) and one instance of each of the five services on free ports, started once per
 * test JVM and shared by every test class. Tests use ids of their own (product, customer) so they do not
 * see each other's data.
 *
 * <p>Saga timeouts are shortened ({@link #PAYMENT_TIMEOUT_MS}) so the outage test runs in seconds.
 */
public final class RunningSystem implements ParameterResolver, AutoCloseable {

    /** The saga's payment timeout in these tests, ms. */
    public static final long PAYMENT_TIMEOUT_MS = 8_000;

    /** The saga's reservation timeout in these tests, ms. */
    public static final long RESERVATION_TIMEOUT_MS = 20_000;

    private final LocalStack stack;
    private final ServiceCluster cluster;
    private final OrderApi api;

    private RunningSystem(LocalStack stack) {
        this.stack = stack;
        this.cluster = new ServiceCluster(stack, Map.of(
                "ordersaga.saga.payment-timeout-ms", String.valueOf(PAYMENT_TIMEOUT_MS),
                "ordersaga.saga.reservation-timeout-ms", String.valueOf(RESERVATION_TIMEOUT_MS)));
        Map<Service, Integer> ports = new EnumMap<>(Service.class);
        for (Service service : Service.values()) {
            ports.put(service, Main.freePort());
        }
        cluster.startAll(ports);
        this.api = new OrderApi(URI.create(cluster.first(Service.API).url()), Main.credentials(stack.issuer()));
    }

    /** Public no-arg constructor for {@code @ExtendWith}; the shared instance lives in the root store. */
    public RunningSystem() {
        this.stack = null;
        this.cluster = null;
        this.api = null;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == RunningSystem.class;
    }

    @Override
    public RunningSystem resolveParameter(ParameterContext parameter, ExtensionContext context) {
        LocalStack stack = LocalStackExtension.shared(context);
        return context.getRoot().getStore(ExtensionContext.Namespace.create(RunningSystem.class))
                .computeIfAbsent(RunningSystem.class, type -> new RunningSystem(stack), RunningSystem.class);
    }

    /** The local stack. */
    public LocalStack stack() {
        return stack;
    }

    /** The running service instances. */
    public ServiceCluster cluster() {
        return cluster;
    }

    /** A client of order-api. */
    public OrderApi api() {
        return api;
    }

    /** Test data and order steps through {@link #api()}. */
    TestData data() {
        return new TestData(api);
    }

    /** Where instances started by a test keep their state. */
    public Path stateRoot() {
        return stack.stateDir();
    }

    /** Stops every service instance; the stack is closed by {@link LocalStackExtension}. */
    @Override
    public void close() {
        api.close();
        cluster.close();
    }
}
