package io.ordersaga.saga;

import io.ordersaga.common.json.CatalogEntryJson;
import io.ordersaga.common.spring.StoreQueries;
import io.ordersaga.events.Product;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Interactive query of the saga's catalog, the global store {@link OrderSagaTopology#CATALOG}: the
 * catalog exactly as the saga prices orders from it. A global store is complete on every instance, so
 * any instance answers without forwarding.
 */
@RestController
public class CatalogQueryController {

    private final StoreQueries queries;

    /** @param queries store lookup */
    public CatalogQueryController(StoreQueries queries) {
        this.queries = queries;
    }

    /**
     * {@code GET /products/{productId}}.
     *
     * @return 200 {@link CatalogEntryJson}; 404 {@code application/problem+json} when the catalog has no such product
     * (yet: a product PUT a moment ago appears once the saga's global store thread has read it); 503 problem while
     * the store is not queryable
     */
    @GetMapping("/products/{productId}")
    public ResponseEntity<?> product(@PathVariable String productId) {
        Product product = queries.get(OrderSagaTopology.CATALOG, productId);
        if (product == null) {
            return ResponseEntity.of(ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                    "Product " + productId + " is not in the catalog")).build();
        }
        return ResponseEntity.ok(new CatalogEntryJson(product.getProductId(), product.getName(), product.getUnitPrice()));
    }

}
