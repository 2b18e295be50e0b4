package io.ordersaga.saga;

import io.ordersaga.common.EventSerdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.mock.env.MockEnvironment;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Spring edge of the saga, without a broker: property binding and the start-up order of the co-partitioning check. */
class OrderSagaApplicationTest {

    private final OrderSagaApplication application = new OrderSagaApplication();

    @Test
    void sagaTimingDefaultsWhenUnset() {
        assertThat(application.orderSagaTopology(new StreamsBuilder(), EventSerdes.unregistered(), new MockEnvironment()))
                .isEqualTo(OrderSagaTopology.Config.defaults());
    }

    @Test
    void sagaTimingBindsFromOrdersagaSagaProperties() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("ordersaga.saga.reservation-timeout-ms", "5000")
                .withProperty("ordersaga.saga.paymentTimeoutMs", "6000")
                .withProperty("ordersaga.saga.retention-ms", "70000");
        assertThat(application.orderSagaTopology(new StreamsBuilder(), EventSerdes.unregistered(), environment))
                .isEqualTo(new OrderSagaTopology.Config(5000, 6000, 70000, 1000));
    }

    @Test
    void nonPositiveDurationsAreRefused() {
        MockEnvironment environment = new MockEnvironment().withProperty("ordersaga.saga.punctuate-interval-ms", "0");
        assertThatThrownBy(() -> application.orderSagaTopology(new StreamsBuilder(), EventSerdes.unregistered(), environment))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void coPartitioningIsCheckedJustBeforeTheStreamsClientStarts() {
        StreamsBuilderFactoryBean streams = new StreamsBuilderFactoryBean();
        var check = application.coPartitioningCheck(new KafkaAdmin(Map.of()), streams);
        assertThat(check.getPhase()).isEqualTo(streams.getPhase() - 1);
        assertThat(check.isAutoStartup()).isTrue();
    }
}
