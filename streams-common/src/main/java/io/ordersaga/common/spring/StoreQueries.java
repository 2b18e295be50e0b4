package io.ordersaga.common.spring;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.ordersaga.common.Store;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.streams.KafkaStreamsInteractiveQueryService;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.server.ResponseStatusException;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Interactive-query routing: answers a key's query from this instance when it owns the key's partition of
 * the store, and otherwise forwards the same HTTP request to the instance that does (found with Kafka
 * Streams' {@code queryMetadataForKey}, through spring-kafka's {@link KafkaStreamsInteractiveQueryService}).
 *
 * <p>During a rebalance ownership is unknown (Kafka Streams answers {@code KeyQueryMetadata.NOT_AVAILABLE},
 * whose host is "unavailable", port -1) or a store is not queryable yet. A query whose key has no known owner
 * fails at once with {@link UnavailableException} (503 Service Unavailable, {@code Retry-After}
 * {@value #RETRY_AFTER_SECONDS} s); a query for a key this instance owns but whose store is not queryable yet
 * (restoring) retries for up to {@link #REBALANCE_PATIENCE}, then fails the same way. A forwarded request carries
 * {@link #FORWARDED_HEADER}; an instance that receives one but does not own the key answers 503 rather than
 * forwarding again, so requests never loop between instances. A local answer that finds the key has moved
 * meanwhile (a long poll across a rebalance) throws {@link KeyMovedException}, and the request is forwarded to the
 * key's new owner.
 */
public class StoreQueries {

    /** Header marking a request forwarded by another instance. */
    public static final String FORWARDED_HEADER = "X-OrderSaga-Forwarded";

    /** How long a read of a local store waits for the store to become queryable before answering 503. */
    public static final Duration REBALANCE_PATIENCE = Duration.ofSeconds(5);

    /** The {@code Retry-After} of every 503 of this class, in seconds: about how long a rebalance takes to settle. */
    public static final long RETRY_AFTER_SECONDS = 1;

    /** The pause between two reads of a store that is not queryable yet. */
    private static final Duration RETRY_PAUSE = Duration.ofMillis(50);

    /**
     * Retries a read while the store is not queryable, every {@link #RETRY_PAUSE}, for up to
     * {@link #REBALANCE_PATIENCE}; the last failure is then rethrown as it is.
     */
    private final RetryTemplate untilQueryable = new RetryTemplate(RetryPolicy.builder()
            .includes(InvalidStateStoreException.class, IllegalStateException.class)
            .maxRetries(Long.MAX_VALUE).delay(RETRY_PAUSE).timeout(REBALANCE_PATIENCE).build());

    private final KafkaStreamsInteractiveQueryService queries;
    private final StreamsBuilderFactoryBean factory;
    private final RestClient http;
    private final InstanceBreakers breakers;

    /**
     * @param queries spring-kafka's query service over this instance's Streams client, answering by one look (a
     *                RetryTemplate of no retries: {@link StreamsServiceConfiguration#interactiveQueryService}), so that
     *                an unknown owner fails at once and a store read retries by this class's patience alone
     * @param factory the Streams client's factory, for the client's state
     * @param http     client used to forward requests to other instances
     * @param breakers one circuit breaker per owner forwarded to: an owner that keeps failing to answer is not asked
     *                 for a while, and its queries answer 503 at once
     */
    public StoreQueries(KafkaStreamsInteractiveQueryService queries, StreamsBuilderFactoryBean factory, RestClient http,
                        InstanceBreakers breakers) {
        this.queries = queries;
        this.factory = factory;
        this.http = http;
        this.breakers = breakers;
    }

    /**
     * Answers {@code request} for {@code key} of {@code store}: runs {@code local} here when this
     * instance owns the key, otherwise forwards the request (method GET, same path and query) to the owner
     * and relays its status, content type, {@code Retry-After} and body. When {@code local} throws
     * {@link KeyMovedException}, forwards the request, with the exception's query string, to the key's owner as
     * found now.
     *
     * @throws UnavailableException 503 when no owner of the key is known, when the request was forwarded here but
     *                              this instance does not own the key (or no longer does), or when the owner cannot
     *                              be reached
     */
    public ResponseEntity<?> route(Store<?> store, String key, HttpServletRequest request,
                                   Supplier<ResponseEntity<?>> local) {
        String storeName = store.name();
        HostInfo self = queries.getCurrentKafkaStreamsApplicationHostInfo();
        HostInfo owner = knownOwner(storeName, key);
        if (!owner.equals(self)) {
            return forward(storeName, key, owner, request, request.getQueryString());
        }
        try {
            return local.get();
        } catch (KeyMovedException moved) {
            HostInfo newOwner = knownOwner(storeName, key);
            if (newOwner.equals(self)) {
                throw moving(storeName, key);
            }
            return forward(storeName, key, newOwner, request, moved.queryString());
        }
    }

    /**
     * Who owns {@code key} of {@code store} now, by one look at this instance's Streams metadata (no waiting):
     * {@link Ownership#HERE}, {@link Ownership#ELSEWHERE}, or {@link Ownership#UNKNOWN} while no owner is known
     * (the client is neither RUNNING nor REBALANCING, or Kafka Streams answers {@code NOT_AVAILABLE}).
     */
    public Ownership ownership(Store<?> store, String key) {
        HostInfo self = queries.getCurrentKafkaStreamsApplicationHostInfo();
        return owner(store.name(), key).map(owner -> owner.equals(self) ? Ownership.HERE : Ownership.ELSEWHERE)
                .orElse(Ownership.UNKNOWN);
    }

    /** Who owns a key's partition of a store now ({@link #ownership}). */
    public enum Ownership {
        /** This instance. */
        HERE,
        /** Another instance, known by its host and port. */
        ELSEWHERE,
        /** Nobody known: the Streams client is neither RUNNING nor REBALANCING, or partitions are being assigned. */
        UNKNOWN
    }

    /**
     * The value of {@code key} in this instance's key-value store {@code store}, or null when absent.
     * Retries while the store is not queryable (restoring, rebalancing).
     *
     * @throws UnavailableException 503 when the store stays unavailable for {@link #REBALANCE_PATIENCE}
     */
    public <V> V get(Store<V> store, String key) {
        try {
            return untilQueryable.invoke(() -> {
                var streams = factory.getKafkaStreams();
                if (streams == null || !streams.state().isRunningOrRebalancing()) {
                    throw new InvalidStateStoreException("Streams client is " + (streams == null ? "not started" : streams.state()));
                }
                ReadOnlyKeyValueStore<String, V> local = queries.retrieveQueryableStore(store.name(), QueryableStoreTypes.keyValueStore());
                return local.get(key);
            });
        } catch (InvalidStateStoreException | IllegalStateException e) {
            throw new UnavailableException(e.getMessage());
        }
    }

    /**
     * The instance that owns {@code key} of {@code storeName} now, by one look at the Streams client's metadata
     * (no waiting); empty while none is known: the client is neither RUNNING nor REBALANCING, or Kafka Streams
     * answers {@code NOT_AVAILABLE} (partitions being assigned).
     */
    private Optional<HostInfo> owner(String storeName, String key) {
        var streams = factory.getKafkaStreams();
        if (streams == null || !streams.state().isRunningOrRebalancing()) {
            return Optional.empty();
        }
        try {
            HostInfo owner = queries.getKafkaStreamsApplicationHostInfo(storeName, key, Serdes.String().serializer());
            return owner == null || owner.equals(HostInfo.unavailable()) ? Optional.empty() : Optional.of(owner);
        } catch (InvalidStateStoreException | IllegalStateException e) {
            return Optional.empty();
        }
    }

    private HostInfo knownOwner(String storeName, String key) {
        return owner(storeName, key).orElseThrow(() ->
                new UnavailableException("no instance owns key " + key + " of " + storeName + " yet (rebalancing)"));
    }

    private static UnavailableException moving(String storeName, String key) {
        return new UnavailableException("key " + key + " of " + storeName + " is moving between instances (rebalancing)");
    }

    private ResponseEntity<?> forward(String storeName, String key, HostInfo owner, HttpServletRequest request,
                                      String queryString) {
        if (request.getHeader(FORWARDED_HEADER) != null) {
            throw moving(storeName, key);
        }
        HostInfo self = queries.getCurrentKafkaStreamsApplicationHostInfo();
        String instance = owner.host() + ":" + owner.port();
        String uri = "http://" + instance + request.getRequestURI() + (queryString == null ? "" : "?" + queryString);
        try {
            return breakers.call(instance, () -> http.get().uri(uri).header(FORWARDED_HEADER, self.host() + ":" + self.port())
                    .exchange((req, res) -> ResponseEntity.status(res.getStatusCode())
                            .headers(h -> {
                                h.setContentType(res.getHeaders().getContentType());
                                String retryAfter = res.getHeaders().getFirst(HttpHeaders.RETRY_AFTER);
                                if (retryAfter != null) {
                                    h.set(HttpHeaders.RETRY_AFTER, retryAfter);
                                }
                            })
                            .body(res.getBody().readAllBytes())));
        } catch (CallNotPermittedException e) {
            throw new UnavailableException("the owner of key " + key + " (" + instance + ") is not asked: it failed to"
                    + " answer repeatedly, so its circuit breaker is open for " + InstanceBreakers.OPEN_FOR.toSeconds() + " s");
        } catch (RestClientException e) {
            throw new UnavailableException("the owner of key " + key + " (" + instance + ") did not answer: " + e.getMessage());
        }
    }

    /**
     * 503 Service Unavailable with {@code Retry-After: }{@value #RETRY_AFTER_SECONDS} (seconds), answered as
     * {@code application/problem+json} with the reason as {@code detail}: the store or the key's owner is not
     * available now, typically for the length of a rebalance.
     */
    public static class UnavailableException extends ResponseStatusException {

        /** @param detail why, for the problem's {@code detail} */
        public UnavailableException(String detail) {
            super(HttpStatus.SERVICE_UNAVAILABLE, detail);
        }

        /** {@code Retry-After: }{@value #RETRY_AFTER_SECONDS}. */
        @Override
        public HttpHeaders getHeaders() {
            HttpHeaders headers = new HttpHeaders();
            headers.set(HttpHeaders.RETRY_AFTER, String.valueOf(RETRY_AFTER_SECONDS));
            return headers;
        }
    }

    /**
     * Thrown by a local answer of {@link #route} that finds this instance no longer owns its key (the partition
     * moved in a rebalance while the answer was being prepared, as a long poll's is): {@link #route} forwards the
     * request to the new owner with {@link #queryString()}. Thrown anywhere else, it is a 503 like its superclass.
     */
    public static final class KeyMovedException extends UnavailableException {

        private final String queryString;

        /**
         * @param storeName   the store
         * @param key         the key that moved
         * @param queryString the query string to forward with (for example a long poll's remaining wait), without
         *                    {@code ?}; null for none
         */
        public KeyMovedException(String storeName, String key, String queryString) {
            super("key " + key + " of " + storeName + " moved to another instance (rebalancing)");
            this.queryString = queryString;
        }

        /** The query string to forward the request with, without {@code ?}; null for none. */
        public String queryString() {
            return queryString;
        }
    }
}
