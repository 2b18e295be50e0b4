package io.ordersaga.inventory;

import io.ordersaga.common.json.StockJson;
import io.ordersaga.common.spring.StoreQueries;
import io.ordersaga.events.StockLevel;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Interactive queries of the {@link InventoryTopology#STOCK} store. Each request is answered by the
 * instance that owns the product's partition ({@link StoreQueries#route}), whichever instance receives it.
 */
@RestController
public class StockQueryController {

    private final StoreQueries queries;

    /** @param queries routing and lookup of store keys */
    public StockQueryController(StoreQueries queries) {
        this.queries = queries;
    }

    /**
     * {@code GET /products/{productId}/stock}: the product's stock, in units.
     *
     * @return 200 with a {@link StockJson}; 404 {@code application/problem+json} when the product has no stock
     * record (never adjusted); 503 problem when the owner of the key is unknown or unreachable (rebalancing)
     */
    @GetMapping("/products/{productId}/stock")
    public ResponseEntity<?> stock(@PathVariable String productId, HttpServletRequest request) {
        return queries.route(InventoryTopology.STOCK, productId, request, () -> {
            StockLevel level = queries.get(InventoryTopology.STOCK, productId);
            if (level == null) {
                return ResponseEntity.of(ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                        "Product " + productId + " has no stock record")).build();
            }
            return ResponseEntity.ok(new StockJson(level.getProductId(), level.getAvailable(), level.getReserved(),
                    level.getSold(), level.getAdjusted()));
        });
    }

}
