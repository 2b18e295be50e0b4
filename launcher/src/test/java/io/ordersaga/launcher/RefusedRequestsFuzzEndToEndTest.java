package io.ordersaga.launcher;

import com.nimbusds.jwt.JWTClaimsSet;
import io.ordersaga.common.Topics;
import io.ordersaga.demo.client.OrderApi;
import io.ordersaga.demo.run.Parallel;
import io.ordersaga.localstack.LocalIssuer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@value #REQUESTS} generated requests that order-api must refuse, sent over HTTP to the running system: without a
 * valid token (none, garbage, another scheme, expired, signed by another key, for another audience, unsigned), with
 * a customer's token on the admin routes, with another customer's token on a customer's resources, and with a valid
 * token but a malformed request (broken JSON, wrong types, values out of range, too many lines, ids too long, a bad
 * Idempotency-Key or wait, another content type). Every answer must be a 4xx {@code application/problem+json}, none
 * a 5xx, and nothing may change: the end offsets of every topic order-api writes are the same after as before, and
 * the stock and wallet the requests aimed at too. Budget: 2 minutes (about 20 s here).
 */
@ExtendWith(RunningSystem.class)
class RefusedRequestsFuzzEndToEndTest {

    /** Requests sent. */
    static final int REQUESTS = 10_000;

    private static final List<String> WRITTEN_TOPICS = List.of(Topics.ORDER_REQUESTS.name(), Topics.PRODUCTS.name(),
            Topics.INVENTORY_COMMANDS.name(), Topics.PAYMENT_COMMANDS.name());

    /**
     * One request, and why it must be refused.
     *
     * @param headers {@code Authorization} "" for none
     */
    record Attempt(String why, String method, String path, String body, Map<String, String> headers) {
    }

    @Test
    void everyMalformedOrUnauthorizedRequestIsA4xxProblemAndChangesNothing(RunningSystem system) throws Exception {
        TestData data = system.data();
        String product = data.product(250, 10);
        String owner = data.customer(10_000);
        String order = data.place(owner, product, 1);
        data.awaitTerminal(order);
        OrderApi api = system.api();
        OrderApi.Stock stock = api.stock(product).orElseThrow();
        OrderApi.Wallet wallet = api.wallet(owner);
        Map<TopicPartition, Long> before = endOffsets(system);

        List<Attempt> attempts = attempts(system.stack().issuer(), product, owner, order)
                .sampleStream().limit(REQUESTS).toList();
        List<String> wrong = Parallel.map(attempts, 16, attempt -> {
            OrderApi.Response answer = api.exchange(attempt.method(), attempt.path(), attempt.body(), attempt.headers());
            boolean refused = answer.status() >= 400 && answer.status() < 500
                    && answer.contentType().startsWith("application/problem+json");
            return refused ? null : answer.status() + " " + answer.contentType() + " for " + attempt + ": " + answer.text();
        }).stream().filter(w -> w != null).toList();

        assertThat(wrong).as("answers that are not a 4xx problem").isEmpty();
        assertThat(endOffsets(system)).as("records written to order-api's topics").isEqualTo(before);
        assertThat(api.stock(product)).hasValue(stock);
        assertThat(api.wallet(owner)).isEqualTo(wallet);
        Map<String, Long> reasons = attempts.stream().collect(Collectors.groupingBy(a -> a.why().replaceAll(":.*", ""),
                TreeMap::new, Collectors.counting()));
        System.out.println("[e2e] fuzz: " + attempts.size() + " refused requests, none a 5xx, nothing written: " + reasons);
    }

    /** Every kind of refused request, weighted about equally between not authorized and malformed. */
    private static Arbitrary<Attempt> attempts(LocalIssuer issuer, String product, String owner, String order) throws Exception {
        String ownerToken = "Bearer " + issuer.customer(owner);
        String admin = "Bearer " + issuer.admin();
        LocalIssuer forger = LocalIssuer.open(Files.createTempDirectory("fuzz-forger"));
        String validOrder = "{\"customerId\":\"" + owner + "\",\"lines\":[{\"productId\":\"" + product + "\",\"quantity\":1}]}";
        List<Attempt> everyRoute = List.of(
                new Attempt("", "POST", "/orders", validOrder, Map.of()),
                new Attempt("", "GET", "/orders/" + order, null, Map.of()),
                new Attempt("", "POST", "/orders/" + order + "/cancel", null, Map.of()),
                new Attempt("", "GET", "/customers/" + owner + "/orders", null, Map.of()),
                new Attempt("", "GET", "/customers/" + owner + "/wallet", null, Map.of()),
                new Attempt("", "GET", "/products/" + product, null, Map.of()),
                new Attempt("", "GET", "/products/" + product + "/stock", null, Map.of()),
                new Attempt("", "PUT", "/products/" + product, "{\"name\":\"Mug\",\"unitPrice\":1}", Map.of()),
                new Attempt("", "POST", "/products/" + product + "/stock-adjustments", "{\"delta\":5,\"reason\":\"x\"}", Map.of()),
                new Attempt("", "POST", "/customers/" + owner + "/wallet/credits", "{\"amount\":100}", Map.of()),
                new Attempt("", "GET", "/admin/sagas?status=PAYING", null, Map.of()),
                new Attempt("", "GET", "/admin/sagas/stats", null, Map.of()),
                new Attempt("", "POST", "/admin/orders/" + order + "/compensate", null, Map.of()),
                new Attempt("", "GET", "/admin/dead-letters?application=inventory-streams", null, Map.of()),
                new Attempt("", "GET", "/admin/dead-letters/counts", null, Map.of()),
                new Attempt("", "GET", "/admin/instances", null, Map.of()));
        List<Attempt> adminRoutes = everyRoute.subList(7, everyRoute.size());
        Arbitrary<String> badToken = Arbitraries.oneOf(
                Arbitraries.just(""),
                Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(80).map(s -> "Bearer " + s),
                Arbitraries.just("Basic YWRtaW46YWRtaW4="),
                Arbitraries.just("Bearer " + issuer.token(owner, List.of("customer"), Duration.ofMinutes(-5))),
                Arbitraries.just("Bearer " + forger.admin()),
                Arbitraries.just("Bearer " + issuer.sign(new JWTClaimsSet.Builder().issuer(LocalIssuer.ISSUER)
                        .audience("another-api").subject(owner).claim("roles", List.of("admin"))
                        .expirationTime(Date.from(Instant.now().plusSeconds(3600))).build())),
                Arbitraries.just("Bearer " + unsigned(issuer.admin())));
        Arbitrary<Attempt> unauthenticated = Combinators.combine(Arbitraries.of(everyRoute), badToken)
                .as((route, token) -> with(route, "no valid token", token));
        Arbitrary<Attempt> customerOnAdminRoute = Arbitraries.of(adminRoutes)
                .map(route -> with(route, "customer on an admin route", ownerToken));
        Arbitrary<Attempt> anotherCustomer = Combinators.combine(
                Arbitraries.of(everyRoute.subList(0, 5)),
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(10).map(id -> "Bearer " + issuer.customer("other-" + id)))
                .as((route, token) -> with(route, "another customer's resource", token));
        return Arbitraries.oneOf(unauthenticated, customerOnAdminRoute, anotherCustomer,
                malformed(product, owner, order, ownerToken, admin));
    }

    /** Requests with a valid token that break a rule of the request itself. */
    private static Arbitrary<Attempt> malformed(String product, String owner, String order, String customer, String admin) {
        Arbitrary<String> garbage = Arbitraries.strings().withChars("{}[]\":,0123456789abcnulltrue -").ofMaxLength(60);
        Arbitrary<String> badQuantity = Arbitraries.of("0", "-1", "10001", "1.5", "\"2\"", "null", "true", "99999999999");
        Arbitrary<String> badId = Arbitraries.oneOf(Arbitraries.of("\"\"", "\"   \"", "\"a/b\"", "\"a|b\"", "7", "null",
                "[]"), Arbitraries.strings().alpha().ofLength(65).map(s -> "\"" + s + "\""));
        Arbitrary<String> longPathId = Arbitraries.strings().alpha().ofMinLength(65).ofMaxLength(100);
        Arbitrary<Attempt> orders = Arbitraries.oneOf(
                garbage.map(body -> new Attempt("order body not an order", "POST", "/orders", body, auth(customer))),
                badQuantity.map(q -> new Attempt("order quantity: " + q, "POST", "/orders", "{\"customerId\":\"" + owner
                        + "\",\"lines\":[{\"productId\":\"" + product + "\",\"quantity\":" + q + "}]}", auth(customer))),
                badId.map(id -> new Attempt("order productId: " + id, "POST", "/orders", "{\"customerId\":\"" + owner
                        + "\",\"lines\":[{\"productId\":" + id + ",\"quantity\":1}]}", auth(customer))),
                Arbitraries.of(0, 101).map(n -> new Attempt("order lines: " + n, "POST", "/orders", "{\"customerId\":\""
                        + owner + "\",\"lines\":[" + IntStream.range(0, n).mapToObj(i -> "{\"productId\":\"p" + i
                        + "\",\"quantity\":1}").collect(Collectors.joining(",")) + "]}", auth(customer))),
                Arbitraries.strings().alpha().ofMinLength(256).ofMaxLength(300).map(key -> new Attempt("Idempotency-Key too long",
                        "POST", "/orders", "{\"customerId\":\"" + owner + "\",\"lines\":[{\"productId\":\"" + product
                        + "\",\"quantity\":1}]}", Map.of("Authorization", customer, "Idempotency-Key", key))),
                Arbitraries.just(new Attempt("content type", "POST", "/orders", "customerId=" + owner,
                        Map.of("Authorization", customer, "Content-Type", "application/x-www-form-urlencoded"))));
        Arbitrary<Attempt> reads = Arbitraries.oneOf(
                longPathId.map(id -> new Attempt("orderId too long", "GET", "/orders/" + id, null, auth(customer))),
                Arbitraries.of("-1", "abc", "1e3").map(w -> new Attempt("waitMs: " + w, "GET", "/orders/" + order
                        + "?waitMs=" + w, null, auth(customer))),
                longPathId.map(id -> new Attempt("customerId too long", "GET", "/customers/" + id + "/wallet", null,
                        auth(admin))),
                Arbitraries.of("NOPE", "paying", "").map(s -> new Attempt("saga status: " + s, "GET",
                        "/admin/sagas?status=" + s, null, auth(admin))),
                Arbitraries.of("0", "-5", "1001").map(l -> new Attempt("saga limit: " + l, "GET",
                        "/admin/sagas?status=PAYING&limit=" + l, null, auth(admin))),
                Arbitraries.of("application=nope", "application=", "application=inventory-streams&limit=0",
                        "application=inventory-streams&limit=501", "limit=5").map(q -> new Attempt("dead letters: " + q,
                        "GET", "/admin/dead-letters?" + q, null, auth(admin))));
        Arbitrary<Attempt> adminWrites = Arbitraries.oneOf(
                Arbitraries.of("{\"name\":\"\",\"unitPrice\":1}", "{\"name\":\"Mug\",\"unitPrice\":0}",
                                "{\"name\":\"Mug\",\"unitPrice\":10000000001}", "{\"name\":\"Mug\"}", "{\"unitPrice\":1}",
                                "{\"name\":\"" + "n".repeat(201) + "\",\"unitPrice\":1}", "{\"name\":7,\"unitPrice\":\"1\"}")
                        .map(body -> new Attempt("product body: " + body, "PUT", "/products/" + product, body, auth(admin))),
                Arbitraries.of("{\"delta\":0,\"reason\":\"x\"}", "{\"delta\":1.5,\"reason\":\"x\"}",
                                "{\"delta\":1000000001,\"reason\":\"x\"}", "{\"delta\":5}", "{\"delta\":5,\"reason\":\"\"}")
                        .map(body -> new Attempt("adjustment body: " + body, "POST", "/products/" + product
                                + "/stock-adjustments", body, auth(admin))),
                Arbitraries.of("{\"amount\":0}", "{\"amount\":-5}", "{\"amount\":\"100\"}", "{\"amount\":10000000001}",
                                "{}", "[]", "{\"amount\":1e2}")
                        .map(body -> new Attempt("credit body: " + body, "POST", "/customers/" + owner + "/wallet/credits",
                                body, auth(admin))),
                garbage.map(body -> new Attempt("cancel of a confirmed order, any body", "POST", "/orders/" + order
                        + "/cancel", body, auth(customer))));
        return Arbitraries.oneOf(orders, reads, adminWrites);
    }

    private static Attempt with(Attempt route, String why, String authorization) {
        return new Attempt(why + ": " + route.method() + " " + route.path(), route.method(), route.path(), route.body(),
                Map.of("Authorization", authorization));
    }

    private static Map<String, String> auth(String authorization) {
        return Map.of("Authorization", authorization);
    }

    /** {@code token} with its signature removed and its header's algorithm set to "none" (RFC 7519 unsecured JWT). */
    private static String unsigned(String token) {
        String[] parts = token.split("\\.");
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes())
                + "." + parts[1] + ".";
    }

    private static Map<TopicPartition, Long> endOffsets(RunningSystem system) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, system.stack().bootstrapServers()))) {
            Map<TopicPartition, OffsetSpec> latest = admin.describeTopics(WRITTEN_TOPICS).allTopicNames()
                    .get(30, TimeUnit.SECONDS).values().stream()
                    .flatMap(topic -> topic.partitions().stream().map(p -> new TopicPartition(topic.name(), p.partition())))
                    .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
            return admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        }
    }
}
