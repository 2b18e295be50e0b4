package io.ordersaga.localstack;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A stack of three KRaft nodes (its own, not the shared one): every topic, Kafka's transaction state log
 * included, has 3 replicas and {@code min.insync.replicas=2}; a transactional producer goes on writing while the
 * quorum's leader is stopped, and the node comes back into the cluster; data of a cluster of 3 is refused by a
 * stack of 1. Budget: 40 s (three brokers and a registry start twice).
 */
class LocalStackClusterTest {

    @Test
    void threeNodesReplicateEveryTopicThriceAndKeepWritingWithOneDown(@TempDir Path dataDir) throws Exception {
        LocalStack.Config config = new LocalStack.Config(LocalStack.projectHome(), dataDir, false, 0, 0, 0, 0).withBrokers(3);
        try (LocalStack stack = LocalStack.start(config); Admin admin = admin(stack)) {
            assertThat(stack.brokerIds()).containsExactly(1, 2, 3);
            assertThat(stack.bootstrapServers().split(",")).hasSize(3);
            assertThat(stack.replicationFactor()).isEqualTo((short) 3);
            assertThat(stack.minInsyncReplicas()).isEqualTo(2);
            admin.createTopics(List.of(new NewTopic("cluster-check", 3, stack.replicationFactor()))).all().get(30, TimeUnit.SECONDS);

            try (KafkaProducer<String, String> producer = producer(stack)) {
                producer.initTransactions();
                commit(producer, "before");

                int leader = admin.describeMetadataQuorum().quorumInfo().get(30, TimeUnit.SECONDS).leaderId();
                stack.stopBroker(leader);
                assertThat(stack.brokerRunning(leader)).isFalse();
                commit(producer, "while node " + leader + " is down");

                stack.startBroker(leader);
                assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(3);
                commit(producer, "after");
            }

            Map<String, TopicDescription> topics = admin.describeTopics(Set.of("cluster-check", "__transaction_state")).allTopicNames().get(30, TimeUnit.SECONDS);
            topics.values().forEach(topic -> topic.partitions().forEach(partition ->
                    assertThat(partition.replicas()).as(topic.name() + "-" + partition.partition()).hasSize(3)));
            for (String topic : topics.keySet()) {
                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
                Config topicConfig = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
                assertThat(topicConfig.get("min.insync.replicas").value()).as(topic).isEqualTo("2");
            }
        }

        LocalStack.Config single = new LocalStack.Config(config.home(), dataDir, false, 0, 0, 0, 0);
        assertThatThrownBy(() -> LocalStack.start(single))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is of a cluster of 3 broker(s), not 1");
    }

    private static void commit(KafkaProducer<String, String> producer, String value) throws Exception {
        producer.beginTransaction();
        producer.send(new ProducerRecord<>("cluster-check", value, value)).get(60, TimeUnit.SECONDS);
        producer.commitTransaction();
    }

    private static KafkaProducer<String, String> producer(LocalStack stack) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "cluster-check",
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000),
                new StringSerializer(), new StringSerializer());
    }

    private static Admin admin(LocalStack stack) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()));
    }
}
