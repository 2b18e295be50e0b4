package io.ordersaga.api;

import io.ordersaga.common.Topics;
import io.ordersaga.common.json.CatalogEntryJson;
import io.ordersaga.common.json.StockJson;
import io.ordersaga.events.AdjustStock;
import io.ordersaga.events.InventoryCommand;
import io.ordersaga.events.Product;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.InputStream;
import java.time.Instant;

/**
 * The catalog and stock: product updates ({@link Topics#PRODUCTS}, key productId), stock adjustments
 * ({@link Topics#INVENTORY_COMMANDS}, key productId), product reads from order-saga-streams' catalog and stock
 * reads from inventory-streams.
 * Errors are {@code application/problem+json}; every 503 order-api answers carries {@code Retry-After}
 * ({@link ServiceUnavailableException}).
 */
@RestController
public class CatalogController {

    /** Longest product name, in characters. */
    public static final int MAX_NAME_LENGTH = 200;

    /** Highest unit price, in pence (GBP 100,000,000): keeps any order total far from overflowing a long. */
    public static final long MAX_UNIT_PRICE = 10_000_000_000L;

    /** Largest stock adjustment either way, in units. */
    public static final long MAX_ADJUSTMENT = 1_000_000_000L;

    /** Longest adjustment reason, in characters. */
    public static final int MAX_REASON_LENGTH = 200;

    private final EventPublisher publisher;
    private final ServiceInstances inventory;
    private final ServiceInstances saga;
    private final JsonMapper json;

    /**
     * @param publisher writes catalog entries and inventory commands
     * @param backends  the inventory's and the saga's instances
     * @param json      parses request bodies
     */
    public CatalogController(EventPublisher publisher, Backends backends, JsonMapper json) {
        this.publisher = publisher;
        this.inventory = backends.inventory();
        this.saga = backends.saga();
        this.json = json;
    }

    /**
     * {@code PUT /products/{productId}} {@code {"name","unitPrice"}}: creates or replaces a catalog entry (the
     * latest per productId wins; orders already priced keep their price). Answers 202 with the product
     * ({@code {"productId","name","unitPrice","updatedAt"}}) once it is acknowledged.
     *
     * @throws ResponseStatusException 400 when the productId or body breaks a rule (name non-blank, at most 200
     *                                 characters; unitPrice an integer of pence from 1 to {@link #MAX_UNIT_PRICE}),
     *                                 503 with {@code Retry-After} when the write is not acknowledged (outcome
     *                                 unknown; a retry is safe, the latest PUT wins)
     */
    @Operation(summary = "Create or replace a catalog entry (admin)", requestBody = @RequestBody(content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiBodies.ProductBody.class))))
    @ApiResponse(responseCode = "202", description = "accepted: the saga prices orders from it once it has read it", content = @Content(mediaType = "application/json", schema = @Schema(implementation = ProductJson.class)))
    @ApiResponse(responseCode = "400", description = "a broken body rule")
    @PutMapping(path = "/products/{productId}", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<ProductJson> putProduct(@PathVariable String productId, InputStream body,
                                                  HttpServletRequest request) {
        Requests.id("productId", productId);
        JsonNode product = Requests.jsonObject(body, request.getContentLengthLong(), json);
        String name = Requests.textField(product, "name", "name", MAX_NAME_LENGTH);
        long unitPrice = Requests.integerField(product, "unitPrice", "unitPrice", 1, MAX_UNIT_PRICE);
        Product entry = new Product(productId, name, unitPrice, Instant.now());
        publisher.publish(Topics.PRODUCTS, productId, entry, "A retry is safe: the latest PUT of a product wins.");
        return ResponseEntity.accepted().body(new ProductJson(productId, name, unitPrice, entry.getUpdatedAt()));
    }

    /**
     * {@code GET /products/{productId}}: the product as the saga prices orders from it (its catalog, read from
     * {@link Topics#PRODUCTS}), relayed from order-saga-streams: 200 {@code {"productId","name","unitPrice"}}, or 404
     * until the saga has read a product PUT a moment ago.
     *
     * @throws ResponseStatusException 400 for an invalid productId, 503 when no saga instance answers
     */
    @Operation(summary = "A catalog entry as the saga prices from it")
    @ApiResponse(responseCode = "200", description = "the entry", content = @Content(mediaType = "application/json", schema = @Schema(implementation = CatalogEntryJson.class)))
    @ApiResponse(responseCode = "404", description = "not in the catalog (yet)")
    @GetMapping("/products/{productId}")
    public ResponseEntity<byte[]> product(@PathVariable String productId) {
        return saga.get("/products/{productId}", Requests.id("productId", productId));
    }

    /**
     * {@code POST /products/{productId}/stock-adjustments} {@code {"delta","reason"}}: a restock (delta > 0) or a
     * write-off (delta < 0), as {@link AdjustStock}. Answers 202 {@code {"adjustmentId"}} once it is acknowledged;
     * inventory-streams may still refuse a write-off larger than the available stock.
     *
     * <p>With an Idempotency-Key header the adjustmentId is {@link IdempotencyKeys#adjustmentId derived} from
     * (productId, key), so a retry names the same adjustment, which inventory-streams applies once within its
     * deduplication window (a reuse of the key with another body is that same adjustment: the first one applied
     * counts); without one, a random id, so each request is a new adjustment.
     *
     * @throws ResponseStatusException 400 when the productId, body or key breaks a rule (delta a non-zero integer
     *                                 of at most {@link #MAX_ADJUSTMENT} either way; reason non-blank, at most 200
     *                                 characters; the key 1 to 255 non-blank characters), 503 with
     *                                 {@code Retry-After} when the write is not acknowledged (outcome unknown; the
     *                                 detail says to retry with the same key)
     */
    @Operation(summary = "Add or write off stock (admin)", requestBody = @RequestBody(content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiBodies.AdjustmentBody.class))))
    @ApiResponse(responseCode = "202", description = "accepted (the same Idempotency-Key names the same adjustment)", content = @Content(mediaType = "application/json", schema = @Schema(implementation = AdjustmentAnswer.class)))
    @ApiResponse(responseCode = "400", description = "a broken body rule or a bad Idempotency-Key")
    @PostMapping(path = "/products/{productId}/stock-adjustments", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<AdjustmentAnswer> adjustStock(@PathVariable String productId, InputStream body,
                                                        HttpServletRequest request,
                                                        @RequestHeader(name = IdempotencyKeys.HEADER, required = false) String idempotencyKey) {
        Requests.id("productId", productId);
        JsonNode adjustment = Requests.jsonObject(body, request.getContentLengthLong(), json);
        long delta = Requests.integerField(adjustment, "delta", "delta", -MAX_ADJUSTMENT, MAX_ADJUSTMENT);
        if (delta == 0) {
            throw Requests.badRequest("delta must not be 0");
        }
        String reason = Requests.textField(adjustment, "reason", "reason", MAX_REASON_LENGTH);
        String key = IdempotencyKeys.check(idempotencyKey);
        String adjustmentId = IdempotencyKeys.adjustmentId(productId, key);
        publisher.publish(Topics.INVENTORY_COMMANDS, productId,
                new InventoryCommand(productId, new AdjustStock(adjustmentId, delta, reason)),
                IdempotencyKeys.retryAdvice(key, "stock adjustment"));
        return ResponseEntity.accepted().body(new AdjustmentAnswer(adjustmentId));
    }

    /**
     * {@code GET /products/{productId}/stock}: the product's stock from inventory-streams, relayed (status, content
     * type, body).
     *
     * @throws ResponseStatusException 400 for an invalid productId, 503 when no inventory instance answers
     */
    @Operation(summary = "A product's stock, in units")
    @ApiResponse(responseCode = "200", description = "the stock", content = @Content(mediaType = "application/json", schema = @Schema(implementation = StockJson.class)))
    @ApiResponse(responseCode = "404", description = "never stocked")
    @GetMapping("/products/{productId}/stock")
    public ResponseEntity<byte[]> stock(@PathVariable String productId) {
        return inventory.get("/products/{productId}/stock", Requests.id("productId", productId));
    }

    /**
     * A catalog entry as accepted.
     *
     * @param productId the product
     * @param name      its display name
     * @param unitPrice price of one unit, in pence
     * @param updatedAt when order-api accepted the change
     */
    public record ProductJson(String productId, String name, long unitPrice, Instant updatedAt) {
    }

    /** @param adjustmentId the id of the accepted stock adjustment */
    public record AdjustmentAnswer(String adjustmentId) {
    }
}
