package io.ordersaga.demo.audit;

import io.ordersaga.demo.run.Outcome;
import io.ordersaga.demo.workload.Workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.ordersaga.demo.audit.Audit.Kind;
import io.ordersaga.demo.client.OrderApi.OrderLine;
import io.ordersaga.demo.client.OrderApi.OrderSummary;
import io.ordersaga.demo.client.OrderApi.OrderView;
import io.ordersaga.demo.client.OrderApi.Stock;
import io.ordersaga.demo.client.OrderApi.Wallet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The audit on hand-made numbers: catalog A at 100 pence, B at 50; c1 orders A x2 + B x1 (CONFIRMED, 250) and
 * an unknown product (REJECTED); c2 orders A x5 (CANCELLED by TIMEOUT after being charged 500 and refunded).
 */
class AuditTest {

    private static final Workload.Product A = new Workload.Product("A", "Apple", 100);
    private static final Workload.Product B = new Workload.Product("B", "Banana", 50);

    private static final Workload.Order O1 = new Workload.Order("k1", "c1",
            List.of(new Workload.Line("A", 2), new Workload.Line("B", 1)));
    private static final Workload.Order O2 = new Workload.Order("k2", "c2", List.of(new Workload.Line("A", 5)));
    private static final Workload.Order O3 = new Workload.Order("k3", "c1", List.of(new Workload.Line("Z", 1)));
    private static final Workload.Order O4 = new Workload.Order("k4", "c2", List.of(new Workload.Line("A", -1)));

    private static final OrderView V1 = new OrderView("id1", "c1", "CONFIRMED", null, null,
            List.of(new OrderLine("A", "Apple", 2, 100L, 200L), new OrderLine("B", "Banana", 1, 50L, 50L)), 250);
    private static final OrderView V2 = new OrderView("id2", "c2", "CANCELLED", "TIMEOUT", "payment step timed out",
            List.of(new OrderLine("A", "Apple", 5, 100L, 500L)), 500);
    private static final OrderView V3 = new OrderView("id3", "c1", "REJECTED", "UNKNOWN_PRODUCT", "Z",
            List.of(new OrderLine("Z", null, 1, null, null)), 0);

    private Map<String, Long> stockSent;
    private Map<String, Long> creditsSent;
    private List<Outcome> outcomes;
    private Map<String, Stock> stock;
    private Map<String, Wallet> wallets;
    private Map<String, OrderView> readModel;
    private Map<String, List<OrderSummary>> lists;

    @BeforeEach
    void balancedBooks() {
        stockSent = new LinkedHashMap<>(Map.of("A", 10L, "B", 3L));
        creditsSent = new LinkedHashMap<>(Map.of("c1", 1000L, "c2", 600L));
        outcomes = new ArrayList<>(List.of(
                new Outcome.Terminal(O1, "id1", V1, 0, 1000),
                new Outcome.Terminal(O2, "id2", V2, 10, 2000),
                new Outcome.Terminal(O3, "id3", V3, 20, 500),
                new Outcome.Refused(O4, 400, "quantity must be >= 1")));
        stock = new HashMap<>(Map.of("A", new Stock("A", 8, 0, 2, 10), "B", new Stock("B", 2, 0, 1, 3)));
        wallets = new HashMap<>(Map.of("c1", new Wallet("c1", 750, 1000, 250, 0),
                "c2", new Wallet("c2", 600, 600, 500, 500)));
        readModel = new HashMap<>(Map.of("id1", V1, "id2", V2, "id3", V3));
        lists = new HashMap<>(Map.of(
                "c1", List.of(summary(V3), summary(V1)),
                "c2", List.of(summary(V2))));
    }

    private static OrderSummary summary(OrderView v) {
        return new OrderSummary(v.orderId(), v.status(), v.reason(), v.total());
    }

    private List<Audit.Breach> check() {
        return Audit.check(new Audit.Expected(stockSent, creditsSent, Map.of("A", A, "B", B), outcomes,
                Optional.empty()), new Audit.Observed(stock, wallets, readModel, lists));
    }

    private void assertOnly(Kind kind) {
        List<Audit.Breach> breaches = check();
        assertThat(breaches).as(breaches.toString()).hasSize(1);
        assertThat(breaches.getFirst().kind()).isEqualTo(kind);
    }

    @Test
    void balancedBooksHaveNoBreach() {
        assertThat(check()).isEmpty();
    }

    /** One stock record or one wallet off the balanced books, and the one breach it is. */
    static Stream<Arguments> oneRecordOffTheBooks() {
        return Stream.of(
                arguments("adjusted other than sent", new Stock("A", 9, 0, 2, 11), Kind.STOCK_ADJUSTED),
                arguments("units not conserved", new Stock("A", 7, 0, 2, 10), Kind.STOCK_CONSERVATION),
                arguments("units left reserved", new Stock("A", 7, 1, 2, 10), Kind.STOCK_RESERVED),
                arguments("sold other than confirmed units", new Stock("A", 7, 0, 3, 10), Kind.STOCK_SOLD),
                arguments("credited other than sent", new Wallet("c1", 850, 1100, 250, 0), Kind.WALLET_CREDITED),
                arguments("money not conserved", new Wallet("c1", 700, 1000, 250, 0), Kind.WALLET_CONSERVATION),
                arguments("charged other than confirmed totals", new Wallet("c1", 700, 1000, 300, 0), Kind.WALLET_CHARGED),
                arguments("refund missing for a cancelled order", new Wallet("c2", 100, 600, 500, 0), Kind.WALLET_CHARGED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void oneRecordOffTheBooks(String what, Record record, Kind kind) {
        switch (record) {
            case Stock level -> stock.put(level.productId(), level);
            case Wallet wallet -> wallets.put(wallet.customerId(), wallet);
            default -> throw new IllegalArgumentException("not a stock record or a wallet: " + record);
        }
        assertOnly(kind);
    }

    @Test
    void noStockRecordThoughStockWasSent() {
        stock.remove("B");
        List<Audit.Breach> breaches = check();
        assertThat(breaches).extracting(Audit.Breach::kind).contains(Kind.STOCK_ADJUSTED, Kind.STOCK_SOLD);
        assertThat(breaches.getFirst().detail()).contains("no stock record");
    }

    @Test
    void negativeStock() {
        stock.put("B", new Stock("B", -1, 3, 1, 3));
        assertThat(check()).extracting(Audit.Breach::kind).contains(Kind.STOCK_CONSERVATION);
    }

    @Test
    void acceptedOrderNeverTerminal() {
        outcomes.set(2, new Outcome.Unfinished(O3, "id3", "status PENDING"));
        assertOnly(Kind.ORDER_NOT_TERMINAL);
    }

    @Test
    void readModelLostTheOrderOrHasItNonTerminal() {
        readModel.remove("id3");
        assertThat(check()).extracting(Audit.Breach::kind).containsExactly(Kind.ORDER_NOT_TERMINAL);
        readModel.put("id3", new OrderView("id3", "c1", "PENDING", null, null, List.of(), 0));
        assertThat(check()).extracting(Audit.Breach::kind).contains(Kind.ORDER_NOT_TERMINAL);
    }

    @Test
    void readModelDisagreesWithTheLongPoll() {
        readModel.put("id3", new OrderView("id3", "c1", "REJECTED", "UNKNOWN_PRODUCT", "other detail", V3.lines(), 0));
        assertOnly(Kind.ORDER_DISAGREES);
    }

    @Test
    void confirmedOrderForAnotherCustomer() {
        OrderView wrong = new OrderView("id1", "c9", "CONFIRMED", null, null, V1.lines(), 250);
        readModel.put("id1", wrong);
        outcomes.set(0, new Outcome.Terminal(O1, "id1", wrong, 0, 1000));
        assertOnly(Kind.ORDER_CONTENT);
    }

    @Test
    void confirmedOrderNotAtCatalogPrice() {
        OrderView cheap = new OrderView("id1", "c1", "CONFIRMED", null, null,
                List.of(new OrderLine("A", "Apple", 2, 90L, 180L), new OrderLine("B", "Banana", 1, 50L, 50L)), 230);
        readModel.put("id1", cheap);
        outcomes.set(0, new Outcome.Terminal(O1, "id1", cheap, 0, 1000));
        wallets.put("c1", new Wallet("c1", 770, 1000, 230, 0));
        lists.put("c1", List.of(summary(V3), summary(cheap)));
        List<Audit.Breach> breaches = check();
        assertThat(breaches).extracting(Audit.Breach::kind).containsExactly(Kind.ORDER_CONTENT);
        assertThat(breaches.getFirst().detail()).contains("A priced 90, catalog 100");
    }

    @Test
    void confirmedOrderWithWrongTotalOrQuantities() {
        OrderView badTotal = new OrderView("id1", "c1", "CONFIRMED", null, null, V1.lines(), 260);
        readModel.put("id1", badTotal);
        outcomes.set(0, new Outcome.Terminal(O1, "id1", badTotal, 0, 1000));
        assertThat(check()).extracting(Audit.Breach::kind).contains(Kind.ORDER_CONTENT);

        OrderView lessB = new OrderView("id1", "c1", "CONFIRMED", null, null,
                List.of(new OrderLine("A", "Apple", 2, 100L, 200L)), 200);
        readModel.put("id1", lessB);
        outcomes.set(0, new Outcome.Terminal(O1, "id1", lessB, 0, 1000));
        assertThat(check()).filteredOn(b -> b.kind() == Kind.ORDER_CONTENT)
                .singleElement().satisfies(b -> assertThat(b.detail()).contains("units per product"));
    }

    @Test
    void orderListedTwice() {
        lists.put("c1", List.of(summary(V3), summary(V1), summary(V1)));
        assertOnly(Kind.ORDER_LISTING);
    }

    @Test
    void orderMissingFromTheListOrListedWithAnotherStatus() {
        lists.put("c2", List.of());
        assertOnly(Kind.ORDER_LISTING);
        lists.put("c2", List.of(new OrderSummary("id2", "PAYING", null, 500)));
        assertOnly(Kind.ORDER_LISTING);
    }

    @Test
    void listHoldsAnOrderTheDemoDidNotPlace() {
        lists.put("c2", List.of(new OrderSummary("id9", "CONFIRMED", null, 1), summary(V2)));
        List<Audit.Breach> breaches = check();
        assertThat(breaches).extracting(Audit.Breach::kind).containsExactly(Kind.ORDER_LISTING);
        assertThat(breaches.getFirst().detail()).contains("id9");
    }

    @Test
    void oneOrderIdForTwoIdempotencyKeys() {
        Workload.Order again = new Workload.Order("k5", "c2", List.of(new Workload.Line("A", 5)));
        outcomes.add(new Outcome.Terminal(again, "id2", V2, 30, 100));
        List<Audit.Breach> breaches = check();
        assertThat(breaches).extracting(Audit.Breach::kind).containsExactly(Kind.ORDER_LISTING);
        assertThat(breaches.getFirst().detail()).contains("k2");
    }

    /**
     * A flash sale of product F (1000 pence, {@code units} stocked) to {@code buyers} buyers f1, f2, ... of one unit
     * each, each credited 1000; the first {@code confirmed} orders CONFIRMED, the others cancelled OUT_OF_STOCK;
     * the stock shows {@code sold} sold. Everything else balances.
     */
    private static List<Audit.Breach> flashSale(int units, int buyers, int confirmed, int sold) {
        Workload.Product f = new Workload.Product("F", "Flash", 1000);
        Map<String, Long> credits = new LinkedHashMap<>();
        List<Outcome> sale = new ArrayList<>();
        Map<String, Wallet> flashWallets = new HashMap<>();
        Map<String, OrderView> views = new HashMap<>();
        Map<String, List<OrderSummary>> flashLists = new HashMap<>();
        for (int b = 1; b <= buyers; b++) {
            String customer = "f" + b;
            Workload.Order order = new Workload.Order("fk" + b, customer, List.of(new Workload.Line("F", 1)));
            boolean ok = b <= confirmed;
            OrderView view = new OrderView("fid" + b, customer, ok ? "CONFIRMED" : "CANCELLED",
                    ok ? null : "OUT_OF_STOCK", ok ? null : "sold out", List.of(new OrderLine("F", "Flash", 1, 1000L,
                    1000L)), 1000);
            credits.put(customer, 1000L);
            sale.add(new Outcome.Terminal(order, view.orderId(), view, b, 1000));
            flashWallets.put(customer, ok ? new Wallet(customer, 0, 1000, 1000, 0) : new Wallet(customer, 1000, 1000, 0, 0));
            views.put(view.orderId(), view);
            flashLists.put(customer, List.of(summary(view)));
        }
        return Audit.check(new Audit.Expected(Map.of("F", (long) units), credits, Map.of("F", f), sale,
                        Optional.of("F")),
                new Audit.Observed(Map.of("F", new Stock("F", units - sold, 0, sold, units)), flashWallets, views,
                        flashLists));
    }

    @Test
    void flashSaleThatSellsExactlyItsUnitsBalances() {
        assertThat(flashSale(100, 1000, 100, 100)).isEmpty();
        assertThat(flashSale(80, 50, 50, 50)).isEmpty();
    }

    @Test
    void flashSaleConfirmingMoreThanItsUnitsIsOversold() {
        // a lost update: 3 more orders confirmed than units, the stock sold only its 100
        List<Audit.Breach> breaches = flashSale(100, 1000, 103, 100);
        assertThat(breaches).extracting(Audit.Breach::kind)
                .containsExactlyInAnyOrder(Kind.OVERSOLD, Kind.OVERSOLD, Kind.STOCK_SOLD);
        assertThat(breaches).filteredOn(b -> b.kind() == Kind.OVERSOLD).extracting(Audit.Breach::detail)
                .containsExactlyInAnyOrder("CONFIRMED orders hold 103 units, but min(100 stocked, 1000 ordered) = 100"
                        + " must sell", "CONFIRMED orders hold 103 units but the stock sold 100");
        assertThat(breaches).filteredOn(b -> b.kind() == Kind.OVERSOLD).extracting(Audit.Breach::subject)
                .containsOnly("product F (flash sale)");
    }

    @Test
    void flashSaleConfirmingFewerThanDueIsUndersold() {
        assertThat(flashSale(100, 1000, 99, 99)).extracting(Audit.Breach::kind).containsExactly(Kind.UNDERSOLD);
        assertThat(flashSale(80, 50, 49, 49)).extracting(Audit.Breach::kind).containsExactly(Kind.UNDERSOLD);
    }

    @Test
    void flashSaleStockSoldOtherThanConfirmed() {
        // units gone from the stock without a confirmed order
        assertThat(flashSale(100, 1000, 100, 101)).extracting(Audit.Breach::kind)
                .containsExactlyInAnyOrder(Kind.UNDERSOLD, Kind.STOCK_SOLD, Kind.STOCK_CONSERVATION);
        // confirmed orders no unit backs
        assertThat(flashSale(100, 1000, 100, 99)).extracting(Audit.Breach::kind)
                .containsExactlyInAnyOrder(Kind.OVERSOLD, Kind.STOCK_SOLD);
    }

    @Test
    void everyKindIsCovered() {
        // a guard: adding a Kind needs a test above
        assertThat(Kind.values()).hasSize(13);
    }
}
