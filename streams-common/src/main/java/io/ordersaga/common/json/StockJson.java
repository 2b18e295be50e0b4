package io.ordersaga.common.json;

/**
 * The JSON of {@code GET /products/{productId}/stock} (inventory-streams): a product's stock, in units. Invariant:
 * adjusted = available + reserved + sold.
 *
 * @param productId the product
 * @param available units free to reserve
 * @param reserved  units held by open reservations
 * @param sold      units of committed reservations
 * @param adjusted  net sum of accepted stock adjustments
 */
public record StockJson(String productId, long available, long reserved, long sold, long adjusted) {
}
