package io.ordersaga.common.json;

/**
 * The JSON of {@code GET /products/{productId}} (order-saga-streams): a catalog entry as the saga prices orders
 * from it.
 *
 * @param productId the product
 * @param name      display name
 * @param unitPrice price of one unit, pence
 */
public record CatalogEntryJson(String productId, String name, long unitPrice) {
}
