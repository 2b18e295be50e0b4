package io.ordersaga.demo.workload;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.MappingIterator;
import tools.jackson.databind.ObjectReader;
import tools.jackson.dataformat.csv.CsvMapper;
import tools.jackson.dataformat.csv.CsvReadFeature;

/**
 * Reads the UCI "Online Retail" CSV (columns InvoiceNo, StockCode, Description, Quantity, InvoiceDate, UnitPrice,
 * CustomerID, Country, in any order, header required) into a {@link Workload}.
 *
 * <p>Rules, each counted in {@link Workload.Skipped} and never a crash:
 * <ul>
 *   <li>The file is RFC 4180 CSV, read by jackson-dataformat-csv: a quoted field may hold commas, {@code ""}
 *       (a quote) and line breaks, so one line of the catalog may span several lines of the file.</li>
 *   <li>A line the catalog cannot take is skipped with the first {@link SkipReason} that applies.</li>
 *   <li>An invoice is one order made of its valid lines; its Idempotency-Key is the InvoiceNo. Invoices are
 *       replayed in InvoiceDate order (the earliest line's date), ties by InvoiceNo. Cancellation invoices and
 *       invoices without a valid line are counted and not replayed.</li>
 *   <li>CustomerID is the customer; a blank CustomerID (a guest checkout) becomes {@code guest-<InvoiceNo>}, one
 *       customer per guest invoice. A CustomerID written as a decimal ({@code 17850.0}) is read as {@code 17850}.</li>
 *   <li>Catalog: StockCode is the product id (case kept). Its price is the most frequent unit price among its
 *       valid lines, in pence rounded half up ({@code 9.949999999999999} is 995 pence), ties to the lower price;
 *       its name is the most frequent trimmed Description, ties to the alphabetically first. Prices and names are
 *       taken from every valid line of the file, also when only the first orders are replayed.</li>
 * </ul>
 * InvoiceDate is ISO local date-time ({@code 2010-12-01T08:26:00}, this project's sample) or the original UCI
 * export's {@code M/d/yyyy H:mm}.
 */
public final class OnlineRetailCsv {

    private static final List<String> COLUMNS =
            List.of("InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID");

    /** StockCodes with digits that are fees or vouchers, not stock (compared case-insensitively). */
    private static final Set<String> FEE_CODES = Set.of("C2");
    private static final String VOUCHER_PREFIX = "gift_";

    /** order-api's rules: ids of at most 64 characters without '/' or '|', names of at most 200 characters. */
    private static final int MAX_ID_LENGTH = 64;
    private static final int MAX_NAME_LENGTH = 200;

    private static final DateTimeFormatter UCI_DATE = DateTimeFormatter.ofPattern("M/d/yyyy H:mm");

    private OnlineRetailCsv() {
    }

    /**
     * Reads a CSV file (UTF-8).
     *
     * @param file      the CSV
     * @param maxOrders replay only the first {@code maxOrders} orders (invoices with a valid line, in replay
     *                  order); {@link Integer#MAX_VALUE} for all
     * @return the workload; skip counts always cover the whole file
     * @throws IOException when the file cannot be read or its header lacks a required column
     */
    public static Workload read(Path file, int maxOrders) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(reader, file.getFileName().toString(), maxOrders);
        }
    }

    /**
     * Parses CSV text.
     *
     * @param reader    the CSV, header line first
     * @param name      the source's name, for {@link Workload#description()}
     * @param maxOrders as in {@link #read(Path, int)}
     * @return the workload
     * @throws IOException when reading fails or the header lacks a required column
     */
    static Workload parse(Reader reader, String name, int maxOrders) throws IOException {
        StringWriter text = new StringWriter();
        reader.transferTo(text);
        Records records = new Records(text.toString());
        List<String> headerFields = records.next();
        if (headerFields == null) {
            throw new IOException(name + ": empty file, expected an Online Retail CSV header");
        }
        if (!headerFields.isEmpty()) {
            headerFields.set(0, stripBom(headerFields.getFirst()));
        }
        Map<String, Integer> column = new HashMap<>();
        for (String wanted : COLUMNS) {
            int index = headerFields.indexOf(wanted);
            if (index < 0) {
                throw new IOException(name + ": not an Online Retail CSV, header lacks column " + wanted);
            }
            column.put(wanted, index);
        }
        Reading reading = new Reading(column, headerFields.size());
        records.expectFields(headerFields.size());
        for (List<String> record = records.next(); record != null; record = records.next()) {
            if (!(record.size() == 1 && record.getFirst().isBlank())) {
                reading.accept(record);
            }
        }
        return reading.workload(name, maxOrders);
    }

    /** One valid line, as read. */
    private record ValidLine(String invoiceNo, String stockCode, String description, int quantity,
                             LocalDateTime date, long unitPrice, String customerId) {
    }

    /** The state of one pass over the file. */
    private static final class Reading {
        private final Map<String, Integer> column;
        private final int fieldCount;
        private final Map<SkipReason, Long> skipped = new EnumMap<>(SkipReason.class);
        private final Set<String> cancellationInvoices = new HashSet<>();
        private final Set<String> otherInvoices = new HashSet<>();
        private final Map<String, List<ValidLine>> invoices = new LinkedHashMap<>();
        private final Map<String, Map<Long, Integer>> prices = new HashMap<>();
        private final Map<String, Map<String, Integer>> names = new HashMap<>();

        Reading(Map<String, Integer> column, int fieldCount) {
            this.column = column;
            this.fieldCount = fieldCount;
            for (SkipReason reason : SkipReason.values()) {
                skipped.put(reason, 0L);
            }
        }

        void accept(List<String> f) {
            if (f == Records.MALFORMED || f.size() != fieldCount) {
                skip(SkipReason.MALFORMED_LINE);
                return;
            }
            String invoiceNo = f.get(column.get("InvoiceNo")).strip();
            String stockCode = f.get(column.get("StockCode")).strip();
            String description = f.get(column.get("Description")).strip();
            int quantity;
            LocalDateTime date;
            BigDecimal price;
            try {
                quantity = Integer.parseInt(f.get(column.get("Quantity")).strip());
                date = date(f.get(column.get("InvoiceDate")).strip());
                price = new BigDecimal(f.get(column.get("UnitPrice")).strip());
            } catch (NumberFormatException | DateTimeParseException e) {
                skip(SkipReason.MALFORMED_LINE);
                return;
            }
            String customer = customerId(f.get(column.get("CustomerID")).strip(), invoiceNo);
            if (invoiceNo.isEmpty() || !isApiId(stockCode) || customer == null || !isApiId(customer)
                    || description.length() > MAX_NAME_LENGTH) {
                skip(SkipReason.MALFORMED_LINE);
                return;
            }
            if (invoiceNo.startsWith("C")) {
                cancellationInvoices.add(invoiceNo);
                skip(SkipReason.CANCELLATION);
                return;
            }
            otherInvoices.add(invoiceNo);
            long pence = price.movePointRight(2).setScale(0, RoundingMode.HALF_UP).longValue();
            if (!isProductCode(stockCode)) {
                skip(SkipReason.NON_PRODUCT_CODE);
            } else if (quantity <= 0) {
                skip(SkipReason.NON_POSITIVE_QUANTITY);
            } else if (pence <= 0) {
                skip(SkipReason.NON_POSITIVE_PRICE);
            } else if (description.isEmpty()) {
                skip(SkipReason.BLANK_DESCRIPTION);
            } else {
                invoices.computeIfAbsent(invoiceNo, k -> new ArrayList<>())
                        .add(new ValidLine(invoiceNo, stockCode, description, quantity, date, pence, customer));
                prices.computeIfAbsent(stockCode, k -> new HashMap<>()).merge(pence, 1, Integer::sum);
                names.computeIfAbsent(stockCode, k -> new HashMap<>()).merge(description, 1, Integer::sum);
            }
        }

        private void skip(SkipReason reason) {
            skipped.merge(reason, 1L, Long::sum);
        }

        Workload workload(String name, int maxOrders) {
            record Dated(LocalDateTime date, Workload.Order order) {
            }
            List<Dated> dated = new ArrayList<>(invoices.size());
            for (List<ValidLine> lines : invoices.values()) {
                ValidLine first = lines.getFirst();
                LocalDateTime date = lines.stream().map(ValidLine::date).min(Comparator.naturalOrder()).orElseThrow();
                List<Workload.Line> orderLines = lines.stream()
                        .map(l -> new Workload.Line(l.stockCode(), l.quantity())).toList();
                dated.add(new Dated(date, new Workload.Order(first.invoiceNo(), first.customerId(), orderLines)));
            }
            dated.sort(Comparator.comparing(Dated::date).thenComparing(d -> d.order().idempotencyKey()));
            List<Workload.Order> orders = dated.stream().limit(maxOrders).map(Dated::order).toList();

            Map<String, Workload.Product> catalog = new LinkedHashMap<>();
            for (Workload.Order order : orders) {
                for (Workload.Line line : order.lines()) {
                    catalog.computeIfAbsent(line.productId(), id -> new Workload.Product(id,
                            mostFrequent(names.get(id), Comparator.<String>naturalOrder()),
                            mostFrequent(prices.get(id), Comparator.<Long>naturalOrder())));
                }
            }
            String description = "Online Retail CSV " + name + " (" + (orders.size() < dated.size()
                    ? "first " + orders.size() + " of " + dated.size() + " orders"
                    : orders.size() + " orders") + ")";
            Workload.Skipped skips = new Workload.Skipped(skipped, cancellationInvoices.size(),
                    otherInvoices.size() - invoices.size());
            return new Workload(description, List.copyOf(catalog.values()), orders, skips);
        }
    }

    /** The most frequent key; ties go to the key first in {@code order}. */
    private static <K> K mostFrequent(Map<K, Integer> counts, Comparator<K> order) {
        return counts.entrySet().stream()
                .min(Map.Entry.<K, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey(order)))
                .orElseThrow().getKey();
    }

    /**
     * Whether a StockCode is a product: it holds a digit and is no known fee or voucher code.
     *
     * @param stockCode trimmed StockCode
     * @return false for fees, charges and manual entries
     */
    static boolean isProductCode(String stockCode) {
        return stockCode.chars().anyMatch(Character::isDigit)
                && !FEE_CODES.contains(stockCode.toUpperCase())
                && !stockCode.regionMatches(true, 0, VOUCHER_PREFIX, 0, VOUCHER_PREFIX.length());
    }

    /** Whether order-api takes the text as a productId or customerId. */
    private static boolean isApiId(String id) {
        return !id.isBlank() && id.length() <= MAX_ID_LENGTH && id.indexOf('/') < 0 && id.indexOf('|') < 0;
    }

    /** The customer id, {@code guest-<InvoiceNo>} when blank, or null when not a whole number. */
    private static String customerId(String raw, String invoiceNo) {
        if (raw.isEmpty()) {
            return "guest-" + invoiceNo;
        }
        try {
            return new BigDecimal(raw).toBigIntegerExact().toString();
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }

    private static LocalDateTime date(String text) {
        return text.indexOf('/') >= 0 ? LocalDateTime.parse(text, UCI_DATE) : LocalDateTime.parse(text);
    }

    private static String stripBom(String line) {
        return line.startsWith("\uFEFF") ? line.substring(1) : line;
    }

    /**
     * The fields of the first record of a CSV text.
     *
     * @param text one record (RFC 4180: fields may be quoted, {@code ""} is a quote inside a quoted field, a quoted
     *             field may hold a line break)
     * @return the fields, or null when a quoted field is not closed or is followed by anything but a comma or the
     *         end of the line
     */
    static List<String> fields(String text) {
        List<String> record = new Records(text).next();
        return record == Records.MALFORMED ? null : record;
    }

    /**
     * The records of a CSV text, read by jackson-dataformat-csv (RFC 4180, a quoted field may span lines). A record
     * that is not well-formed CSV (a quote not closed or followed by anything but a comma or a line break; or, once
     * {@link #expectFields} is set, a record over several lines with another number of fields, as an unclosed quote
     * gives that runs on to a later quote) is returned as {@link #MALFORMED}, and reading resumes on the line after
     * its first one, so one bad line costs that line only.
     */
    private static final class Records {
        /** The record returned for one that is not well-formed CSV. */
        static final List<String> MALFORMED = Collections.unmodifiableList(new ArrayList<>());

        private static final ObjectReader ROWS = CsvMapper.builder().enable(CsvReadFeature.WRAP_AS_ARRAY).build()
                .readerFor(String[].class);

        private final String text;
        private int fields = -1;
        /** Offset in {@link #text} and line number (from 1) where {@link #rows} started. */
        private int startOffset;
        private int startLine = 1;
        private MappingIterator<String[]> rows;

        Records(String text) {
            this.text = text;
            this.rows = rowsFrom(0);
        }

        /** From now on, a record spanning several lines must hold {@code n} fields to be well-formed. */
        void expectFields(int n) {
            fields = n;
        }

        /** The next record (a mutable list), {@link #MALFORMED}, or null at the end of the text. */
        List<String> next() {
            int firstLine = line();
            try {
                if (!rows.hasNextValue()) {
                    return null;
                }
                String[] record = rows.nextValue();
                if (fields < 0 || record.length == fields || line() <= firstLine + 1) {
                    return new ArrayList<>(Arrays.asList(record));
                }
            } catch (JacksonException e) {
                // not CSV from firstLine on: resume below
            }
            resumeAt(firstLine + 1);
            return MALFORMED;
        }

        /** The line (from 1) where {@link #rows} stands. */
        private int line() {
            return startLine + rows.currentLocation().getLineNr() - 1;
        }

        /** Restarts reading at the start of line {@code line} (from 1); lines end at CR LF, LF or CR, as Jackson's. */
        private void resumeAt(int line) {
            int offset = startOffset;
            for (int at = startLine; at < line && offset < text.length(); at++) {
                while (offset < text.length() && text.charAt(offset) != '\n' && text.charAt(offset) != '\r') {
                    offset++;
                }
                if (offset < text.length() && text.charAt(offset++) == '\r'
                        && offset < text.length() && text.charAt(offset) == '\n') {
                    offset++;
                }
            }
            startOffset = offset;
            startLine = line;
            rows = rowsFrom(offset);
        }

        private MappingIterator<String[]> rowsFrom(int offset) {
            StringReader reader = new StringReader(text);
            try {
                reader.skip(offset);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot happen: a StringReader skips in memory", e);
            }
            return ROWS.readValues(reader);
        }
    }
}
