package io.ordersaga.saga;

import io.ordersaga.common.json.SagaSummaryJson;
import io.ordersaga.common.spring.StoreQueries;
import io.ordersaga.events.OrderStatus;
import io.ordersaga.saga.SagaSearch.Stats;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.kafka.streams.state.HostInfo;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.streams.KafkaStreamsInteractiveQueryService;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

import java.util.ArrayList;
import java.util.List;

/**
 * Interactive queries over the whole saga store {@link OrderSagaTopology#SAGAS} (all partitions, on every
 * instance), for operators: {@code GET /sagas} lists sagas by status and age, {@code GET /sagas/stats} gives the
 * operations page's figures ({@link SagaSearch}, one scan of the store).
 *
 * <p>The instance asked scans its own partitions and asks every other instance of the application (from the
 * Streams metadata) for theirs, with {@link StoreQueries#FORWARDED_HEADER} so they answer for themselves only,
 * then merges. An instance that does not answer, or whose store is not queryable (a rebalance), makes the whole
 * answer 503 with {@code Retry-After}: a partial listing would hide the stuck sagas an operator looks for.
 */
@RestController
public class SagaQueryController {

    /** Most sagas one listing returns. */
    public static final int MAX_LIMIT = 1_000;

    private final StreamsBuilderFactoryBean factory;
    private final KafkaStreamsInteractiveQueryService queries;
    private final LocalSagas local;
    private final RestClient http = RestClient.create();

    /**
     * @param factory the Streams client's factory, for the other instances' addresses
     * @param queries spring-kafka's query service, for this instance's own address
     * @param local   this instance's partitions of the saga store
     */
    public SagaQueryController(StreamsBuilderFactoryBean factory, KafkaStreamsInteractiveQueryService queries,
                               LocalSagas local) {
        this.factory = factory;
        this.queries = queries;
        this.local = local;
    }

    /**
     * {@code GET /sagas?status=PAYING&olderThanMs=300000&limit=100}: the sagas in {@code status} (RESERVING or
     * PAYING; any status is accepted) for at least {@code olderThanMs} ms (default 0), oldest first, at most
     * {@code limit} (1 to {@value #MAX_LIMIT}, default 100), of every instance.
     *
     * @throws StoreQueries.UnavailableException 503 while a store is not queryable or an instance does not answer
     * @throws ResponseStatusException 400 for an unknown status or a limit out of range
     */
    @GetMapping("/sagas")
    public List<SagaSummaryJson> sagas(@RequestParam OrderStatus status, @RequestParam(defaultValue = "0") long olderThanMs,
                                   @RequestParam(defaultValue = "100") int limit, HttpServletRequest request) {
        if (limit < 1 || limit > MAX_LIMIT || olderThanMs < 0) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    "limit must be 1 to " + MAX_LIMIT + " and olderThanMs >= 0, got " + limit + " and " + olderThanMs);
        }
        long nowMs = System.currentTimeMillis();
        List<SagaSummaryJson> here = local.scan(sagas -> SagaSearch.olderThan(sagas, status, olderThanMs, limit, nowMs));
        if (request.getHeader(StoreQueries.FORWARDED_HEADER) != null) {
            return here;
        }
        List<List<SagaSummaryJson>> all = new ArrayList<>(List.of(here));
        all.addAll(others(request, new ParameterizedTypeReference<List<SagaSummaryJson>>() { }));
        return SagaSearch.merge(all, limit);
    }

    /**
     * {@code GET /sagas/stats?windowMs=60000}: the operations page's figures ({@link Stats}) over every instance's
     * sagas, the rates over the last {@code windowMs} (1 to 3600000 ms, default 60000).
     *
     * @throws StoreQueries.UnavailableException 503 while a store is not queryable or an instance does not answer
     */
    @GetMapping("/sagas/stats")
    public Stats stats(@RequestParam(defaultValue = "60000") long windowMs, HttpServletRequest request) {
        if (windowMs < 1 || windowMs > 3_600_000) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    "windowMs must be 1 to 3600000, got " + windowMs);
        }
        long nowMs = System.currentTimeMillis();
        Stats here = local.scan(sagas -> SagaSearch.stats(sagas, windowMs, nowMs));
        if (request.getHeader(StoreQueries.FORWARDED_HEADER) != null) {
            return here;
        }
        return others(request, new ParameterizedTypeReference<Stats>() { }).stream().reduce(here, Stats::plus);
    }

    /** The same request's answer from every other instance of the application, asked for their own partitions. */
    private <T> List<T> others(HttpServletRequest request, ParameterizedTypeReference<T> type) {
        HostInfo self = queries.getCurrentKafkaStreamsApplicationHostInfo();
        List<T> answers = new ArrayList<>();
        String query = request.getQueryString() == null ? "" : "?" + request.getQueryString();
        for (var client : factory.getKafkaStreams().metadataForAllStreamsClients()) {
            HostInfo host = client.hostInfo();
            if (host.equals(self) || !client.stateStoreNames().contains(OrderSagaTopology.SAGAS.name())) {
                continue;
            }
            try {
                answers.add(http.get().uri("http://" + host.host() + ":" + host.port() + request.getRequestURI() + query)
                        .header(StoreQueries.FORWARDED_HEADER, "fan-out").retrieve().body(type));
            } catch (RestClientException e) {
                throw new StoreQueries.UnavailableException("instance " + host.host() + ":" + host.port()
                        + " did not answer: " + e.getMessage());
            }
        }
        return answers;
    }
}
