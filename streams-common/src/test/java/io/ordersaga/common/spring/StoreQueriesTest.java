package io.ordersaga.common.spring;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ordersaga.common.Store;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.streams.KafkaStreamsInteractiveQueryService;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.test.web.client.MockRestServiceServer;
import org.springframework.web.client.RestClient;
import org.springframework.web.server.ResponseStatusException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.client.ExpectedCount.times;
import static org.springframework.test.web.client.match.MockRestRequestMatchers.header;
import static org.springframework.test.web.client.match.MockRestRequestMatchers.requestTo;
import static org.springframework.test.web.client.response.MockRestResponseCreators.withException;
import static org.springframework.test.web.client.response.MockRestResponseCreators.withStatus;
import static org.springframework.test.web.client.response.MockRestResponseCreators.withSuccess;

/**
 * Interactive-query routing against a mocked Streams client and query service, with forwarded requests answered by a
 * mock HTTP server: who answers, when a request is forwarded and where to, and what a 503 carries.
 */
class StoreQueriesTest {

    private static final Store<String> ORDERS = Store.strings("orders");

    private static final HostInfo SELF = new HostInfo("127.0.0.1", 8085);
    private static final HostInfo OTHER = new HostInfo("127.0.0.1", 8095);

    private final KafkaStreamsInteractiveQueryService queries = mock(KafkaStreamsInteractiveQueryService.class);
    private final StreamsBuilderFactoryBean factory = mock(StreamsBuilderFactoryBean.class);
    private final KafkaStreams streams = mock(KafkaStreams.class);
    private final RestClient.Builder http = RestClient.builder();
    private final MockRestServiceServer server = MockRestServiceServer.bindTo(http).build();
    private StoreQueries storeQueries;

    @BeforeEach
    void runningClient() {
        when(factory.getKafkaStreams()).thenReturn(streams);
        when(streams.state()).thenReturn(KafkaStreams.State.RUNNING);
        when(queries.getCurrentKafkaStreamsApplicationHostInfo()).thenReturn(SELF);
        storeQueries = new StoreQueries(queries, factory, http.build(), new InstanceBreakers(new SimpleMeterRegistry()));
    }

    private void owner(HostInfo first, HostInfo... then) {
        when(queries.getKafkaStreamsApplicationHostInfo(eq("orders"), eq("o-1"), any(Serializer.class)))
                .thenReturn(first, then);
    }

    private static MockHttpServletRequest request(String queryString) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/orders/o-1");
        request.setQueryString(queryString);
        return request;
    }

    @Test
    void answers503WithRetryAfterAtOnceWhenNoInstanceOwnsTheKeyInsteadOfForwardingToHostUnavailable() {
        // What Kafka Streams' queryMetadataForKey answers while partitions are being assigned (NOT_AVAILABLE).
        owner(HostInfo.unavailable());

        assertThatThrownBy(() -> storeQueries.route(ORDERS, "o-1", request("waitMs=30000"), () -> ResponseEntity.ok("local")))
                .isInstanceOfSatisfying(ResponseStatusException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
                    assertThat(e.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
                    assertThat(e.getReason()).contains("no instance owns key o-1 of orders");
                });
        server.verify();
    }

    @Test
    void answersLocallyWhenThisInstanceOwnsTheKey() {
        owner(SELF);

        assertThat(storeQueries.route(ORDERS, "o-1", request(null), () -> ResponseEntity.ok("local")).getBody())
                .isEqualTo("local");
        server.verify();
    }

    @Test
    void forwardsToTheNewOwnerWithTheLocalAnswersQueryStringWhenTheKeyMovesMeanwhile() {
        owner(SELF, OTHER);
        server.expect(requestTo("http://127.0.0.1:8095/orders/o-1?waitMs=12000"))
                .andExpect(header(StoreQueries.FORWARDED_HEADER, "127.0.0.1:8085"))
                .andRespond(withSuccess("{\"status\":\"CONFIRMED\"}", MediaType.APPLICATION_JSON));

        ResponseEntity<?> answer = storeQueries.route(ORDERS, "o-1", request("waitMs=30000"), () -> {
            throw new StoreQueries.KeyMovedException("orders", "o-1", "waitMs=12000");
        });

        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(new String((byte[]) answer.getBody(), StandardCharsets.UTF_8)).isEqualTo("{\"status\":\"CONFIRMED\"}");
        server.verify();
    }

    @Test
    void aForwardedRequestWhoseKeyMovesAnswers503WithRetryAfterRatherThanForwardingAgain() {
        owner(SELF, OTHER);
        MockHttpServletRequest forwarded = request("waitMs=30000");
        forwarded.addHeader(StoreQueries.FORWARDED_HEADER, "127.0.0.1:8075");

        assertThatThrownBy(() -> storeQueries.route(ORDERS, "o-1", forwarded, () -> {
            throw new StoreQueries.KeyMovedException("orders", "o-1", "waitMs=12000");
        })).isInstanceOfSatisfying(StoreQueries.UnavailableException.class,
                e -> assertThat(e.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1"));
        server.verify();
    }

    @Test
    void anOwnerThatKeepsFailingToAnswerIsNotAskedWhileItsBreakerIsOpen() {
        owner(OTHER);
        server.expect(times(InstanceBreakers.MINIMUM_CALLS), requestTo("http://127.0.0.1:8095/orders/o-1"))
                .andRespond(withException(new IOException("Connection refused")));
        for (int i = 0; i < InstanceBreakers.MINIMUM_CALLS; i++) {
            assertThatThrownBy(() -> storeQueries.route(ORDERS, "o-1", request(null), () -> ResponseEntity.ok("local")))
                    .isInstanceOf(StoreQueries.UnavailableException.class).hasMessageContaining("did not answer");
        }

        assertThatThrownBy(() -> storeQueries.route(ORDERS, "o-1", request(null), () -> ResponseEntity.ok("local")))
                .isInstanceOfSatisfying(StoreQueries.UnavailableException.class, e -> {
                    assertThat(e.getReason()).contains("127.0.0.1:8095", "circuit breaker is open");
                    assertThat(e.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
                });
        server.verify();
    }

    @Test
    void relaysTheOwnersStatusContentTypeAndRetryAfter() {
        owner(OTHER);
        server.expect(requestTo("http://127.0.0.1:8095/orders/o-1"))
                .andRespond(withStatus(HttpStatus.SERVICE_UNAVAILABLE).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                        .header(HttpHeaders.RETRY_AFTER, "1").body("{}"));

        ResponseEntity<?> answer = storeQueries.route(ORDERS, "o-1", request(null), () -> ResponseEntity.ok("local"));

        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(answer.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(answer.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
        server.verify();
    }

    @Test
    void ownershipIsHereElsewhereOrUnknownAsTheMetadataSays() {
        owner(SELF, OTHER, HostInfo.unavailable());

        assertThat(storeQueries.ownership(ORDERS, "o-1")).isEqualTo(StoreQueries.Ownership.HERE);
        assertThat(storeQueries.ownership(ORDERS, "o-1")).isEqualTo(StoreQueries.Ownership.ELSEWHERE);
        assertThat(storeQueries.ownership(ORDERS, "o-1")).isEqualTo(StoreQueries.Ownership.UNKNOWN);
        when(streams.state()).thenReturn(KafkaStreams.State.PENDING_SHUTDOWN);
        assertThat(storeQueries.ownership(ORDERS, "o-1")).isEqualTo(StoreQueries.Ownership.UNKNOWN);
    }

    @Test
    void readsALocalStoreAgainUntilItIsQueryable() {
        @SuppressWarnings("unchecked")
        ReadOnlyKeyValueStore<String, String> store = mock(ReadOnlyKeyValueStore.class);
        when(store.get("o-1")).thenReturn("PENDING");
        when(queries.<ReadOnlyKeyValueStore<String, String>>retrieveQueryableStore(eq("orders"), any()))
                .thenThrow(new InvalidStateStoreException("restoring"), new IllegalStateException("rebalancing"))
                .thenReturn(store);

        assertThat(storeQueries.get(ORDERS, "o-1")).isEqualTo("PENDING");
    }
}
