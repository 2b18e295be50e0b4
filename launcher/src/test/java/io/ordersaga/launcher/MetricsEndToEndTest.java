package io.ordersaga.launcher;

import io.ordersaga.demo.client.OrderApi;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every service's {@code /actuator/prometheus}, scraped after one order: the JVM's, the HTTP server's and the Kafka
 * clients' metrics everywhere (Kafka Streams' own on the Streams services), order-api's business metrics and the
 * saga's gauge of sagas in flight.
 * Budget: about 5 s on the shared system (one order, two scrapes per service).
 */
@ExtendWith(RunningSystem.class)
class MetricsEndToEndTest {

    private static final List<String> EVERY_SERVICE = List.of("jvm_memory_used_bytes", "http_server_requests_seconds_count");
    private static final List<String> STREAMS = List.of("kafka_stream_thread_process_total",
            "kafka_producer_record_send_total", "kafka_consumer_fetch_manager_records_consumed_total");
    private static final List<String> SAGA = List.of("ordersaga_sagas_in_flight");
    private static final List<String> ORDER_API = List.of("ordersaga_orders_placed_total", "ordersaga_orders_ended_total",
            "ordersaga_order_step_seconds_bucket", "spring_kafka_template_seconds_count", "kafka_producer_record_send_total");

    @Test
    void everyServiceExposesItsMetricsToPrometheus(RunningSystem system) {
        TestData data = system.data();
        String orderId = data.place(data.customer(1_000), data.product(250, 5), 2);
        assertThat(data.awaitTerminal(orderId).status()).isEqualTo("CONFIRMED");

        for (Service service : Service.values()) {
            String url = system.cluster().first(service).url();
            List<String> expected = Stream.of(EVERY_SERVICE, service == Service.API ? ORDER_API : STREAMS,
                    service == Service.SAGA ? SAGA : List.<String>of()).flatMap(List::stream).toList();
            // The first scrape is itself an HTTP request, which a later one reports.
            Awaitility.await(service.applicationName() + " metrics").atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> assertThat(names(url)).as(service.applicationName()).containsAll(expected));
        }
    }

    private static Set<String> names(String url) {
        OrderApi.Response scrape = TestData.getFrom(url, "/actuator/prometheus");
        assertThat(scrape.status()).as(url + "/actuator/prometheus").isEqualTo(200);
        return Arrays.stream(scrape.text().split("\n"))
                .filter(line -> !line.startsWith("#") && !line.isBlank())
                .map(line -> line.split("[{ ]", 2)[0])
                .collect(Collectors.toSet());
    }
}
