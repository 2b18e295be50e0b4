package io.ordersaga.common.spring;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings every OrderSaga service shares, under the prefix {@code ordersaga}. Kafka's bootstrap servers
 * are Spring Boot's own {@code spring.kafka.bootstrap-servers}; the Streams application.id is
 * {@code spring.application.name}.
 *
 * @param registryUrl       Schema Registry base URL (Apicurio, Confluent-compatible), for example {@code http://127.0.0.1:8081}
 * @param partitions        partition count of every topic the services create (default 6); the most instances
 *                          of one service that share work
 * @param replicationFactor replicas of every topic, internal ones included (1 on a single broker)
 * @param commitIntervalMs  Streams transaction commit interval in ms (default 25, {@code StreamsDefaults.COMMIT_INTERVAL_MS})
 * @param stateDir          RocksDB state directory of this instance; default {@code target/state/<application>-<port>}
 * @param advertisedHost    host other instances use to reach this one's HTTP port for interactive queries
 */
@ConfigurationProperties("ordersaga")
public record OrderSagaProperties(
        @DefaultValue("http://127.0.0.1:8081") String registryUrl,
        @DefaultValue("6") int partitions,
        @DefaultValue("1") short replicationFactor,
        @DefaultValue("25") long commitIntervalMs,
        String stateDir,
        @DefaultValue("127.0.0.1") String advertisedHost) {
}
