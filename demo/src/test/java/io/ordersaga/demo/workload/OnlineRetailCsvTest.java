package io.ordersaga.demo.workload;

import io.ordersaga.demo.SampleData;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OnlineRetailCsvTest {

    private static final String HEADER = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n";

    private static Workload parse(String body) throws IOException {
        return OnlineRetailCsv.parse(new StringReader(HEADER + body), "test.csv", Integer.MAX_VALUE);
    }

    @Test
    void invoiceIsOneOrderOfItsValidLinesKeyedByInvoiceNo() throws IOException {
        Workload w = parse("""
                536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-01T08:26:00,2.55,17850,United Kingdom
                536365,71053,WHITE METAL LANTERN,6,2010-12-01T08:26:00,3.39,17850,United Kingdom
                536366,22633,HAND WARMER UNION JACK,6,2010-12-01T08:28:00,1.85,17850.0,United Kingdom
                """);
        assertThat(w.orders()).containsExactly(
                new Workload.Order("536365", "17850", List.of(new Workload.Line("85123A", 6), new Workload.Line("71053", 6))),
                new Workload.Order("536366", "17850", List.of(new Workload.Line("22633", 6))));
        assertThat(w.products()).containsExactly(
                new Workload.Product("85123A", "WHITE HANGING HEART T-LIGHT HOLDER", 255),
                new Workload.Product("71053", "WHITE METAL LANTERN", 339),
                new Workload.Product("22633", "HAND WARMER UNION JACK", 185));
        assertThat(w.skipped().totalLines()).isZero();
    }

    @Test
    void everySkipReasonIsCountedAndNothingCrashes() throws IOException {
        Workload w = parse("""
                536365,85123A,GOOD LINE,6,2010-12-01T08:26:00,2.55,17850,United Kingdom
                536365,85123A,"unterminated,6,2010-12-01T08:26:00,2.55,17850,United Kingdom
                536365,85123A,TOO FEW FIELDS,6,2010-12-01T08:26:00,2.55
                536365,85123A,BAD QUANTITY,six,2010-12-01T08:26:00,2.55,17850,United Kingdom
                536365,85123A,BAD DATE,6,yesterday,2.55,17850,United Kingdom
                536365,85123A,BAD PRICE,6,2010-12-01T08:26:00,cheap,17850,United Kingdom
                536365,85123A,BAD CUSTOMER,6,2010-12-01T08:26:00,2.55,17850.5,United Kingdom
                ,85123A,NO INVOICE,6,2010-12-01T08:26:00,2.55,17850,United Kingdom
                536365,85/123,SLASH IN THE CODE,6,2010-12-01T08:26:00,2.55,17850,United Kingdom
                536365,85123A,%s,6,2010-12-01T08:26:00,2.55,17850,United Kingdom
                C536379,85123A,CANCELLED,-6,2010-12-01T09:41:00,2.55,17850,United Kingdom
                C536379,D,Discount,-1,2010-12-01T09:41:00,27.5,14527,United Kingdom
                536370,POST,POSTAGE,3,2010-12-01T08:45:00,18,12583,France
                536370,BANK CHARGES,Bank Charges,1,2010-12-01T08:45:00,15,12583,France
                536370,M,Manual,1,2010-12-01T08:45:00,2.55,12583,France
                536370,C2,CARRIAGE,1,2010-12-01T08:45:00,50,12583,France
                536370,gift_0001_40,Dotcomgiftshop Gift Voucher £40.00,1,2010-12-01T08:45:00,34.04,,United Kingdom
                536371,21777,RECIPE BOX,-12,2010-12-01T09:00:00,0,,United Kingdom
                536372,21777,RECIPE BOX,12,2010-12-01T09:00:00,0,,United Kingdom
                536372,21778,PADS-LIKE PRICE,1,2010-12-01T09:00:00,0.001,,United Kingdom
                536373,21779,,1,2010-12-01T09:00:00,1.25,,United Kingdom
                """.formatted("X".repeat(201)));
        assertThat(w.skipped().lines()).containsExactlyInAnyOrderEntriesOf(Map.of(
                SkipReason.MALFORMED_LINE, 9L,
                SkipReason.CANCELLATION, 2L,
                SkipReason.NON_PRODUCT_CODE, 5L,
                SkipReason.NON_POSITIVE_QUANTITY, 1L,
                SkipReason.NON_POSITIVE_PRICE, 2L,
                SkipReason.BLANK_DESCRIPTION, 1L));
        assertThat(w.skipped().cancellationInvoices()).isEqualTo(1);
        // 536370, 536371, 536372, 536373 have no valid line; 536365 keeps its good line
        assertThat(w.skipped().invoicesWithoutValidLine()).isEqualTo(4);
        assertThat(w.orders()).extracting(Workload.Order::idempotencyKey).containsExactly("536365");
        assertThat(w.orders().getFirst().lines()).containsExactly(new Workload.Line("85123A", 6));
    }

    @Test
    void quotedFieldsMayHoldCommasAndQuotes() throws IOException {
        Workload w = parse("""
                536591,90214S,"LETTER ""S"" BLING KEY RING",1,2010-12-01T16:57:00,1.25,14606,United Kingdom
                536559,51014C,"FEATHER PEN,COAL BLACK",24,2010-12-01T14:53:59,0.85,17873,United Kingdom
                """);
        assertThat(w.products()).extracting(Workload.Product::name)
                .containsExactly("FEATHER PEN,COAL BLACK", "LETTER \"S\" BLING KEY RING");
        assertThat(OnlineRetailCsv.fields("a,\"b,c\",,\"\"")).containsExactly("a", "b,c", "", "");
        assertThat(OnlineRetailCsv.fields("a,\"b\"x,c")).isNull();
    }

    @Test
    void aQuotedFieldMayHoldALineBreak() throws IOException {
        Workload w = parse("""
                536365,85123A,"WHITE HANGING HEART
                T-LIGHT HOLDER",6,2010-12-01T08:26:00,2.55,17850,United Kingdom\r
                536366,22633,HAND WARMER UNION JACK,6,2010-12-01T08:28:00,1.85,17850,United Kingdom
                """);
        assertThat(w.skipped().totalLines()).isZero();
        assertThat(w.products()).containsExactly(
                new Workload.Product("85123A", "WHITE HANGING HEART\nT-LIGHT HOLDER", 255),
                new Workload.Product("22633", "HAND WARMER UNION JACK", 185));
        assertThat(OnlineRetailCsv.fields("a,\"b\r\nc\",d")).containsExactly("a", "b\r\nc", "d");
    }

    @Test
    void anUnclosedQuoteCostsItsOwnLineOnly() throws IOException {
        Workload w = parse("""
                536365,85123A,"UNCLOSED,6,2010-12-01T08:26:00,2.55,17850,United Kingdom
                536366,22633,HAND WARMER UNION JACK,6,2010-12-01T08:28:00,1.85,17850,United Kingdom
                536367,84879,"ASSORTED COLOUR BIRD ORNAMENT",32,2010-12-01T08:34:00,1.69,13047,United Kingdom
                """);
        assertThat(w.skipped().lines()).containsEntry(SkipReason.MALFORMED_LINE, 1L);
        assertThat(w.orders()).extracting(Workload.Order::idempotencyKey).containsExactly("536366", "536367");
    }

    @Test
    void guestLinesBecomeOneCustomerPerInvoice() throws IOException {
        Workload w = parse("""
                536544,21773,DECORATIVE ROSE BATHROOM BOTTLE,1,2010-12-01T14:32:00,2.51,,United Kingdom
                536545,21774,DECORATIVE CATS BATHROOM BOTTLE,2,2010-12-01T14:32:00,2.51,,United Kingdom
                """);
        assertThat(w.orders()).extracting(Workload.Order::customerId)
                .containsExactly("guest-536544", "guest-536545");
    }

    @Test
    void ordersAreReplayedInInvoiceDateOrderThenInvoiceNo() throws IOException {
        Workload w = parse("""
                536400,22001,LATE,1,2010-12-02T10:00:00,1.00,1,UK
                536300,22002,EARLY,1,2010-12-01T10:00:00,1.00,2,UK
                536302,22003,SAME TIME B,1,2010-12-01T11:00:00,1.00,3,UK
                536301,22004,SAME TIME A,1,2010-12-01T11:00:00,1.00,4,UK
                """);
        assertThat(w.orders()).extracting(Workload.Order::idempotencyKey)
                .containsExactly("536300", "536301", "536302", "536400");
    }

    @Test
    void catalogPriceIsTheMostFrequentPenceRoundedHalfUpTiesToTheLowerPrice() throws IOException {
        Workload w = parse("""
                536367,22622,BOX OF VINTAGE ALPHABET BLOCKS,2,2010-12-01T08:33:59,9.949999999999999,13047,UK
                536368,22622,BOX OF VINTAGE ALPHABET BLOCKS,1,2010-12-01T08:34:00,9.95,13047,UK
                536369,22622,Box of vintage alphabet blocks,1,2010-12-01T08:35:00,11.02,13047,UK
                536370,22623,TIED,1,2010-12-01T08:36:00,2.10,13047,UK
                536371,22623,TIED,1,2010-12-01T08:37:00,1.65,13047,UK
                536372,22624,HALF UP,1,2010-12-01T08:38:00,0.125,13047,UK
                """);
        assertThat(w.catalog().get("22622")).isEqualTo(new Workload.Product("22622", "BOX OF VINTAGE ALPHABET BLOCKS", 995));
        assertThat(w.catalog().get("22623").unitPrice()).isEqualTo(165);
        assertThat(w.catalog().get("22624").unitPrice()).isEqualTo(13);
    }

    @Test
    void maxOrdersKeepsTheFirstOrdersAndOnlyTheirProducts() throws IOException {
        Workload w = OnlineRetailCsv.parse(new StringReader(HEADER + """
                536300,22002,EARLY,1,2010-12-01T10:00:00,1.00,2,UK
                536301,22004,NEXT,1,2010-12-01T11:00:00,2.00,4,UK
                536302,22005,LAST,1,2010-12-01T12:00:00,3.00,4,UK
                536303,22004,NEXT AGAIN,1,2010-12-01T13:00:00,5.00,4,UK
                536304,22004,NEXT AGAIN,1,2010-12-01T14:00:00,5.00,4,UK
                """), "test.csv", 2);
        assertThat(w.orders()).extracting(Workload.Order::idempotencyKey).containsExactly("536300", "536301");
        // prices and names come from the whole file
        assertThat(w.products()).containsExactly(new Workload.Product("22002", "EARLY", 100),
                new Workload.Product("22004", "NEXT AGAIN", 500));
        assertThat(w.description()).contains("first 2 of 5 orders");
    }

    @Test
    void acceptsTheOriginalUciDateFormatAndABom() throws IOException {
        Workload w = OnlineRetailCsv.parse(new StringReader("\uFEFF" + HEADER
                + "536365,85123A,HEART,6,12/1/2010 8:26,2.55,17850,United Kingdom\n"), "uci.csv", Integer.MAX_VALUE);
        assertThat(w.orders()).hasSize(1);
    }

    @Test
    void aFileWithoutTheColumnsIsRefused() {
        assertThatThrownBy(() -> OnlineRetailCsv.parse(new StringReader("a,b,c\n1,2,3\n"), "x.csv", 10))
                .isInstanceOf(IOException.class).hasMessageContaining("InvoiceNo");
        assertThatThrownBy(() -> OnlineRetailCsv.parse(new StringReader(""), "empty.csv", 10))
                .isInstanceOf(IOException.class);
    }

    @Test
    void productCodesNeedADigitAndAreNoKnownFee() {
        assertThat(OnlineRetailCsv.isProductCode("85123A")).isTrue();
        assertThat(OnlineRetailCsv.isProductCode("DCGS0070")).isTrue();
        assertThat(List.of("POST", "DOT", "M", "BANK CHARGES", "C2", "AMAZONFEE", "D", "CRUK", "PADS", "S", "B",
                "gift_0001_20", "c2")).noneMatch(OnlineRetailCsv::isProductCode);
    }

    @Test
    void theRealSampleHasTheDocumentedCounts() throws IOException {
        Optional<Path> sample = SampleData.onlineRetailSample();
        assumeTrue(sample.isPresent(), "Online Retail sample not on this machine");
        Workload w = OnlineRetailCsv.read(sample.get(), Integer.MAX_VALUE);
        Workload.Skipped skipped = w.skipped();
        assertThat(skipped.cancellationInvoices()).isEqualTo(569);
        assertThat(w.orders().size() + skipped.cancellationInvoices() + skipped.invoicesWithoutValidLine())
                .isEqualTo(13_199);
        assertThat(w.orders()).hasSize(12_421);
        assertThat(skipped.lines()).containsEntry(SkipReason.CANCELLATION, 674L)
                .containsEntry(SkipReason.MALFORMED_LINE, 0L);
        assertThat(w.orders().stream().mapToInt(o -> o.lines().size()).sum() + skipped.totalLines())
                .isEqualTo(40_000);
        // 18 of its 24 lines at 11.95, 4 at 9.949999999999999
        assertThat(w.catalog().get("22622").unitPrice()).isEqualTo(1195);
        assertThat(w.orders().getFirst().idempotencyKey()).isEqualTo("536365");
    }
}
