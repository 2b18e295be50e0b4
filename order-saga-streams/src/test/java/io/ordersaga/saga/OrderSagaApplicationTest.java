package io.ordersaga.saga;

import io.ordersaga.common.EventSerdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.mock.env.MockEnvironment;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Spring edge of the saga, without a broker: property binding and the start-up order of the co-partitioning check. */
class OrderSagaApplicationTest {

    private final OrderSagaApplication application = new OrderSagaApplication();

    @Test
    void sagaTimingDefaultsWhenUnset() {
        assertThat(application.orderSagaTopology(new StreamsBuilder(), EventSerdes.unregistered(), bind(new MockEnvironment())))
                .isEqualTo(OrderSaga.Timings.defaults());
    }

    @Test
    void sagaTimingBindsFromOrdersagaSagaProperties() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("ordersaga.saga.reservation-timeout-ms", "5000")
                .withProperty("ordersaga.saga.paymentTimeoutMs", "6000")
                .withProperty("ordersaga.saga.retention-ms", "70000");
        assertThat(application.orderSagaTopology(new StreamsBuilder(), EventSerdes.unregistered(), bind(environment)))
                .isEqualTo(new OrderSaga.Timings(5000, 6000, 70000, 1000));
    }

    @Test
    void nonPositiveDurationsAreRefused() {
        MockEnvironment environment = new MockEnvironment().withProperty("ordersaga.saga.punctuate-interval-ms", "0");
        assertThatThrownBy(() -> bind(environment)).hasRootCauseInstanceOf(IllegalArgumentException.class);
    }

    /** {@link SagaProperties} bound from {@code environment} as Spring Boot binds it (relaxed names). */
    private static SagaProperties bind(MockEnvironment environment) {
        return Binder.get(environment).bindOrCreate("ordersaga.saga", SagaProperties.class);
    }

    @Test
    void coPartitioningIsCheckedJustBeforeTheStreamsClientStarts() {
        StreamsBuilderFactoryBean streams = new StreamsBuilderFactoryBean();
        var check = application.coPartitioningCheck(new KafkaAdmin(Map.of()), streams);
        assertThat(check.getPhase()).isEqualTo(streams.getPhase() - 1);
        assertThat(check.isAutoStartup()).isTrue();
    }
}
