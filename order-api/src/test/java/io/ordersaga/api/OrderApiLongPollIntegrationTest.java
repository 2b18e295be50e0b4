package io.ordersaga.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ordersaga.common.EventSerdes;
import io.ordersaga.common.Topics;
import io.ordersaga.events.OrderEvent;
import io.ordersaga.events.OrderLine;
import io.ordersaga.events.OrderStatus;
import io.ordersaga.localstack.LocalStack;
import io.ordersaga.localstack.LocalStackExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * order-api's long poll on its own subscription to order-events, on the real broker and registry
 * ({@link LocalStack}), with snapshots written straight to order-events by a transactional producer, as the saga
 * writes them (no saga), and a stand-in read model (a JDK HTTP server answering what each test puts in
 * {@link #VIEW}).
 *
 * <p>Time budget: about 45 s for the class on a loaded 2-core machine (the local stack's start, order-api's start, and
 * answers that come within a second); each wait fails after at most {@link #TIMEOUT}, well under the polls'
 * 30 s wait, so a poll answered only when its wait ends fails the test.
 */
@ExtendWith(LocalStackExtension.class)
class OrderApiLongPollIntegrationTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    /** The stand-in read model: orderId to its JSON; an order not here is 404. */
    private static final Map<String, String> VIEW = new ConcurrentHashMap<>();

    private static final Map<String, AtomicInteger> VIEW_READS = new ConcurrentHashMap<>();

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static HttpServer view;
    private static ConfigurableApplicationContext api;
    private static int apiPort;
    private static KafkaProducer<String, OrderEvent> saga;

    @BeforeAll
    static void start(LocalStack stack) throws IOException {
        view = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        view.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        view.createContext("/orders/", OrderApiLongPollIntegrationTest::answer);
        view.start();
        String viewUrl = "http://127.0.0.1:" + view.getAddress().getPort();
        api = OrderApiApplication.application().run("--server.address=127.0.0.1", "--server.port=0",
                "--spring.kafka.bootstrap-servers=" + stack.bootstrapServers(),
                "--ordersaga.registry-url=" + stack.registryUrl(), "--ordersaga.api.view-urls=" + viewUrl,
                "--ordersaga.api.inventory-urls=" + viewUrl, "--ordersaga.api.payment-urls=" + viewUrl,
                "--ordersaga.api.saga-urls=" + viewUrl,
                "--spring.security.oauth2.resourceserver.jwt.public-key-location=" + TestTokens.ISSUER.publicKeyLocation(),
                "--spring.main.banner-mode=off", "--logging.level.root=WARN");
        apiPort = Integer.parseInt(api.getEnvironment().getProperty("local.server.port"));
        saga = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "long-poll-test-" + UUID.randomUUID()), new StringSerializer(),
                Topics.ORDER_EVENTS.valueSerde(EventSerdes.registry(stack.registryUrl())).serializer());
        saga.initTransactions();
        // The subscription starts at the end of the topic: once it has read a probe, it reads what follows.
        String probe = "o-probe-" + UUID.randomUUID();
        RecentOrders recent = api.getBean(RecentOrders.class);
        await("order-api's subscription reads order-events").atMost(Duration.ofSeconds(60)).until(() -> {
            commit(snapshot(probe, OrderStatus.RESERVING));
            return recent.latest(probe) != null;
        });
    }

    @AfterAll
    static void stop() {
        if (saga != null) {
            saga.close();
        }
        if (api != null) {
            api.close();
        }
        if (view != null) {
            view.stop(0);
        }
    }

    /**
     * A poll waiting on an order the read model shows in flight is woken by the committed terminal snapshot, not by
     * an aborted one, and answers it from the subscription (the stand-in read model has no lines).
     */
    @Test
    void aWaitingPollWakesOnTheCommittedTerminalEvent() throws Exception {
        String orderId = "o-waiting-" + UUID.randomUUID();
        VIEW.put(orderId, "{\"orderId\":\"" + orderId + "\",\"customerId\":\"17850\",\"status\":\"PAYING\"}");
        CompletableFuture<HttpResponse<String>> poll = poll(orderId);
        await("the poll read the read model").atMost(TIMEOUT).until(() -> reads(orderId) == 1);

        saga.beginTransaction();
        saga.send(new ProducerRecord<>(Topics.ORDER_EVENTS.name(), orderId, snapshot(orderId, OrderStatus.CONFIRMED)));
        saga.flush();
        saga.abortTransaction();
        commit(snapshot(orderId, OrderStatus.CANCELLED));

        HttpResponse<String> answer = poll.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).contains("\"status\":\"CANCELLED\"", "\"orderId\":\"" + orderId + "\"",
                "\"productName\":\"WHITE HANGING HEART T-LIGHT HOLDER\"");
    }

    /**
     * An order that ended before order-api's subscription could see it (here: before the poll, with no snapshot of
     * it read) is answered at once from the read model, which the poll reads once after registering.
     */
    @Test
    void anOrderEndedBeforeThePollIsFoundInTheReadModel() throws Exception {
        String orderId = "o-ended-" + UUID.randomUUID();
        VIEW.put(orderId, "{\"orderId\":\"" + orderId + "\",\"customerId\":\"17850\",\"status\":\"CONFIRMED\"}");

        HttpResponse<String> answer = poll(orderId).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).contains("\"status\":\"CONFIRMED\"");
        assertThat(reads(orderId)).isEqualTo(1);
    }

    /**
     * An order placed through this order-api after its subscription fixed its positions is followed by the
     * subscription alone: its long poll waits for the snapshots there and never asks the read model.
     */
    @Test
    void anOrderPlacedHereIsAnsweredFromTheSubscriptionWithoutTheReadModel() throws Exception {
        assertThat(api.getBean(RecentOrders.class).following()).isTrue();
        HttpResponse<String> placed = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + "/orders"))
                .header("Authorization", TestTokens.customer("17850")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"customerId\":\"17850\",\"lines\":[{\"productId\":\"85123A\",\"quantity\":1}]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(placed.statusCode()).as(placed.body()).isEqualTo(202);
        String orderId = placed.headers().firstValue("Location").orElseThrow().substring("/orders/".length());

        CompletableFuture<HttpResponse<String>> poll = poll(orderId);
        commit(snapshot(orderId, OrderStatus.RESERVING));
        commit(snapshot(orderId, OrderStatus.CONFIRMED));

        HttpResponse<String> answer = poll.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).contains("\"status\":\"CONFIRMED\"");
        assertThat(reads(orderId)).isZero();
    }

    /** {@code Prefer: wait} on the POST: one request places the order and answers its terminal state (200). */
    @Test
    void aPostPreferringToWaitAnswersTheTerminalOrder() throws Exception {
        String key = "prefer-" + UUID.randomUUID();
        String keyedId = IdempotencyKeys.orderId("17850", key);
        CompletableFuture<HttpResponse<String>> placed = HTTP.sendAsync(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + apiPort + "/orders"))
                .header("Authorization", TestTokens.customer("17850")).header("Content-Type", "application/json")
                .header("Idempotency-Key", key).header("Prefer", "wait=20")
                .POST(HttpRequest.BodyPublishers.ofString("{\"customerId\":\"17850\",\"lines\":[{\"productId\":\"85123A\",\"quantity\":1}]}"))
                .timeout(Duration.ofSeconds(40)).build(), HttpResponse.BodyHandlers.ofString());
        await("the POST's read-model check").atMost(TIMEOUT).until(() -> reads(keyedId) == 1);
        commit(snapshot(keyedId, OrderStatus.RESERVING));
        commit(snapshot(keyedId, OrderStatus.CONFIRMED));

        HttpResponse<String> answer = placed.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Preference-Applied")).hasValue("wait=20");
        assertThat(answer.body()).contains("\"status\":\"CONFIRMED\"", "\"orderId\":\"" + keyedId + "\"");
        assertThat(reads(keyedId)).as("only the 422 check asks the read model").isEqualTo(1);
    }

    private static CompletableFuture<HttpResponse<String>> poll(String orderId) {
        return HTTP.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + "/orders/" + orderId
                + "?waitMs=30000")).header("Authorization", TestTokens.customer("17850")).timeout(Duration.ofSeconds(40))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int reads(String orderId) {
        return VIEW_READS.getOrDefault(orderId, new AtomicInteger()).get();
    }

    private static void answer(HttpExchange exchange) throws IOException {
        String orderId = exchange.getRequestURI().getPath().substring("/orders/".length());
        VIEW_READS.computeIfAbsent(orderId, id -> new AtomicInteger()).incrementAndGet();
        String order = VIEW.get(orderId);
        byte[] body = (order != null ? order : "{\"status\":404,\"detail\":\"unknown\"}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", order != null ? "application/json" : "application/problem+json");
        exchange.sendResponseHeaders(order != null ? 200 : 404, body.length);
        try (var out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static void commit(OrderEvent event) {
        saga.beginTransaction();
        saga.send(new ProducerRecord<>(Topics.ORDER_EVENTS.name(), event.getOrderId(), event));
        saga.commitTransaction();
    }

    private static OrderEvent snapshot(String orderId, OrderStatus status) {
        Instant now = Instant.now();
        return new OrderEvent(orderId, "17850", status, null, null,
                List.of(new OrderLine("85123A", "WHITE HANGING HEART T-LIGHT HOLDER", 1, 295L, 295L)), 295L, "GBP", now, now);
    }
}
