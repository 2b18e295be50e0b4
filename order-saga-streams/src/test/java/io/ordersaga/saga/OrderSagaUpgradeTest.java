package io.ordersaga.saga;

import io.ordersaga.events.LineReservation;
import io.ordersaga.events.OrderEvent;
import io.ordersaga.events.OrderLine;
import io.ordersaga.events.OrderSagaState;
import io.ordersaga.events.OrderStatus;
import io.ordersaga.schemas.SchemaSet;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static io.ordersaga.events.OrderReason.FRAUD_SUSPECTED;
import static io.ordersaga.events.OrderStatus.CANCELLED;
import static io.ordersaga.events.OrderStatus.CONFIRMED;
import static io.ordersaga.events.OrderStatus.PAYING;
import static io.ordersaga.events.OrderStatus.RESERVING;
import static io.ordersaga.saga.SagaScenario.charge;
import static io.ordersaga.saga.SagaScenario.commit;
import static io.ordersaga.saga.SagaScenario.line;
import static io.ordersaga.saga.SagaScenario.release;
import static io.ordersaga.saga.SagaScenario.reserve;
import static io.ordersaga.saga.SagaScenario.settle;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sagas in flight at an upgrade: state written in the format of the latest released schema of the saga state
 * ({@code schemas/avro/released/v2}, which has no {@code version} field and no fraud check) is read by the current
 * code as the registry's serde reads it (writer schema v2, reader schema the current one), so it has version 1,
 * and each such saga finishes with the steps it started with: above the fraud limit it is still charged and
 * confirmed, while a saga started after the upgrade is stopped by the fraud check. Catalog: P9 Sofa 3,000,000p.
 */
class OrderSagaUpgradeTest {

    private static final Schema RELEASED = SchemaSet.load(Path.of("..", "schemas", "avro", "released", "v2"))
            .schemas().get(OrderSagaState.getClassSchema().getFullName());

    private final SagaScenario saga = new SagaScenario().givenProduct("P9", "Sofa", 3_000_000);

    @AfterEach
    void close() {
        saga.close();
    }

    @Test
    void releasedSchemaHasNoVersionSoOldSagasReadAsVersionOne() {
        assertThat(RELEASED.getField("version")).isNull();
        assertThat(fromReleasedFormat(inFlight("o1", RESERVING, LineReservation.REQUESTED, false)).getVersion()).isEqualTo(1);
    }

    @Test
    void reservingSagaOfTheOldFormatSkipsTheFraudCheckAndConfirms() {
        saga.givenStoredSaga("o1", fromReleasedFormat(inFlight("o1", RESERVING, LineReservation.REQUESTED, false)))
                .whenReserved("o1", "P9", 2)
                .thenPayment(charge("c1", "o1", 6_000_000))
                .thenOrder("o1", PAYING)
                .whenCharged("o1", "c1", 6_000_000)
                .thenInventory(commit("P9", "o1"))
                .thenSettlement(settle("c1", "o1", 6_000_000))
                .thenOrder("o1", CONFIRMED)
                .thenNothingElse();
        assertThat(saga.saga("o1").getVersion()).isEqualTo(1);
    }

    @Test
    void payingSagaOfTheOldFormatConfirms() {
        saga.givenStoredSaga("o1", fromReleasedFormat(inFlight("o1", PAYING, LineReservation.RESERVED, true)))
                .whenCharged("o1", "c1", 6_000_000)
                .thenInventory(commit("P9", "o1"))
                .thenSettlement(settle("c1", "o1", 6_000_000))
                .thenOrder("o1", CONFIRMED)
                .thenNothingElse();
    }

    @Test
    void sagaStartedAfterTheUpgradeIsStoppedByTheFraudCheckWithoutCharge() {
        saga.whenPlaced("o2", "c1", line("P9", 2))
                .thenInventory(reserve("P9", "o2", 2))
                .thenOrder("o2", RESERVING);
        assertThat(saga.saga("o2").getVersion()).isEqualTo(OrderSaga.STATE_VERSION);
        saga.whenReserved("o2", "P9", 2)
                .thenInventory(release("P9", "o2"))
                .thenPayment()
                .thenOrder("o2", CANCELLED, FRAUD_SUSPECTED)
                .thenNothingElse();
    }

    @Test
    void sagaStartedAfterTheUpgradeAtTheLimitIsCharged() {
        saga.givenProduct("P8", "Armchair", OrderSaga.FRAUD_LIMIT_PENCE)
                .whenPlaced("o3", "c1", line("P8", 1))
                .thenInventory(reserve("P8", "o3", 1))
                .thenOrder("o3", RESERVING)
                .whenReserved("o3", "P8", 1)
                .thenPayment(charge("c1", "o3", OrderSaga.FRAUD_LIMIT_PENCE))
                .thenOrder("o3", PAYING)
                .thenNothingElse();
    }

    /** A saga of two sofas (6,000,000p) in {@code status}, as this code would store it. */
    private static OrderSagaState inFlight(String orderId, OrderStatus status, LineReservation line, boolean charged) {
        OrderEvent order = new OrderEvent(orderId, "c1", status, null, null,
                List.of(new OrderLine("P9", "Sofa", 2, 3_000_000L, 6_000_000L)), 6_000_000L, "GBP",
                SagaScenario.START, SagaScenario.START);
        return new OrderSagaState(order, List.of(line), charged, SagaScenario.START.toEpochMilli() + 30_000, OrderSaga.STATE_VERSION);
    }

    /**
     * {@code saga} written by a writer of the released schema (projected onto it, then encoded with it) and read
     * back as the registry's deserializer reads a stored saga: writer schema the released one, reader the current.
     */
    private static OrderSagaState fromReleasedFormat(OrderSagaState saga) {
        try {
            GenericRecord old = new GenericDatumReader<GenericRecord>(OrderSagaState.getClassSchema(), RELEASED)
                    .read(null, DecoderFactory.get().binaryDecoder(encode(saga), null));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(bytes, null);
            new GenericDatumWriter<GenericRecord>(RELEASED).write(old, encoder);
            return new SpecificDatumReader<OrderSagaState>(RELEASED, OrderSagaState.getClassSchema())
                    .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] encode(OrderSagaState saga) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(bytes, null);
        new SpecificDatumWriter<>(OrderSagaState.class).write(saga, encoder);
        return bytes.toByteArray();
    }
}
