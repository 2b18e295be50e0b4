package io.ordersaga.api;

import io.ordersaga.common.Topics;
import io.ordersaga.common.json.WalletJson;
import io.ordersaga.events.CreditWallet;
import io.ordersaga.events.PaymentCommand;
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
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.InputStream;

/**
 * Customers' wallets: credits ({@link Topics#PAYMENT_COMMANDS}, key customerId) and balance reads from
 * payment-streams. Errors are {@code application/problem+json}; every 503 order-api answers carries
 * {@code Retry-After} ({@link ServiceUnavailableException}).
 */
@RestController
public class WalletController {

    /** Largest single credit, in pence (GBP 100,000,000). */
    public static final long MAX_CREDIT = 10_000_000_000L;

    private final EventPublisher publisher;
    private final ServiceInstances payments;
    private final JsonMapper json;

    /**
     * @param publisher writes payment commands
     * @param backends  the payment service's instances
     * @param json      parses request bodies
     */
    public WalletController(EventPublisher publisher, Backends backends, JsonMapper json) {
        this.publisher = publisher;
        this.payments = backends.payments();
        this.json = json;
    }

    /**
     * {@code POST /customers/{customerId}/wallet/credits} {@code {"amount"}}: tops up the wallet by amount pence, as
     * {@link CreditWallet}. Answers 202 {@code {"creditId"}} once it is acknowledged.
     *
     * <p>With an Idempotency-Key header the creditId is {@link IdempotencyKeys#creditId derived} from (customerId,
     * key), so a retry names the same credit, which payment-streams applies once within its deduplication window (a
     * reuse of the key with another amount is that same credit: the first one applied counts); without one, a random
     * id, so each request is a new credit.
     *
     * @throws ResponseStatusException 400 when the customerId, body or key breaks a rule (amount an integer of pence
     *                                 from 1 to {@link #MAX_CREDIT}; the key 1 to 255 non-blank characters), 503 with
     *                                 {@code Retry-After} when the write is not acknowledged (outcome unknown; the
     *                                 detail says to retry with the same key)
     */
    @Operation(summary = "Credit a wallet, in pence (admin)", requestBody = @RequestBody(content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiBodies.CreditBody.class))))
    @ApiResponse(responseCode = "202", description = "accepted (the same Idempotency-Key names the same credit)", content = @Content(mediaType = "application/json", schema = @Schema(implementation = CreditAnswer.class)))
    @ApiResponse(responseCode = "400", description = "a broken body rule or a bad Idempotency-Key")
    @PostMapping(path = "/customers/{customerId}/wallet/credits", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<CreditAnswer> credit(@PathVariable String customerId, InputStream body,
                                               HttpServletRequest request,
                                               @RequestHeader(name = IdempotencyKeys.HEADER, required = false) String idempotencyKey) {
        Requests.id("customerId", customerId);
        JsonNode credit = Requests.jsonObject(body, request.getContentLengthLong(), json);
        long amount = Requests.integerField(credit, "amount", "amount", 1, MAX_CREDIT);
        String key = IdempotencyKeys.check(idempotencyKey);
        String creditId = IdempotencyKeys.creditId(customerId, key);
        publisher.publish(Topics.PAYMENT_COMMANDS, customerId,
                new PaymentCommand(customerId, new CreditWallet(creditId, amount)),
                IdempotencyKeys.retryAdvice(key, "credit"));
        return ResponseEntity.accepted().body(new CreditAnswer(creditId));
    }

    /**
     * {@code GET /customers/{customerId}/wallet}: the wallet from payment-streams, relayed (status, content type,
     * body).
     *
     * @throws ResponseStatusException 400 for an invalid customerId, 503 when no payment instance answers
     */
    @Operation(summary = "A customer's wallet, in pence")
    @ApiResponse(responseCode = "200", description = "the wallet (zeros for a customer never seen)", content = @Content(mediaType = "application/json", schema = @Schema(implementation = WalletJson.class)))
    @ApiResponse(responseCode = "400", description = "an invalid customerId")
    @GetMapping("/customers/{customerId}/wallet")
    public ResponseEntity<byte[]> wallet(@PathVariable String customerId) {
        return payments.get("/customers/{customerId}/wallet", Requests.id("customerId", customerId));
    }

    /** @param creditId the id of the accepted credit */
    public record CreditAnswer(String creditId) {
    }
}
