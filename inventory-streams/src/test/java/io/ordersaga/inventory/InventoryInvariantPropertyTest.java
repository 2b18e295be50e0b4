package io.ordersaga.inventory;

import io.ordersaga.events.AdjustStock;
import io.ordersaga.events.CommitStock;
import io.ordersaga.events.InventoryCommand;
import io.ordersaga.events.InventoryReply;
import io.ordersaga.events.ReleaseStock;
import io.ordersaga.events.ReservationState;
import io.ordersaga.events.ReserveStock;
import io.ordersaga.events.StockLevel;
import io.ordersaga.events.StockReservation;
import io.ordersaga.events.StockReserved;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The inventory core ({@link Inventory#apply}) driven directly, thousands of times: whatever commands arrive, in
 * whatever order and however often repeated, every product's stock keeps adjusted = available + reserved + sold
 * with nothing negative, reserved is exactly what its open (RESERVED) reservations hold, sold only grows by
 * committed reservations, and a StockReserved is only ever answered while its reservation holds the units.
 */
class InventoryInvariantPropertyTest {

    private static final List<String> PRODUCTS = List.of("p1", "p2");

    @Property(tries = 2_000)
    void stockStaysConsistentWhateverTheCommands(@ForAll("commands") List<InventoryCommand> commands) {
        Map<String, StockLevel> stock = new HashMap<>();
        Map<String, StockReservation> reservations = new HashMap<>();
        Set<String> adjustments = new HashSet<>();
        long nowMs = 0;
        for (InventoryCommand command : commands) {
            String productId = command.getProductId();
            String key = switch (command.getCommand()) {
                case ReserveStock c -> InventoryTopology.reservationKey(c.getOrderId(), productId);
                case ReleaseStock c -> InventoryTopology.reservationKey(c.getOrderId(), productId);
                case CommitStock c -> InventoryTopology.reservationKey(c.getOrderId(), productId);
                default -> null;
            };
            String adjustmentId = command.getCommand() instanceof AdjustStock a ? a.getAdjustmentId() : null;
            Inventory.Step step = Inventory.apply(new Inventory.State(
                    stock.getOrDefault(productId, new StockLevel(productId, 0L, 0L, 0L, 0L)),
                    key == null ? null : reservations.get(key), adjustments.contains(adjustmentId)), command, nowMs++);
            if (step.stock() != null) {
                stock.put(productId, step.stock());
            }
            if (step.reservation() != null) {
                reservations.put(key, step.reservation());
            }
            if (step.recordAdjustment()) {
                adjustments.add(adjustmentId);
            }
            if (step.output() instanceof InventoryReply reply && reply.getOutcome() instanceof StockReserved) {
                assertThat(reservations.get(key).getState()).as("StockReserved answered for %s", key).isEqualTo(ReservationState.RESERVED);
            }
            assertConsistent(stock, reservations);
        }
    }

    private static void assertConsistent(Map<String, StockLevel> stock, Map<String, StockReservation> reservations) {
        stock.forEach((productId, level) -> {
            assertThat(level.getAvailable()).isNotNegative();
            assertThat(level.getReserved()).isNotNegative();
            assertThat(level.getSold()).isNotNegative();
            assertThat(level.getAdjusted()).isEqualTo(level.getAvailable() + level.getReserved() + level.getSold());
            assertThat(level.getReserved()).isEqualTo(units(reservations, productId, ReservationState.RESERVED));
            assertThat(level.getSold()).isEqualTo(units(reservations, productId, ReservationState.COMMITTED));
        });
    }

    /** The units held by productId's reservations in {@code state}. */
    private static long units(Map<String, StockReservation> reservations, String productId, ReservationState state) {
        return reservations.values().stream()
                .filter(r -> r.getProductId().equals(productId) && r.getState() == state)
                .mapToLong(StockReservation::getQuantity).sum();
    }

    @Provide
    Arbitrary<List<InventoryCommand>> commands() {
        Arbitrary<String> orders = Arbitraries.of("o1", "o2", "o3", "o4");
        Arbitrary<String> products = Arbitraries.of(PRODUCTS);
        Arbitrary<InventoryCommand> adjust = Combinators.combine(products, Arbitraries.longs().between(-6, 10), Arbitraries.of("a1", "a2", "a3"))
                .as((p, delta, id) -> new InventoryCommand(p, new AdjustStock(id + p, delta, "TEST")));
        Arbitrary<InventoryCommand> reserve = Combinators.combine(orders, products, Arbitraries.integers().between(0, 6))
                .as((o, p, q) -> new InventoryCommand(p, new ReserveStock(o, q)));
        Arbitrary<InventoryCommand> release = Combinators.combine(orders, products).as((o, p) -> new InventoryCommand(p, new ReleaseStock(o)));
        Arbitrary<InventoryCommand> commit = Combinators.combine(orders, products).as((o, p) -> new InventoryCommand(p, new CommitStock(o)));
        return Arbitraries.oneOf(adjust, reserve, release, commit).list().ofMaxSize(60);
    }
}
