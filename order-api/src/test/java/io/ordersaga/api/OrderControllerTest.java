package io.ordersaga.api;

import io.ordersaga.common.Topics;
import io.ordersaga.events.CancelOrder;
import io.ordersaga.events.OrderEvent;
import io.ordersaga.events.OrderLine;
import io.ordersaga.events.OrderReason;
import io.ordersaga.events.OrderStatus;
import io.ordersaga.events.OrderRequest;
import io.ordersaga.events.PlaceOrder;
import io.ordersaga.events.RequestedLine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.ResultMatcher;
import org.springframework.test.web.client.ExpectedCount;

import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.test.web.client.match.MockRestRequestMatchers.method;
import static org.springframework.test.web.client.match.MockRestRequestMatchers.requestTo;
import static org.springframework.test.web.client.response.MockRestResponseCreators.withException;
import static org.springframework.test.web.client.response.MockRestResponseCreators.withResourceNotFound;
import static org.springframework.test.web.client.response.MockRestResponseCreators.withServiceUnavailable;
import static org.springframework.test.web.client.response.MockRestResponseCreators.withSuccess;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

class OrderControllerTest extends ApiControllerTest {

    private static final String VALID = """
            {"customerId":"17850","lines":[{"productId":"85123A","quantity":6},{"productId":"71053","quantity":1}]}""";

    @Autowired
    RecentOrders recent;

    private ResultActions place(String body) throws Exception {
        return mvc.perform(post("/orders").contentType(MediaType.APPLICATION_JSON).content(body));
    }

    private static String lines(int count) {
        return IntStream.range(0, count).mapToObj(i -> "{\"productId\":\"P" + i + "\",\"quantity\":1}")
                .collect(Collectors.joining(",", "[", "]"));
    }

    static Stream<Arguments> invalidOrders() {
        String line = "{\"productId\":\"85123A\",\"quantity\":6}";
        return Stream.of(
                Arguments.of("{\"customerId\":\"17850\",\"lines\":[" + line + "]", "malformed JSON: "),
                Arguments.of("not json", "malformed JSON: "),
                Arguments.of("", "the request body is empty; expected a JSON object"),
                Arguments.of("[" + line + "]", "the request body must be a JSON object"),
                Arguments.of("{\"lines\":[" + line + "]}", "customerId is required"),
                Arguments.of("{\"customerId\":null,\"lines\":[" + line + "]}", "customerId is required"),
                Arguments.of("{\"customerId\":17850,\"lines\":[" + line + "]}", "customerId must be a string"),
                Arguments.of("{\"customerId\":\"  \",\"lines\":[" + line + "]}", "customerId must not be blank"),
                Arguments.of("{\"customerId\":\"" + "c".repeat(65) + "\",\"lines\":[" + line + "]}",
                        "customerId must be at most 64 characters, was 65"),
                Arguments.of("{\"customerId\":\"a|b\",\"lines\":[" + line + "]}", "customerId must not contain '/' or '|'"),
                Arguments.of("{\"customerId\":\"17850\"}", "lines is required"),
                Arguments.of("{\"customerId\":\"17850\",\"lines\":" + line + "}", "lines must be an array"),
                Arguments.of("{\"customerId\":\"17850\",\"lines\":[]}", "lines must hold 1 to 100 elements, was 0"),
                Arguments.of("{\"customerId\":\"17850\",\"lines\":" + lines(101) + "}", "lines must hold 1 to 100 elements, was 101"),
                Arguments.of("{\"customerId\":\"17850\",\"lines\":[\"85123A\"]}", "lines[0] must be a JSON object"),
                Arguments.of("{\"customerId\":\"17850\",\"lines\":[" + line + ",{\"quantity\":1}]}", "lines[1].productId is required"),
                Arguments.of("{\"customerId\":\"17850\",\"lines\":[{\"productId\":\"\",\"quantity\":1}]}", "lines[0].productId must not be blank"),
                Arguments.of("{\"customerId\":\"17850\",\"lines\":[{\"productId\":\"" + "p".repeat(65) + "\",\"quantity\":1}]}",
                        "lines[0].productId must be at most 64 characters, was 65"),
                Arguments.of("{\"customerId\":\"17850\",\"lines\":[{\"productId\":\"85123A\"}]}", "lines[0].quantity is required"),
                Arguments.of("{\"customerId\":\"17850\",\"lines\":[{\"productId\":\"85123A\",\"quantity\":0}]}",
                        "lines[0].quantity must be between 1 and 10000, was 0"),
                Arguments.of("{\"customerId\":\"17850\",\"lines\":[{\"productId\":\"85123A\",\"quantity\":-3}]}",
                        "lines[0].quantity must be between 1 and 10000, was -3"),
                Arguments.of("{\"customerId\":\"17850\",\"lines\":[{\"productId\":\"85123A\",\"quantity\":10001}]}",
                        "lines[0].quantity must be between 1 and 10000, was 10001"),
                Arguments.of("{\"customerId\":\"17850\",\"lines\":[{\"productId\":\"85123A\",\"quantity\":\"6\"}]}",
                        "lines[0].quantity must be an integer between 1 and 10000"),
                Arguments.of("{\"customerId\":\"17850\",\"lines\":[{\"productId\":\"85123A\",\"quantity\":6.5}]}",
                        "lines[0].quantity must be an integer between 1 and 10000"),
                Arguments.of("{\"customerId\":\"17850\",\"lines\":[{\"productId\":\"85123A\",\"quantity\":6.0}]}",
                        "lines[0].quantity must be an integer between 1 and 10000"),
                Arguments.of("{\"customerId\":\"17850\",\"lines\":[{\"productId\":\"85123A\",\"quantity\":99999999999999999999}]}",
                        "lines[0].quantity must be an integer between 1 and 10000"),
                Arguments.of("{\"customerId\":\"17850\",\"lines\":[{\"productId\":85123,\"quantity\":6}]}",
                        "lines[0].productId must be a string"),
                Arguments.of("{\"customerId\":\"17850\",\"lines\":[" + line + "]} trailing", "malformed JSON: "));
    }

    @ParameterizedTest
    @MethodSource("invalidOrders")
    void rejectsAnInvalidOrderWith400ProblemAndWritesNothing(String body, String detail) throws Exception {
        place(body).andExpect(problem(HttpStatus.BAD_REQUEST, startsWith(detail)))
                .andExpect(jsonPath("$.status").value(400));
        assertThat(publisher.published).isEmpty();
    }

    @Test
    void rejectsABodyAbove64KiB() throws Exception {
        String padding = " ".repeat(Requests.MAX_BODY_BYTES);
        place(VALID + padding).andExpect(problem(HttpStatus.BAD_REQUEST, "the request body must be at most 65536 bytes"));
        assertThat(publisher.published).isEmpty();
    }

    @Test
    void rejectsABlankOrOverlongIdempotencyKey() throws Exception {
        mvc.perform(post("/orders").contentType(MediaType.APPLICATION_JSON).header("Idempotency-Key", " ").content(VALID))
                .andExpect(problem(HttpStatus.BAD_REQUEST, "the Idempotency-Key header must be 1 to 255 non-blank characters"));
        mvc.perform(post("/orders").contentType(MediaType.APPLICATION_JSON).header("Idempotency-Key", "k".repeat(256)).content(VALID))
                .andExpect(status().isBadRequest());
        assertThat(publisher.published).isEmpty();
    }

    @Test
    void rejectsANonJsonContentType() throws Exception {
        mvc.perform(post("/orders").contentType(MediaType.TEXT_PLAIN).content(VALID))
                .andExpect(status().isUnsupportedMediaType())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
        assertThat(publisher.published).isEmpty();
    }

    @Test
    void placesAnOrderAndAnswers202WithItsLocation() throws Exception {
        String orderId = mvc.perform(post("/orders").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"customerId\":\"17850\",\"unknownField\":true,\"lines\":[{\"productId\":\"85123A\",\"quantity\":6},{\"productId\":\"71053\",\"quantity\":1}]}"))
                .andExpect(status().isAccepted())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$.status").value("PENDING"))
                .andReturn().getResponse().getContentAsString().replaceAll(".*\"orderId\":\"([^\"]+)\".*", "$1");

        assertThat(UUID.fromString(orderId)).isNotNull();
        assertThat(publisher.published).singleElement().satisfies(p -> {
            assertThat(p.topic()).isEqualTo(Topics.ORDER_REQUESTS.name());
            assertThat(p.key()).isEqualTo(orderId);
            OrderRequest request = (OrderRequest) p.value();
            assertThat(request.getOrderId()).isEqualTo(orderId);
            assertThat(request.getRequestedAt()).isNotNull();
            assertThat(request.getRequest()).isEqualTo(new PlaceOrder("17850", null,
                    List.of(new RequestedLine("85123A", 6), new RequestedLine("71053", 1))));
        });
        mvc.perform(post("/orders").contentType(MediaType.APPLICATION_JSON).content(VALID))
                .andExpect(header().string("Location", startsWith("/orders/")))
                .andExpect(jsonPath("$.orderId").value(not(orderId)));
    }

    @Test
    void derivesTheOrderIdFromCustomerAndIdempotencyKey() throws Exception {
        String expected = UUID.nameUUIDFromBytes("17850|checkout-42".getBytes(StandardCharsets.UTF_8)).toString();
        services.server.expect(requestTo(ApiTestConfiguration.VIEW + "/orders/" + expected)).andRespond(withResourceNotFound());
        viewHolds(expected, "RESERVING", "17850", "{\"productId\":\"71053\",\"quantity\":1},{\"productId\":\"85123A\",\"quantity\":6}");
        String sameLinesSplit = """
                {"customerId":"17850","lines":[{"productId":"85123A","quantity":4},{"productId":"71053","quantity":1},{"productId":"85123A","quantity":2}]}""";
        for (String body : List.of(VALID, sameLinesSplit)) {
            placeWithKey("checkout-42", body)
                    .andExpect(status().isAccepted())
                    .andExpect(header().string("Location", "/orders/" + expected))
                    .andExpect(jsonPath("$.orderId").value(expected));
        }
        assertThat(publisher.published).extracting(RecordingPublisher.Published::key).containsExactly(expected, expected);
        assertThat(((PlaceOrder) ((OrderRequest) publisher.published.getFirst().value()).getRequest()).getIdempotencyKey())
                .isEqualTo("checkout-42");
        assertThat(IdempotencyKeys.orderId("17850", "checkout-42")).isEqualTo(expected);
        assertThat(IdempotencyKeys.orderId("17851", "checkout-42")).isNotEqualTo(expected);
        assertThat(IdempotencyKeys.orderId("17850", "checkout-43")).isNotEqualTo(expected);
    }

    static Stream<Arguments> otherOrdersUnderTheKey() {
        String same = "{\"productId\":\"85123A\",\"quantity\":6},{\"productId\":\"71053\",\"quantity\":1}";
        return Stream.of(
                Arguments.of("another quantity", "17850", "{\"productId\":\"85123A\",\"quantity\":5},{\"productId\":\"71053\",\"quantity\":1}"),
                Arguments.of("a line fewer", "17850", "{\"productId\":\"85123A\",\"quantity\":6}"),
                Arguments.of("another product", "17850", "{\"productId\":\"85123A\",\"quantity\":6},{\"productId\":\"22423\",\"quantity\":1}"),
                Arguments.of("another customer", "12346", same));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("otherOrdersUnderTheKey")
    void refusesAKeyReusedForAnOrderWithOtherLinesWith422(String difference, String viewCustomer, String viewLines) throws Exception {
        String orderId = IdempotencyKeys.orderId("17850", "checkout-42");
        viewHolds(orderId, "CONFIRMED", viewCustomer, viewLines);

        placeWithKey("checkout-42", VALID)
                .andExpect(problem(HttpStatus.UNPROCESSABLE_CONTENT, "the Idempotency-Key already names order " + orderId
                        + " with other lines: use a new key for another order"));
        assertThat(publisher.published).isEmpty();
    }

    @Test
    void placesAKeyedOrderWhenTheReadModelDoesNotTell() throws Exception {
        String orderId = IdempotencyKeys.orderId("17850", "checkout-42");
        services.server.expect(requestTo(ApiTestConfiguration.VIEW + "/orders/" + orderId))
                .andRespond(withException(new SocketTimeoutException("request timed out")));
        services.server.expect(requestTo(ApiTestConfiguration.VIEW + "/orders/" + orderId))
                .andRespond(withServiceUnavailable().contentType(MediaType.APPLICATION_PROBLEM_JSON).body("{\"status\":503}"));
        services.server.expect(requestTo(ApiTestConfiguration.VIEW + "/orders/" + orderId))
                .andRespond(withSuccess("not an order", MediaType.APPLICATION_JSON));

        for (int attempt = 0; attempt < 3; attempt++) {
            placeWithKey("checkout-42", VALID).andExpect(status().isAccepted()).andExpect(jsonPath("$.orderId").value(orderId));
        }
        assertThat(publisher.published).hasSize(3);
    }

    @Test
    void answers503WithRetryAfterAndTheUnknownOutcomeWhenKafkaDoesNotAcknowledge() throws Exception {
        publisher.down = true;
        String unknown = "Kafka did not acknowledge the write to order-requests: "
                + "org.apache.kafka.common.errors.TimeoutException: broker down. "
                + "The outcome is unknown: the record may have been written. ";
        place(VALID).andExpect(unavailable(unknown + "This request had no Idempotency-Key, so a retry may create"
                        + " a second order; send a key, the same on every retry."));

        services.server.expect(requestTo(ApiTestConfiguration.VIEW + "/orders/" + IdempotencyKeys.orderId("17850", "checkout-42")))
                .andRespond(withResourceNotFound());
        placeWithKey("checkout-42", VALID).andExpect(unavailable(unknown
                        + "Retry with the same Idempotency-Key: it names the same order, which is applied once."));
    }

    @Test
    void aLongPollAnswersAnOrderTheReadModelShowsTerminalAtOnce() throws Exception {
        services.server.expect(requestTo(ApiTestConfiguration.VIEW + "/orders/o-1")).andExpect(method(HttpMethod.GET))
                .andRespond(withSuccess("{\"orderId\":\"o-1\",\"status\":\"CONFIRMED\"}", MediaType.APPLICATION_JSON));

        mvc.perform(get("/orders/o-1?waitMs=30000"))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
                .andExpect(content().json("{\"orderId\":\"o-1\",\"status\":\"CONFIRMED\"}"));
    }

    @Test
    void aLongPollAnswersTheSubscriptionsTerminalSnapshotWithoutTheReadModel() throws Exception {
        recent.add(event("o-sub", OrderStatus.CANCELLED));

        mvc.perform(get("/orders/o-sub?waitMs=30000"))
                .andExpect(status().isOk())
                .andExpect(content().json("""
                        {"orderId":"o-sub","customerId":"17850","status":"CANCELLED","reason":"OUT_OF_STOCK",
                         "lines":[{"productId":"85123A","productName":"HEART","quantity":6,"unitPrice":295,"lineTotal":1770}],
                         "total":1770,"currency":"GBP","createdAt":"1970-01-01T00:00:00Z"}"""));
    }

    /**
     * Monotonic reads: once a long poll answered an order terminal from the subscription, a plain read must not
     * answer the read model's older snapshot (it lags the saga's commit by its own processing).
     */
    @Test
    void aPlainReadAfterTheSubscriptionSawTheOrderTerminalDoesNotGoBackToTheReadModelsOlderSnapshot() throws Exception {
        recent.add(event("o-ended", OrderStatus.CONFIRMED));
        services.server.expect(ExpectedCount.between(0, 2), requestTo(ApiTestConfiguration.VIEW + "/orders/o-ended"))
                .andRespond(withSuccess("{\"orderId\":\"o-ended\",\"status\":\"PAYING\"}", MediaType.APPLICATION_JSON));

        mvc.perform(get("/orders/o-ended?waitMs=30000")).andExpect(jsonPath("$.status").value("CONFIRMED"));
        mvc.perform(get("/orders/o-ended")).andExpect(status().isOk()).andExpect(jsonPath("$.status").value("CONFIRMED"));
    }

    @Test
    void aLongPollIsWokenByTheSubscriptionAfterTheReadModelShowedItInFlight() throws Exception {
        services.server.expect(requestTo(ApiTestConfiguration.VIEW + "/orders/o-woken"))
                .andRespond(withSuccess("{\"orderId\":\"o-woken\",\"status\":\"PAYING\"}", MediaType.APPLICATION_JSON));
        CompletableFuture<ResultActions> poll = CompletableFuture.supplyAsync(() -> {
            try {
                return mvc.perform(get("/orders/o-woken?waitMs=30000"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // The poll registered before it read the read model, so the snapshot added after that read wakes it.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(services.server::verify);
        recent.add(event("o-woken", OrderStatus.CONFIRMED));

        poll.get(10, TimeUnit.SECONDS).andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("CONFIRMED"));
    }

    @Test
    void aLongPollOfAnOrderThatStaysUnknownAnswersTheReadModels404AfterItsWait() throws Exception {
        services.server.expect(ExpectedCount.manyTimes(), requestTo(ApiTestConfiguration.VIEW + "/orders/o-never"))
                .andRespond(withResourceNotFound());

        mvc.perform(get("/orders/o-never?waitMs=50")).andExpect(status().isNotFound());
        mvc.perform(get("/orders/o-never?waitMs=-1")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("waitMs must be >= 0 ms, was -1"));
    }

    @Test
    void aLongPollOfAnOrderPlacedHereWaitsForTheSubscriptionNotTheReadModel() throws Exception {
        recent.subscribed();
        try {
            String orderId = orderIdOf(place(VALID).andExpect(status().isAccepted()));
            // Only the answer after the wait, which found nothing, is asked of the read model: not the first read.
            services.server.expect(ExpectedCount.once(), requestTo(ApiTestConfiguration.VIEW + "/orders/" + orderId))
                    .andRespond(withResourceNotFound());

            mvc.perform(get("/orders/" + orderId + "?waitMs=200")).andExpect(status().isNotFound());
        } finally {
            recent.subscriptionFailed();
        }
    }

    @Test
    void aLongPollOfAnOrderPlacedHereAsksTheReadModelWhileTheSubscriptionFails() throws Exception {
        recent.subscribed();
        String orderId = orderIdOf(place(VALID).andExpect(status().isAccepted()));
        recent.subscriptionFailed();
        services.server.expect(ExpectedCount.twice(), requestTo(ApiTestConfiguration.VIEW + "/orders/" + orderId))
                .andRespond(withResourceNotFound());

        mvc.perform(get("/orders/" + orderId + "?waitMs=200")).andExpect(status().isNotFound());
    }

    @Test
    void aKeyedRetryPreferringToWaitAnswersTheEndedOrderAt200() throws Exception {
        String orderId = IdempotencyKeys.orderId("17850", "checkout-7");
        recent.add(event(orderId, OrderStatus.CONFIRMED));

        mvc.perform(post("/orders").contentType(MediaType.APPLICATION_JSON).header("Idempotency-Key", "checkout-7")
                        .header("Prefer", "respond-async, wait=10")
                        .content("{\"customerId\":\"17850\",\"lines\":[{\"productId\":\"85123A\",\"quantity\":6}]}"))
                .andExpect(status().isOk())
                .andExpect(header().string("Preference-Applied", "wait=10"))
                .andExpect(header().string("Location", "/orders/" + orderId))
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$.orderId").value(orderId))
                .andExpect(jsonPath("$.status").value("CONFIRMED"))
                .andExpect(jsonPath("$.lines[0].unitPrice").value(295));
        assertThat(publisher.published).extracting(RecordingPublisher.Published::key).containsExactly(orderId);
    }

    @Test
    void anOrderPreferringToWaitThatDoesNotEndInTimeAnswers202() throws Exception {
        recent.subscribed();
        try {
            place(VALID).andExpect(status().isAccepted());
            mvc.perform(post("/orders").contentType(MediaType.APPLICATION_JSON).header("Prefer", "wait=1").content(VALID))
                    .andExpect(status().isAccepted())
                    .andExpect(header().string("Preference-Applied", "wait=1"))
                    .andExpect(header().string("Location", startsWith("/orders/")))
                    .andExpect(jsonPath("$.status").value("PENDING"));
        } finally {
            recent.subscriptionFailed();
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            "wait=5|5", "respond-async, wait=10|10", "wait=10; x=y|10", "WAIT=3|3", "wait=100|30", "wait=0|0",
            "wait=-1|0", "wait=soon|0", "wait=|0", "handling=lenient|0", "null|0"})
    void readsTheWaitPreferenceInSeconds(String prefer, long seconds) {
        assertThat(OrderController.preferredWaitSeconds(prefer == null ? null : List.of(prefer))).isEqualTo(seconds);
    }

    private static String orderIdOf(ResultActions placed) throws Exception {
        return placed.andReturn().getResponse().getContentAsString().replaceAll(".*\"orderId\":\"([^\"]+)\".*", "$1");
    }

    private static OrderEvent event(String orderId, OrderStatus status) {
        return new OrderEvent(orderId, "17850", status, OrderReason.OUT_OF_STOCK, null,
                List.of(new OrderLine("85123A", "HEART", 6, 295L, 1770L)), 1770L, "GBP",
                Instant.EPOCH, Instant.EPOCH);
    }

    @Test
    void relaysTheReadModelsProblem() throws Exception {
        services.server.expect(requestTo(ApiTestConfiguration.VIEW + "/orders/o-404"))
                .andRespond(withResourceNotFound().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                        .body("{\"status\":404,\"detail\":\"order o-404 is unknown\"}"));

        mvc.perform(get("/orders/o-404"))
                .andExpect(problem(HttpStatus.NOT_FOUND, "order o-404 is unknown"));
    }

    @Test
    void relaysACustomersOrders() throws Exception {
        assertRelayed(ApiTestConfiguration.VIEW, "/customers/17850/orders", "{\"customerId\":\"17850\",\"orders\":[]}");
    }

    @Test
    void rejectsInvalidPathIdsAndWaits() throws Exception {
        mvc.perform(get("/orders/a|b")).andExpect(problem(HttpStatus.BAD_REQUEST, "orderId must not contain '/' or '|'"));
        mvc.perform(get("/orders/" + "o".repeat(65))).andExpect(status().isBadRequest());
        mvc.perform(get("/orders/ ")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("orderId must not be blank"));
        mvc.perform(get("/orders/o-1?waitMs=soon")).andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
        mvc.perform(get("/customers/a|b/orders")).andExpect(status().isBadRequest());
        mvc.perform(post("/orders/a|b/cancel")).andExpect(status().isBadRequest());
    }

    private ResultActions placeWithKey(String key, String body) throws Exception {
        return mvc.perform(post("/orders").contentType(MediaType.APPLICATION_JSON).header("Idempotency-Key", key).content(body));
    }

    /** The read model holds the order: {@code lines} are the JSON objects of its lines, without the brackets. */
    private void viewHolds(String orderId, String status, String customerId, String lines) {
        services.server.expect(requestTo(ApiTestConfiguration.VIEW + "/orders/" + orderId))
                .andRespond(withSuccess("{\"orderId\":\"" + orderId + "\",\"customerId\":\"" + customerId + "\",\"status\":\""
                        + status + "\",\"lines\":[" + lines + "],\"total\":0}", MediaType.APPLICATION_JSON));
    }

    private void viewHolds(String orderId, String status) {
        viewHolds(orderId, status, "17850", "{\"productId\":\"85123A\",\"quantity\":6}");
    }

    private void viewDoesNotHold(String orderId) {
        services.server.expect(requestTo(ApiTestConfiguration.VIEW + "/orders/" + orderId)).andRespond(withResourceNotFound());
    }

    private ResultActions cancel(String orderId, String body) throws Exception {
        return body == null ? mvc.perform(post("/orders/" + orderId + "/cancel"))
                : mvc.perform(post("/orders/" + orderId + "/cancel").contentType(MediaType.APPLICATION_JSON).content(body));
    }

    /** 202 with the cancel's answer: {@code {"orderId","status","detail"}}. */
    private static ResultMatcher cancelAnswer(String orderId, String status, String detail) {
        return result -> {
            status().isAccepted().match(result);
            jsonPath("$.orderId").value(orderId).match(result);
            jsonPath("$.status").value(status).match(result);
            jsonPath("$.detail").value(detail).match(result);
        };
    }

    /** {@link #cancelAnswer} of a cancel written for the saga to decide. */
    private static ResultMatcher cancelRequested(String orderId) {
        return cancelAnswer(orderId, "CANCEL_REQUESTED", "cancel requested");
    }

    private void assertCancelPublished(String orderId, String requestedBy) {
        assertThat(publisher.published).singleElement().satisfies(p -> {
            assertThat(p.topic()).isEqualTo(Topics.ORDER_REQUESTS.name());
            assertThat(p.key()).isEqualTo(orderId);
            assertThat(((OrderRequest) p.value()).getRequest()).isEqualTo(new CancelOrder(requestedBy, false));
        });
    }

    @Test
    void cancelsAnOrderInFlightForItsCustomer() throws Exception {
        viewHolds("o-1", "PAYING");

        cancel("o-1", null).andExpect(cancelRequested("o-1"));
        assertCancelPublished("o-1", "17850");
    }

    @Test
    void cancelsAnOrderTheReadModelDoesNotHoldYetForTheGivenCustomer() throws Exception {
        viewDoesNotHold("o-9");

        cancel("o-9", "{\"customerId\":\"17850\"}").andExpect(cancelRequested("o-9"));
        assertCancelPublished("o-9", "17850");
    }

    @Test
    void requiresACustomerIdToCancelAnOrderTheReadModelDoesNotHold() throws Exception {
        viewDoesNotHold("o-9");

        cancel("o-9", null)
                .andExpect(problem(HttpStatus.BAD_REQUEST, "customerId is required: the read model does not hold order o-9 (yet),"
                        + " so it cannot tell whose it is"));
        assertThat(publisher.published).isEmpty();
    }

    @Test
    void cancelsWithoutTheReadModelOnlyWhenTheCustomerIsGiven() throws Exception {
        services.server.expect(requestTo(ApiTestConfiguration.VIEW + "/orders/o-1"))
                .andRespond(withServiceUnavailable().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                        .body("{\"status\":503,\"detail\":\"rebalancing\"}"));
        services.server.expect(requestTo(ApiTestConfiguration.VIEW + "/orders/o-1"))
                .andRespond(withException(new SocketTimeoutException("request timed out")));

        cancel("o-1", null)
                .andExpect(unavailable("customerId is required while the read model does not answer"
                        + " (order-view-streams answered 503): send it, or retry"));
        assertThat(publisher.published).isEmpty();
        cancel("o-1", "{\"customerId\":\"17850\"}").andExpect(cancelRequested("o-1"));
        assertCancelPublished("o-1", "17850");
    }

    @Test
    void refusesToCancelAnotherCustomersOrderWith422() throws Exception {
        viewHolds("o-1", "RESERVING");

        cancel("o-1", "{\"customerId\":\"12346\"}")
                .andExpect(problem(HttpStatus.UNPROCESSABLE_CONTENT, "order o-1 is not an order of customer 12346"));
        assertThat(publisher.published).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '#', value = {
            "{\"customerId\":\"a|b\"}   # customerId must not contain '/' or '|'",
            "{\"customerId\":17850}      # customerId must be a string",
            "[]                          # the request body must be a JSON object",
            "{\"customerId\":            # malformed JSON: ",
    })
    void rejectsAnInvalidCancelBody(String body, String detail) throws Exception {
        cancel("o-1", body.strip())
                .andExpect(problem(HttpStatus.BAD_REQUEST, startsWith(detail.strip())));
        assertThat(publisher.published).isEmpty();
    }

    @Test
    void answers503WithRetryAfterWhenTheCancelIsNotAcknowledged() throws Exception {
        viewHolds("o-1", "PAYING");
        publisher.down = true;

        cancel("o-1", null)
                .andExpect(unavailable(endsWith("The outcome is unknown: the record may have been written."
                        + " A retry is safe: cancelling twice is the same as once.")));
    }

    @Test
    void cancellingACancelledOrderWritesNothing() throws Exception {
        viewHolds("o-1", "CANCELLED");

        cancel("o-1", null).andExpect(cancelAnswer("o-1", "CANCELLED", "order o-1 is cancelled"));
        assertThat(publisher.published).isEmpty();
    }

    @Test
    void refusesToCancelAConfirmedOrRejectedOrder() throws Exception {
        viewHolds("o-1", "CONFIRMED");
        viewHolds("o-2", "REJECTED");

        cancel("o-1", "{\"customerId\":\"17850\"}")
                .andExpect(problem(HttpStatus.CONFLICT, "order o-1 is CONFIRMED and can no longer be cancelled"));
        cancel("o-2", null).andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail").value("order o-2 is REJECTED and can no longer be cancelled"));
        assertThat(publisher.published).isEmpty();
    }
}
