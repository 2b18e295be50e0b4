package io.ordersaga.api;

import io.ordersaga.common.Topic;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.TimeoutException;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The {@link EventPublisher} seam for controller tests: records what was published, or fails like Kafka when down. */
final class RecordingPublisher implements EventPublisher {

    /** One acknowledged write. */
    record Published(String topic, String key, SpecificRecord value) {
    }

    final List<Published> published = new CopyOnWriteArrayList<>();
    volatile boolean down;

    @Override
    public <V extends SpecificRecord> void publish(Topic<V> topic, String key, V value) {
        if (down) {
            throw new UnacknowledgedWriteException(topic, new TimeoutException("broker down"));
        }
        published.add(new Published(topic.name(), key, value));
    }

    void reset() {
        published.clear();
        down = false;
    }
}
