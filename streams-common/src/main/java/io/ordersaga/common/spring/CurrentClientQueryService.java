package io.ordersaga.common.spring;

import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreType;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.streams.KafkaStreamsInteractiveQueryService;

/**
 * spring-kafka's interactive-query service, always over the factory's current Kafka Streams client. spring-kafka
 * 4.1.1's {@link KafkaStreamsInteractiveQueryService} keeps the first client it queries for good, so once
 * {@link StreamsClientRestart} has replaced the client every query would go to the closed one and fail ("Error
 * retrieving state store"). This one hands each call to a service made for the client the factory holds now.
 */
public final class CurrentClientQueryService extends KafkaStreamsInteractiveQueryService {

    private final StreamsBuilderFactoryBean factory;
    private RetryTemplate retryTemplate;
    private Current current;

    private record Current(KafkaStreams streams, KafkaStreamsInteractiveQueryService service) {
    }

    /** @param factory spring-kafka's factory of the client */
    public CurrentClientQueryService(StreamsBuilderFactoryBean factory) {
        super(factory);
        this.factory = factory;
    }

    /** Retries of the store lookups, for this client's service and those of the clients after it. */
    @Override
    public synchronized void setRetryTemplate(RetryTemplate retryTemplate) {
        this.retryTemplate = retryTemplate;
        current().setRetryTemplate(retryTemplate);
    }

    /** The store of the current client; see {@link KafkaStreamsInteractiveQueryService#retrieveQueryableStore}. */
    @Override
    public <T> T retrieveQueryableStore(String storeName, QueryableStoreType<T> storeType) {
        return current().retrieveQueryableStore(storeName, storeType);
    }

    /** This instance's {@code application.server}; see the overridden method. */
    @Override
    public HostInfo getCurrentKafkaStreamsApplicationHostInfo() {
        return current().getCurrentKafkaStreamsApplicationHostInfo();
    }

    /** The instance owning {@code key} in {@code store}, asked of the current client; see the overridden method. */
    @Override
    public <K> HostInfo getKafkaStreamsApplicationHostInfo(String store, K key, Serializer<K> serializer) {
        return current().getKafkaStreamsApplicationHostInfo(store, key, serializer);
    }

    private synchronized KafkaStreamsInteractiveQueryService current() {
        KafkaStreams streams = factory.getKafkaStreams();
        if (current == null || current.streams() != streams) {
            KafkaStreamsInteractiveQueryService service = new KafkaStreamsInteractiveQueryService(factory);
            if (retryTemplate != null) {
                service.setRetryTemplate(retryTemplate);
            }
            current = new Current(streams, service);
        }
        return current.service();
    }
}
