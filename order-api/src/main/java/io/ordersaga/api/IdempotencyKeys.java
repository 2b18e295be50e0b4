package io.ordersaga.api;

import org.springframework.web.server.ResponseStatusException;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The {@code Idempotency-Key} header of the writes that create something ({@code POST /orders},
 * {@code POST /products/{productId}/stock-adjustments}, {@code POST /customers/{customerId}/wallet/credits}) and the
 * ids derived from it. With a key, the id is a name-based (MD5, version 3) UUID of the key and what it is scoped to,
 * so a retry with the same key names the same order, adjustment or credit, which the service behind applies once;
 * without a key, every request gets a random UUID. Issue 11, finding 5: a 503 may follow a write that landed, so
 * only a keyed request can be retried safely.
 *
 * <p>The names hashed are unambiguous because ids never hold {@code '/'} or {@code '|'} ({@link Requests#id}):
 * an order's is {@code customerId|key} (as since the first release, so existing keys keep their orderId), an
 * adjustment's {@code stock-adjustment/productId|key}, a credit's {@code wallet-credit/customerId|key}.
 */
public final class IdempotencyKeys {

    /** The header's name. */
    public static final String HEADER = "Idempotency-Key";

    /** Longest key, in characters. */
    public static final int MAX_LENGTH = 255;

    private IdempotencyKeys() {
    }

    /**
     * Checks the header's value.
     *
     * @param key the header's value, null when absent
     * @return key (null when absent)
     * @throws ResponseStatusException 400 when the key is blank or longer than {@link #MAX_LENGTH} characters
     */
    public static String check(String key) {
        if (key != null && (key.isBlank() || key.length() > MAX_LENGTH)) {
            throw Requests.badRequest("the " + HEADER + " header must be 1 to " + MAX_LENGTH + " non-blank characters");
        }
        return key;
    }

    /** The orderId: a UUID of {@code customerId|key}, random without a key. */
    public static String orderId(String customerId, String key) {
        return derived(customerId, key);
    }

    /** The adjustmentId of a stock adjustment: a UUID of {@code stock-adjustment/productId|key}, random without a key. */
    public static String adjustmentId(String productId, String key) {
        return derived("stock-adjustment/" + productId, key);
    }

    /** The creditId of a wallet credit: a UUID of {@code wallet-credit/customerId|key}, random without a key. */
    public static String creditId(String customerId, String key) {
        return derived("wallet-credit/" + customerId, key);
    }

    /**
     * What a retry does after a 503, for the problem's detail.
     *
     * @param key  the request's key, null when it had none
     * @param what what the request creates, for example {@code "order"}
     * @return with a key, to retry with the same key; without one, that a retry may create a second one
     */
    public static String retryAdvice(String key, String what) {
        return key != null
                ? "Retry with the same " + HEADER + ": it names the same " + what + ", which is applied once."
                : "This request had no " + HEADER + ", so a retry may create a second " + what
                + "; send a key, the same on every retry.";
    }

    private static String derived(String scope, String key) {
        return key == null ? UUID.randomUUID().toString()
                : UUID.nameUUIDFromBytes((scope + "|" + key).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
