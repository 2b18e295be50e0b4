package io.ordersaga.payment;

import io.ordersaga.common.json.WalletJson;
import io.ordersaga.common.spring.StoreQueries;
import io.ordersaga.events.Wallet;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Interactive queries of the {@link PaymentTopology#WALLETS} store. Each request is answered by the
 * instance that owns the customer's partition ({@link StoreQueries#route}), whichever instance receives it.
 */
@RestController
public class WalletQueryController {

    private final StoreQueries queries;

    /** @param queries routing and lookup of store keys */
    public WalletQueryController(StoreQueries queries) {
        this.queries = queries;
    }

    /**
     * {@code GET /customers/{customerId}/wallet}: the customer's wallet, in pence.
     *
     * @return 200 with a {@link WalletJson}, all zeros for a customer never seen; 503 problem when the owner of
     * the key is unknown or unreachable (rebalancing)
     */
    @GetMapping("/customers/{customerId}/wallet")
    public ResponseEntity<?> wallet(@PathVariable String customerId, HttpServletRequest request) {
        return queries.route(PaymentTopology.WALLETS, customerId, request, () -> {
            Wallet wallet = queries.get(PaymentTopology.WALLETS, customerId);
            return ResponseEntity.ok(wallet == null ? new WalletJson(customerId, 0, 0, 0, 0)
                    : new WalletJson(customerId, wallet.getBalance(), wallet.getCredited(), wallet.getCharged(),
                    wallet.getRefunded()));
        });
    }

}
