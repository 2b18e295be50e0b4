package io.ordersaga.common.spring;

import jakarta.servlet.http.HttpServletRequest;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.streams.KafkaStreamsInteractiveQueryService;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.server.ResponseStatusException;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Interactive-query routing: answers a key's query from this instance when it owns the key's partition of
 * the store, and otherwise forwards the same HTTP request to the instance that does (found with Kafka
 * Streams' {@code queryMetadataForKey}, through spring-kafka's {@link KafkaStreamsInteractiveQueryService}).
 *
 * <p>During a rebalance ownership is unknown or a store is not queryable yet; queries then retry for up
 * to {@link #REBALANCE_PATIENCE} and fail with 503 Service Unavailable. A forwarded request carries
 * {@link #FORWARDED_HEADER}; an instance that receives one but does not own the key answers 503 rather
 * than forwarding again, so requests never loop between instances.
 */
public class StoreQueries {

    /** Header marking a request forwarded by another instance. */
    public static final String FORWARDED_HEADER = "X-OrderSaga-Forwarded";

    /** How long a query waits for a rebalance to settle before answering 503. */
    public static final Duration REBALANCE_PATIENCE = Duration.ofSeconds(5);

    private static final long RETRY_PAUSE_MS = 50;

    private final KafkaStreamsInteractiveQueryService queries;
    private final StreamsBuilderFactoryBean factory;
    private final RestClient http;

    /**
     * @param queries spring-kafka's query service over this instance's Streams client
     * @param factory the Streams client's factory, for the client's state
     * @param http    client used to forward requests to other instances
     */
    public StoreQueries(KafkaStreamsInteractiveQueryService queries, StreamsBuilderFactoryBean factory, RestClient http) {
        this.queries = queries;
        this.factory = factory;
        this.http = http;
    }

    /**
     * Answers {@code request} for {@code key} of {@code storeName}: runs {@code local} here when this
     * instance owns the key, otherwise forwards the request (method GET, same path and query) to the owner
     * and relays its status, content type and body.
     *
     * @throws ResponseStatusException 503 when no owner is known within {@link #REBALANCE_PATIENCE}, or the owner cannot be reached
     */
    public ResponseEntity<?> route(String storeName, String key, HttpServletRequest request,
                                   Supplier<ResponseEntity<?>> local) {
        HostInfo owner = retrying(() -> queries.getKafkaStreamsApplicationHostInfo(storeName, key, Serdes.String().serializer()));
        HostInfo self = queries.getCurrentKafkaStreamsApplicationHostInfo();
        if (owner == null) {
            throw unavailable("no instance owns key " + key + " of " + storeName + " yet (rebalancing)");
        }
        if (owner.equals(self)) {
            return local.get();
        }
        if (request.getHeader(FORWARDED_HEADER) != null) {
            throw unavailable("key " + key + " of " + storeName + " is moving between instances (rebalancing)");
        }
        String uri = "http://" + owner.host() + ":" + owner.port() + request.getRequestURI()
                + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
        try {
            return http.get().uri(uri).header(FORWARDED_HEADER, self.host() + ":" + self.port())
                    .exchange((req, res) -> ResponseEntity.status(res.getStatusCode())
                            .headers(h -> h.setContentType(res.getHeaders().getContentType()))
                            .body(res.getBody().readAllBytes()));
        } catch (RestClientException e) {
            throw unavailable("the owner of key " + key + " (" + owner.host() + ":" + owner.port() + ") did not answer: " + e.getMessage());
        }
    }

    /**
     * The value of {@code key} in this instance's key-value store {@code storeName}, or null when absent.
     * Retries while the store is not queryable (restoring, rebalancing).
     *
     * @throws ResponseStatusException 503 when the store stays unavailable for {@link #REBALANCE_PATIENCE}
     */
    public <V> V get(String storeName, String key) {
        return retrying(() -> {
            ReadOnlyKeyValueStore<String, V> store = queries.retrieveQueryableStore(storeName, QueryableStoreTypes.keyValueStore());
            return store.get(key);
        });
    }

    private <T> T retrying(Supplier<T> attempt) {
        long deadline = System.nanoTime() + REBALANCE_PATIENCE.toNanos();
        while (true) {
            try {
                var streams = factory.getKafkaStreams();
                if (streams == null || !streams.state().isRunningOrRebalancing()) {
                    throw new InvalidStateStoreException("Streams client is " + (streams == null ? "not started" : streams.state()));
                }
                return attempt.get();
            } catch (InvalidStateStoreException | IllegalStateException e) {
                if (System.nanoTime() > deadline) {
                    throw unavailable(e.getMessage());
                }
                try {
                    Thread.sleep(RETRY_PAUSE_MS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw unavailable("interrupted");
                }
            }
        }
    }

    private static ResponseStatusException unavailable(String detail) {
        return new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE, detail);
    }
}
