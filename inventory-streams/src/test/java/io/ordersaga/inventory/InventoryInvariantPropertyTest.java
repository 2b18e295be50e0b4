package io.ordersaga.inventory;

import io.ordersaga.common.Retention;
import io.ordersaga.events.ReservationState;
import io.ordersaga.events.StockLevel;
import io.ordersaga.events.StockReservation;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.springframework.util.FileSystemUtils;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever commands arrive, in whatever order and however often repeated, every product's stock keeps
 * adjusted = available + reserved + sold with nothing negative, and reserved is exactly what its open
 * (RESERVED) reservations hold.
 */
class InventoryInvariantPropertyTest {

    private static final List<String> PRODUCTS = List.of("p1", "p2");

    @Property(tries = 50)
    void stockStaysConsistentWhateverTheCommands(@ForAll("commands") List<Command> commands) throws IOException {
        Path stateDir = Files.createTempDirectory("inventory-property");
        try (InventoryDriver inventory = new InventoryDriver(new Retention(60_000, 1_000), stateDir)) {
            for (Command command : commands) {
                command.applyTo(inventory);
                assertConsistent(inventory);
            }
        } finally {
            FileSystemUtils.deleteRecursively(stateDir);
        }
    }

    private static void assertConsistent(InventoryDriver inventory) {
        List<StockReservation> reservations = inventory.allReservations();
        for (String productId : PRODUCTS) {
            StockLevel level = inventory.stock(productId);
            if (level == null) {
                continue;
            }
            assertThat(level.getAvailable()).isNotNegative();
            assertThat(level.getReserved()).isNotNegative();
            assertThat(level.getSold()).isNotNegative();
            assertThat(level.getAdjusted()).isEqualTo(level.getAvailable() + level.getReserved() + level.getSold());
            assertThat(level.getReserved()).isEqualTo(reservations.stream()
                    .filter(r -> r.getProductId().equals(productId) && r.getState() == ReservationState.RESERVED)
                    .mapToLong(StockReservation::getQuantity).sum());
        }
    }

    @Provide
    Arbitrary<List<Command>> commands() {
        Arbitrary<String> orders = Arbitraries.of("o1", "o2", "o3", "o4");
        Arbitrary<String> products = Arbitraries.of(PRODUCTS);
        Arbitrary<Command> reserve = Combinators.combine(orders, products, Arbitraries.integers().between(1, 6)).as(Reserve::new);
        Arbitrary<Command> release = Combinators.combine(orders, products).as(Release::new);
        Arbitrary<Command> commit = Combinators.combine(orders, products).as(Commit::new);
        Arbitrary<Command> adjust = Combinators.combine(products, Arbitraries.longs().between(-6, 10)).as(Adjust::new);
        return Arbitraries.oneOf(reserve, release, commit, adjust).list().ofMaxSize(60);
    }

    /** One inventory command, as the test generates it. */
    sealed interface Command {
        void applyTo(InventoryDriver inventory);
    }

    record Reserve(String orderId, String productId, int quantity) implements Command {
        public void applyTo(InventoryDriver inventory) {
            inventory.reserve(orderId, productId, quantity);
        }
    }

    record Release(String orderId, String productId) implements Command {
        public void applyTo(InventoryDriver inventory) {
            inventory.release(orderId, productId);
        }
    }

    record Commit(String orderId, String productId) implements Command {
        public void applyTo(InventoryDriver inventory) {
            inventory.commit(orderId, productId);
        }
    }

    record Adjust(String productId, long delta) implements Command {
        public void applyTo(InventoryDriver inventory) {
            inventory.adjust(productId, delta);
        }
    }
}
