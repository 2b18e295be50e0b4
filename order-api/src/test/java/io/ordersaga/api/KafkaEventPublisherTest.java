package io.ordersaga.api;

import io.ordersaga.common.EventSerdes;
import io.ordersaga.common.Topics;
import io.ordersaga.events.CreditWallet;
import io.ordersaga.events.PaymentCommand;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The real producer, against a broker that is not there: the write fails with 503 within the send timeout. */
class KafkaEventPublisherTest {

    @Test
    void answers503WhenTheBrokerDoesNotAcknowledge() {
        DefaultKafkaProducerFactory<String, SpecificRecord> factory = KafkaEventPublisher.producerFactory(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1"), EventSerdes.registry("http://127.0.0.1:1"), 300);
        try {
            KafkaEventPublisher publisher = new KafkaEventPublisher(new KafkaTemplate<>(factory), 300);
            long start = System.nanoTime();
            assertThatThrownBy(() -> publisher.publish(Topics.PAYMENT_COMMANDS, "17850",
                    new PaymentCommand("17850", new CreditWallet("c-1", 100L))))
                    .isInstanceOfSatisfying(UnacknowledgedWriteException.class, e -> {
                        assertThat(e.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
                        assertThat(e.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
                        assertThat(e.getReason()).startsWith("Kafka did not acknowledge the write to payment-commands: ")
                                .endsWith(". The outcome is unknown: the record may have been written.");
                    });
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        } finally {
            factory.destroy();
        }
    }
}
