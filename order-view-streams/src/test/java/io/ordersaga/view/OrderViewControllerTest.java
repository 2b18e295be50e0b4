package io.ordersaga.view;

import io.ordersaga.common.orders.OrderWaiters;
import io.ordersaga.common.spring.StoreQueries;
import io.ordersaga.events.CustomerOrders;
import io.ordersaga.events.OrderEvent;
import io.ordersaga.events.OrderLine;
import io.ordersaga.events.OrderReason;
import io.ordersaga.events.OrderStatus;
import io.ordersaga.events.OrderSummary;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultMatcher;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The HTTP edge of the read model, with interactive queries answered locally from stubbed stores; StoreQueries'
 * routing itself is StoreQueriesTest's business.
 */
@WebMvcTest(OrderViewController.class)
@TestPropertySource(properties = "spring.config.name=order-view-streams")
class OrderViewControllerTest {

    /** The controller and the waiters, without the Streams wiring of {@link OrderViewApplication}. */
    @SpringBootConfiguration
    @Import({OrderViewController.class, OrderWaiters.class})
    static class WebOnly {
    }

    @Autowired
    MockMvc mvc;

    @MockitoBean
    StoreQueries queries;

    @BeforeEach
    void answerLocally() {
        when(queries.route(any(), anyString(), any(), any()))
                .thenAnswer(call -> call.<Supplier<ResponseEntity<?>>>getArgument(3).get());
        when(queries.ownership(any(), anyString())).thenReturn(StoreQueries.Ownership.HERE);
    }

    private static OrderEvent cancelled() {
        return new OrderEvent("o-1", "17850", OrderStatus.CANCELLED, OrderReason.OUT_OF_STOCK, "85123A: 6 requested, 2 available",
                List.of(new OrderLine("85123A", "WHITE HANGING HEART T-LIGHT HOLDER", 6, 255L, 1530L),
                        new OrderLine("NOPE", null, 1, null, null)),
                1530L, "GBP", Instant.parse("2026-01-05T10:00:00Z"), Instant.parse("2026-01-05T10:00:01.250Z"));
    }

    @Test
    void answersAnOrderAsJsonWithIsoInstants() throws Exception {
        when(queries.get(OrderViewTopology.ORDERS, "o-1")).thenReturn(cancelled());

        mvc.perform(get("/orders/o-1?waitMs=30000"))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
                .andExpect(content().json("""
                        {"orderId": "o-1", "customerId": "17850", "status": "CANCELLED", "reason": "OUT_OF_STOCK",
                         "reasonDetail": "85123A: 6 requested, 2 available",
                         "lines": [{"productId": "85123A", "productName": "WHITE HANGING HEART T-LIGHT HOLDER",
                                    "quantity": 6, "unitPrice": 255, "lineTotal": 1530},
                                   {"productId": "NOPE", "productName": null, "quantity": 1, "unitPrice": null,
                                    "lineTotal": null}],
                         "total": 1530, "currency": "GBP",
                         "createdAt": "2026-01-05T10:00:00Z", "updatedAt": "2026-01-05T10:00:01.250Z"}
                        """, JsonCompareMode.STRICT));
    }

    @Test
    void answers404ProblemForAnUnknownOrder() throws Exception {
        mvc.perform(get("/orders/o-unknown")).andExpect(problem(HttpStatus.NOT_FOUND, "order o-unknown is unknown"))
                .andExpect(content().json("""
                        {"title":"Not Found","status":404,"detail":"order o-unknown is unknown",
                         "instance":"/orders/o-unknown"}""", JsonCompareMode.STRICT));
    }

    @Test
    void rejectsANegativeOrNonNumericWait() throws Exception {
        mvc.perform(get("/orders/o-1?waitMs=-1"))
                .andExpect(problem(HttpStatus.BAD_REQUEST, "waitMs must be >= 0 ms, was -1"));
        mvc.perform(get("/orders/o-1?waitMs=soon"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
    }

    @Test
    void relaysUnavailableWhileRebalancing() throws Exception {
        when(queries.route(eq(OrderViewTopology.ORDERS), eq("o-1"), any(), any()))
                .thenThrow(new StoreQueries.UnavailableException("no instance owns key o-1 of orders yet (rebalancing)"));

        mvc.perform(get("/orders/o-1"))
                .andExpect(unavailable("no instance owns key o-1 of orders yet (rebalancing)"));
    }

    @Test
    void aLongPollStopsWaitingWithinARecheckWhenItsOrderMovesToAnotherInstance() throws Exception {
        // The partition moves away before the order reaches this instance's store: no wake-up will ever come here,
        // and the local store will never have it. route() forwards on KeyMovedException; mocked here, it relays it.
        when(queries.ownership(OrderViewTopology.ORDERS, "o-1"))
                .thenReturn(StoreQueries.Ownership.HERE, StoreQueries.Ownership.ELSEWHERE);
        long start = System.nanoTime();

        mvc.perform(get("/orders/o-1?waitMs=30000"))
                .andExpect(unavailable("key o-1 of orders moved to another instance (rebalancing)"));
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .isLessThan(Duration.ofMillis(OrderWaiters.RECHECK_MS + 4_000));
    }

    @Test
    void aMovedLongPollGoesOnWithTheWaitThatIsLeft() {
        OrderViewController controller = new OrderViewController(queries, new OrderWaiters());
        when(queries.ownership(OrderViewTopology.ORDERS, "o-1")).thenReturn(StoreQueries.Ownership.ELSEWHERE);

        assertThatThrownBy(() -> controller.order("o-1", 20_000, new MockHttpServletRequest()))
                .isInstanceOfSatisfying(StoreQueries.KeyMovedException.class, moved -> {
                    assertThat(moved.queryString()).startsWith("waitMs=");
                    assertThat(Long.parseLong(moved.queryString().substring("waitMs=".length())))
                            .isBetween(15_000L, 20_000L);
                });
    }

    @Test
    void aLongPollGoesOnWhileNoOwnerIsKnownAndAnswersWhatItFindsOnceTheOwnerIsKnownAgain() throws Exception {
        when(queries.ownership(OrderViewTopology.ORDERS, "o-1"))
                .thenReturn(StoreQueries.Ownership.UNKNOWN, StoreQueries.Ownership.HERE);
        when(queries.get(OrderViewTopology.ORDERS, "o-1")).thenReturn(null, cancelled());

        mvc.perform(get("/orders/o-1?waitMs=30000"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("CANCELLED"));
    }

    @Test
    void anOrderNotFoundWhileNoOwnerIsKnownIs503NotUnknown() throws Exception {
        when(queries.ownership(OrderViewTopology.ORDERS, "o-1")).thenReturn(StoreQueries.Ownership.UNKNOWN);

        mvc.perform(get("/orders/o-1")).andExpect(unavailable(
                "order o-1 is not in this instance's store and no instance is known to own it now (rebalancing)"));
    }

    @Test
    void listsACustomersOrders() throws Exception {
        Instant created = Instant.parse("2026-01-05T10:00:00Z");
        when(queries.get(OrderViewTopology.CUSTOMER_ORDERS, "17850")).thenReturn(new CustomerOrders("17850", List.of(
                new OrderSummary("o-2", OrderStatus.PAYING, null, 900L, "GBP", created.plusSeconds(60), created.plusSeconds(61)),
                new OrderSummary("o-1", OrderStatus.CANCELLED, OrderReason.TIMEOUT, 1530L, "GBP", created, created.plusSeconds(30)))));

        mvc.perform(get("/customers/17850/orders"))
                .andExpect(status().isOk())
                .andExpect(content().json("""
                        {"customerId": "17850", "orders": [
                          {"orderId": "o-2", "status": "PAYING", "reason": null, "total": 900, "currency": "GBP",
                           "createdAt": "2026-01-05T10:01:00Z", "updatedAt": "2026-01-05T10:01:01Z"},
                          {"orderId": "o-1", "status": "CANCELLED", "reason": "TIMEOUT", "total": 1530, "currency": "GBP",
                           "createdAt": "2026-01-05T10:00:00Z", "updatedAt": "2026-01-05T10:00:30Z"}]}
                        """, JsonCompareMode.STRICT));
    }

    @Test
    void listsNoOrdersForAnUnknownCustomer() throws Exception {
        mvc.perform(get("/customers/nobody/orders"))
                .andExpect(status().isOk())
                .andExpect(content().json("""
                        {"customerId": "nobody", "orders": []}""", JsonCompareMode.STRICT));
    }

    /** An {@code application/problem+json} answer of {@code status} whose detail is {@code detail}. */
    private static ResultMatcher problem(HttpStatus status, String detail) {
        return result -> {
            status().is(status.value()).match(result);
            content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON).match(result);
            jsonPath("$.detail").value(detail).match(result);
        };
    }

    /** A 503 problem whose detail is {@code detail}, with {@code Retry-After: 1} (s). */
    private static ResultMatcher unavailable(String detail) {
        return result -> {
            problem(HttpStatus.SERVICE_UNAVAILABLE, detail).match(result);
            header().string(HttpHeaders.RETRY_AFTER, "1").match(result);
        };
    }
}
