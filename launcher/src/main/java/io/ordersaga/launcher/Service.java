package io.ordersaga.launcher;

import io.ordersaga.api.OrderApiApplication;
import io.ordersaga.inventory.InventoryApplication;
import io.ordersaga.payment.PaymentApplication;
import io.ordersaga.saga.OrderSagaApplication;
import io.ordersaga.view.OrderViewApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

import java.util.function.Supplier;

/**
 * The five OrderSaga services, with the port each listens on in the local stack ({@code ./ordersaga up}).
 * Kafka Streams services first, in the order data flows through them; order-api last.
 */
public enum Service {
    /** Stock per productId. */
    INVENTORY("inventory-streams", 8082, true, InventoryApplication::application),
    /** Wallets per customerId. */
    PAYMENT("payment-streams", 8083, true, PaymentApplication::application),
    /** The orchestrator. */
    SAGA("order-saga-streams", 8084, true, OrderSagaApplication::application),
    /** The read model. */
    VIEW("order-view-streams", 8085, true, OrderViewApplication::application),
    /** The REST entry point. */
    API("order-api", 8080, false, OrderApiApplication::application);

    private final String applicationName;
    private final int defaultPort;
    private final boolean streams;
    private final Supplier<SpringApplicationBuilder> application;

    Service(String applicationName, int defaultPort, boolean streams, Supplier<SpringApplicationBuilder> application) {
        this.applicationName = applicationName;
        this.defaultPort = defaultPort;
        this.streams = streams;
        this.application = application;
    }

    /** The Spring application name, also the Kafka Streams application.id. */
    public String applicationName() {
        return applicationName;
    }

    /** HTTP port in the local stack. */
    public int defaultPort() {
        return defaultPort;
    }

    /** True for the Kafka Streams services. */
    public boolean isStreams() {
        return streams;
    }

    /** A fresh builder of the service's Spring application, reading its own {@code <name>.properties}. */
    public SpringApplicationBuilder application() {
        return application.get();
    }
}
