package io.ordersaga.saga;

import io.ordersaga.common.spring.StoreQueries;
import io.ordersaga.events.OrderSagaState;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

import java.util.Iterator;
import java.util.function.Function;

/**
 * This instance's partitions of the saga store {@link OrderSagaTopology#SAGAS} (key orderId), read whole by an
 * interactive query: what the operators' queries ({@link SagaQueryController}) and the in-flight gauges
 * ({@link SagasInFlight}) scan. A scan costs about 1 to 2 s of one core per million sagas ({@link SagaSearch}).
 */
public class LocalSagas {

    private final StreamsBuilderFactoryBean factory;

    /** @param factory the Streams client's factory, for its local stores */
    public LocalSagas(StreamsBuilderFactoryBean factory) {
        this.factory = factory;
    }

    /**
     * Runs {@code query} over the sagas of this instance's partitions, values only, in key order.
     *
     * @throws StoreQueries.UnavailableException 503 while the Streams client is not RUNNING or the store is not
     *                                           queryable (a rebalance)
     */
    public <T> T scan(Function<Iterator<OrderSagaState>, T> query) {
        KafkaStreams streams = factory.getKafkaStreams();
        if (streams == null || streams.state() != KafkaStreams.State.RUNNING) {
            throw new StoreQueries.UnavailableException("the saga store is not queryable: the Streams client is "
                    + (streams == null ? "not started" : streams.state()));
        }
        ReadOnlyKeyValueStore<String, OrderSagaState> store;
        try {
            store = streams.store(StoreQueryParameters.fromNameAndType(OrderSagaTopology.SAGAS.name(),
                    QueryableStoreTypes.<String, OrderSagaState>keyValueStore()));
        } catch (RuntimeException e) {
            throw new StoreQueries.UnavailableException("the saga store is not queryable: " + e.getMessage());
        }
        try (KeyValueIterator<String, OrderSagaState> all = store.all()) {
            return query.apply(new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return all.hasNext();
                }

                @Override
                public OrderSagaState next() {
                    return all.next().value;
                }
            });
        }
    }
}
