package io.ordersaga.api;

import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

/**
 * The request bodies of order-api's writes, as its OpenAPI document describes them. The controllers read each body
 * field by field ({@link Requests}), so that every broken rule gets its own 400 detail; these records say what
 * they accept.
 */
public final class ApiBodies {

    private ApiBodies() {
    }

    /**
     * {@code POST /orders}: product ids and quantities, never prices (the saga prices the order from the catalog).
     *
     * @param customerId who orders: a customer's token must have it as subject
     * @param lines      1 to {@value OrderController#MAX_LINES} lines; lines of one product are added up
     */
    public record PlaceOrderBody(@Schema(example = "17850", maxLength = 64) String customerId,
                                 @Schema(minLength = 1, maxLength = OrderController.MAX_LINES) List<LineBody> lines) {
    }

    /**
     * One line of an order.
     *
     * @param productId the product
     * @param quantity  units, 1 to {@value OrderController#MAX_QUANTITY}
     */
    public record LineBody(@Schema(example = "85123A", maxLength = 64) String productId,
                           @Schema(minimum = "1", maximum = "10000") int quantity) {
    }

    /**
     * {@code POST /orders/{orderId}/cancel}, optional: who asks. A customer's token asks as itself (another
     * customerId is refused); an admin's may name the order's customer.
     *
     * @param customerId the customer asking
     */
    public record CancelBody(@Schema(example = "17850", requiredMode = Schema.RequiredMode.NOT_REQUIRED) String customerId) {
    }

    /**
     * {@code PUT /products/{productId}}: a catalog entry.
     *
     * @param name      display name, 1 to {@value CatalogController#MAX_NAME_LENGTH} characters
     * @param unitPrice price of one unit, pence, 1 to {@value CatalogController#MAX_UNIT_PRICE}
     */
    public record ProductBody(@Schema(example = "WHITE HANGING HEART T-LIGHT HOLDER", maxLength = 200) String name,
                              @Schema(example = "295", minimum = "1", maximum = "10000000000") long unitPrice) {
    }

    /**
     * {@code POST /products/{productId}/stock-adjustments}: units added (a delivery) or written off.
     *
     * @param delta  units, not 0, at most {@value CatalogController#MAX_ADJUSTMENT} either way; a write-off below
     *               zero stock is refused by inventory
     * @param reason free text, at most {@value CatalogController#MAX_REASON_LENGTH} characters
     */
    public record AdjustmentBody(@Schema(example = "120", minimum = "-1000000000", maximum = "1000000000") long delta,
                                 @Schema(example = "delivery", maxLength = 200) String reason) {
    }

    /**
     * {@code POST /customers/{customerId}/wallet/credits}: a top-up.
     *
     * @param amount pence, 1 to {@value WalletController#MAX_CREDIT}
     */
    public record CreditBody(@Schema(example = "50000", minimum = "1") long amount) {
    }
}
