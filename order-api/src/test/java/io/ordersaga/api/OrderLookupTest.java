package io.ordersaga.api;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ordersaga.common.orders.OrderWaiters;
import io.ordersaga.common.spring.InstanceBreakers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link OrderLookup} over real HTTP, with the client order-api builds ({@link ApiConfiguration#restClient}) and a
 * JDK HttpServer standing for order-view-streams: the lookup timeout bounds a slow read model, and what one lookup
 * costs on the hot path of a keyed {@code POST /orders}.
 */
class OrderLookupTest {

    private static final long TIMEOUT_MS = 200;
    private static final String ORDER = """
            {"orderId":"o-1","customerId":"17850","status":"CONFIRMED","lines":[{"productId":"85123A","productName":"MUG",\
            "quantity":6,"unitPrice":295,"lineTotal":1770},{"productId":"71053","productName":"LANTERN","quantity":1,\
            "unitPrice":339,"lineTotal":339}],"total":2109,"currency":"GBP","createdAt":"2026-11-25T15:08:58.258Z",\
            "updatedAt":"2026-11-25T15:08:59.152Z"}""";

    private final CountDownLatch testOver = new CountDownLatch(1);
    private HttpServer view;
    private HttpClient client;
    private final RecentOrders recent = new RecentOrders(10, new OrderWaiters(), new OrderMetrics(new SimpleMeterRegistry()));
    private OrderLookup lookup;

    @BeforeEach
    void start() throws IOException {
        view = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        view.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        view.createContext("/orders/", this::answer);
        view.start();
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(ApiConfiguration.CONNECT_TIMEOUT).build();
        lookup = new OrderLookup(new ServiceInstances("order-view-streams",
                List.of(URI.create("http://127.0.0.1:" + view.getAddress().getPort())),
                ApiConfiguration.restClient(client, Duration.ofMillis(TIMEOUT_MS)), new InstanceBreakers(new SimpleMeterRegistry())),
                recent, JsonMapper.builder().build());
    }

    @AfterEach
    void stop() {
        testOver.countDown();
        client.close();
        view.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            switch (exchange.getRequestURI().getPath()) {
                case "/orders/o-1" -> {
                    byte[] body = ORDER.getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("Content-Type", "application/json");
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                }
                case "/orders/slow" -> {
                    awaitTestOver();
                    exchange.sendResponseHeaders(404, -1);
                }
                default -> exchange.sendResponseHeaders(404, -1);
            }
        }
    }

    private void awaitTestOver() {
        try {
            testOver.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void readsAnOrderWithItsLinesMergedAndTellsAnUnknownOne() {
        assertThat(lookup.order("o-1")).isEqualTo(
                new OrderLookup.Found("17850", "CONFIRMED", Map.of("85123A", 6L, "71053", 1L)));
        assertThat(lookup.order("o-2")).isEqualTo(new OrderLookup.NotFound());
    }

    @Test
    void aReadModelSlowerThanTheTimeoutIsUnavailableAfterIt() {
        long start = System.nanoTime();
        OrderLookup.Result result = lookup.order("slow");
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(result).isInstanceOfSatisfying(OrderLookup.Unavailable.class,
                u -> assertThat(u.detail()).startsWith("no order-view-streams instance answered: "));
        assertThat(elapsedMs).isBetween(TIMEOUT_MS, 5 * TIMEOUT_MS);
    }

    /** Prints the cost of one lookup, warm (the connection pooled), as a keyed POST /orders pays it. */
    @Test
    void measuresOneLookup() {
        int warmUp = 300;
        int runs = 1_000;
        long[] micros = new long[runs];
        for (int i = 0; i < warmUp; i++) {
            lookup.order("o-1");
        }
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            assertThat(lookup.order("o-1")).isInstanceOf(OrderLookup.Found.class);
            micros[i] = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start);
        }
        Arrays.sort(micros);
        System.out.printf("order lookup over HTTP, %d runs: p50 %d us, p90 %d us, p99 %d us, max %d us%n", runs,
                micros[runs / 2], micros[runs * 9 / 10], micros[runs * 99 / 100], micros[runs - 1]);
        assertThat(micros[runs / 2]).isLessThan(TimeUnit.MILLISECONDS.toMicros(TIMEOUT_MS));
    }
}
