package io.ordersaga.common.spring;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** {@link CurrentClientQueryService}: after the factory replaced its client, queries go to the new one. */
class CurrentClientQueryServiceTest {

    @Test
    void queriesTheClientTheFactoryHoldsNowNotTheFirstOne() {
        StreamsBuilderFactoryBean factory = mock(StreamsBuilderFactoryBean.class);
        KafkaStreams first = client();
        KafkaStreams restarted = client();
        CurrentClientQueryService queries = new CurrentClientQueryService(factory);

        when(factory.getKafkaStreams()).thenReturn(first);
        var before = queries.retrieveQueryableStore("catalog", QueryableStoreTypes.<String, String>keyValueStore());
        when(factory.getKafkaStreams()).thenReturn(restarted);
        var after = queries.retrieveQueryableStore("catalog", QueryableStoreTypes.<String, String>keyValueStore());

        assertThat(before).isSameAs(storeOf(first));
        assertThat(after).isSameAs(storeOf(restarted));
    }

    @SuppressWarnings("unchecked")
    private static KafkaStreams client() {
        KafkaStreams streams = mock(KafkaStreams.class);
        ReadOnlyKeyValueStore<String, String> store = mock(ReadOnlyKeyValueStore.class);
        when(streams.store(any(StoreQueryParameters.class))).thenReturn(store);
        return streams;
    }

    private static Object storeOf(KafkaStreams streams) {
        return streams.store(StoreQueryParameters.fromNameAndType("catalog", QueryableStoreTypes.keyValueStore()));
    }
}
