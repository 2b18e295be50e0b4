package io.ordersaga.saga;

import io.ordersaga.common.TimeIndex;
import io.ordersaga.events.OrderSagaState;
import io.ordersaga.events.OrderStatus;
import io.ordersaga.events.Product;
import io.ordersaga.saga.SagaInput.Timeout;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * Runs {@link OrderSaga} for one task's orders: reads the saga (key orderId) from {@link OrderSagaTopology#SAGA_STORE},
 * applies the input with the wall-clock time ({@code currentSystemTimeMs}) and the catalog global store, writes the
 * saga back (or deletes it), keeps its entry in the deadline index ({@link OrderSagaTopology#DEADLINE_STORE}) in step
 * with the saga's deadline, and forwards what the saga emits, each output under its own topic's key.
 *
 * <p>A wall-clock punctuator every {@code punctuateIntervalMs} takes the due index entries, earliest first, in
 * batches of {@link #EXPIRY_BATCH} and at most {@link #MAX_EXPIRED_PER_PUNCTUATION} per punctuation (the rest
 * wait for the next one), and applies a {@link Timeout} to each: an in-flight saga is cancelled, a terminal one deleted.
 * An index entry is removed only after its Timeout was applied ({@link TimeIndex#forEachDue}), in the same
 * transaction; an exception fails the task, so nothing due is skipped.
 *
 * <p>When a terminal saga is deleted its terminal status stays in {@link OrderSagaTopology#ENDED_STORE} for ever
 * (about 50 bytes an order), so the orderId never gets a second saga: see {@link OrderSaga}.
 */
final class OrderSagaProcessor implements Processor<String, SagaInput, String, SagaOutput> {

    /** Due index entries read per store scan. */
    static final int EXPIRY_BATCH = 1_000;

    /** Due index entries acted on per punctuation, to bound its duration and transaction size. */
    static final int MAX_EXPIRED_PER_PUNCTUATION = 10_000;

    private final OrderSagaTopology.Config config;
    private final OrderSaga saga;
    private ProcessorContext<String, SagaOutput> context;
    private KeyValueStore<String, OrderSagaState> sagas;
    private KeyValueStore<String, String> ended;
    private TimeIndex deadlines;
    private Function<String, Product> catalog;

    /** @param config the saga's timeouts, retention and punctuation interval, in ms */
    OrderSagaProcessor(OrderSagaTopology.Config config) {
        this.config = config;
        this.saga = new OrderSaga(config);
    }

    /** Opens the stores (the catalog read-only) and schedules the deadline punctuator. */
    @Override
    public void init(ProcessorContext<String, SagaOutput> context) {
        this.context = context;
        this.sagas = context.getStateStore(OrderSagaTopology.SAGA_STORE);
        this.ended = context.getStateStore(OrderSagaTopology.ENDED_STORE);
        this.deadlines = new TimeIndex(context.getStateStore(OrderSagaTopology.DEADLINE_STORE));
        TimestampedKeyValueStore<String, Product> products = context.getStateStore(OrderSagaTopology.CATALOG_STORE);
        this.catalog = productId -> {
            ValueAndTimestamp<Product> product = products.get(productId);
            return product == null ? null : product.value();
        };
        context.schedule(Duration.ofMillis(config.punctuateIntervalMs()), PunctuationType.WALL_CLOCK_TIME, this::expire);
    }

    /**
     * Applies one input (key orderId) to its saga and forwards the outputs, each keyed for its topic, with the
     * input record's timestamp and headers.
     */
    @Override
    public void process(Record<String, SagaInput> record) {
        for (SagaOutput output : step(record.value(), context.currentSystemTimeMs())) {
            context.forward(record.withKey(output.key()).withValue(output));
        }
    }

    private void expire(long nowMs) {
        int acted = 0;
        int batch;
        do {
            batch = deadlines.forEachDue(nowMs, EXPIRY_BATCH, entry -> {
                for (SagaOutput output : step(new Timeout(entry.key()), nowMs)) {
                    context.forward(new Record<>(output.key(), output, nowMs));
                }
            });
            acted += batch;
        } while (batch == EXPIRY_BATCH && acted < MAX_EXPIRED_PER_PUNCTUATION);
    }

    /** Applies {@code input} to its saga, stores the result and keeps the deadline index in step; returns the outputs. */
    private List<SagaOutput> step(SagaInput input, long nowMs) {
        String orderId = input.orderId();
        OrderSagaState before = sagas.get(orderId);
        OrderStatus endedAs = before == null ? endedStatus(orderId) : null;
        OrderSaga.Step step = saga.apply(before, endedAs, input, nowMs, catalog);
        OrderSagaState after = step.state();
        if (after != before) {
            if (before != null && (after == null || after.getDeadline() != before.getDeadline())) {
                deadlines.remove(before.getDeadline(), orderId);
            }
            if (after == null) {
                ended.put(orderId, before.getOrder().getStatus().name());
                sagas.delete(orderId);
            } else {
                if (before == null || after.getDeadline() != before.getDeadline()) {
                    deadlines.put(after.getDeadline(), orderId);
                }
                sagas.put(orderId, after);
            }
        }
        return step.outputs();
    }

    /** The terminal status of the order's deleted saga, or null when it never had one. */
    private OrderStatus endedStatus(String orderId) {
        String status = ended.get(orderId);
        return status == null ? null : OrderStatus.valueOf(status);
    }
}
