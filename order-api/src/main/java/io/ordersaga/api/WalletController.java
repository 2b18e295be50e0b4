package io.ordersaga.api;

import io.ordersaga.common.Topics;
import io.ordersaga.events.CreditWallet;
import io.ordersaga.events.PaymentCommand;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.InputStream;
import java.util.UUID;

/**
 * Customers' wallets: credits ({@link Topics#PAYMENT_COMMANDS}, key customerId) and balance reads from
 * payment-streams. Errors are {@code application/problem+json}.
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
     * {@link CreditWallet} with a new creditId. Answers 202 {@code {"creditId"}} once it is acknowledged.
     *
     * @throws ResponseStatusException 400 when the customerId or body breaks a rule (amount an integer of pence from
     *                                 1 to {@link #MAX_CREDIT}), 503 when the write is not acknowledged
     */
    @PostMapping(path = "/customers/{customerId}/wallet/credits", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<CreditAnswer> credit(@PathVariable String customerId, InputStream body,
                                               HttpServletRequest request) {
        Requests.id("customerId", customerId);
        JsonNode credit = Requests.jsonObject(body, request.getContentLengthLong(), json);
        long amount = Requests.integerField(credit, "amount", "amount", 1, MAX_CREDIT);
        String creditId = UUID.randomUUID().toString();
        publisher.publish(Topics.PAYMENT_COMMANDS, customerId,
                new PaymentCommand(customerId, new CreditWallet(creditId, amount)));
        return ResponseEntity.accepted().body(new CreditAnswer(creditId));
    }

    /**
     * {@code GET /customers/{customerId}/wallet}: the wallet from payment-streams, relayed (status, content type,
     * body).
     *
     * @throws ResponseStatusException 400 for an invalid customerId, 503 when no payment instance answers
     */
    @GetMapping("/customers/{customerId}/wallet")
    public ResponseEntity<byte[]> wallet(@PathVariable String customerId) {
        Requests.id("customerId", customerId);
        return payments.get("/customers/{customerId}/wallet", customerId);
    }

    /** @param creditId the id of the accepted credit */
    public record CreditAnswer(String creditId) {
    }
}
