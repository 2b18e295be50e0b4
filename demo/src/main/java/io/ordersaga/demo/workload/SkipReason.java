package io.ordersaga.demo.workload;

/**
 * Why a line of the Online Retail CSV is not replayed. A line gets the first reason that applies, in this order
 * (so a cancellation line with a negative quantity counts once, as {@link #CANCELLATION}).
 */
public enum SkipReason {
    /**
     * A record that is not well-formed CSV (a quote never closed, or followed by anything but a comma or the end of
     * the line; the reading goes on with the next line), a wrong number of fields, blank InvoiceNo, unparsable number or date, a CustomerID that is
     * not a whole number, or what order-api would refuse: a StockCode or customer id over 64 characters or holding
     * {@code /} or {@code |}, a Description over 200 characters.
     */
    MALFORMED_LINE,
    /** A line of a cancellation invoice (InvoiceNo starting with {@code C}). */
    CANCELLATION,
    /**
     * Not a product but a fee, a charge or a manual entry: a StockCode without any digit (POST, DOT, M, D, S, B,
     * BANK CHARGES, AMAZONFEE, CRUK, PADS, ...) or a known fee code with digits (C2 carriage, gift_0001_* vouchers).
     */
    NON_PRODUCT_CODE,
    /** Quantity {@code <= 0} outside a cancellation invoice (stock corrections). */
    NON_POSITIVE_QUANTITY,
    /** Unit price {@code <= 0} pence once rounded half up to whole pence (0.001 GBP rounds to 0). */
    NON_POSITIVE_PRICE,
    /** Blank Description: the catalog needs a name. */
    BLANK_DESCRIPTION
}
