package io.ordersaga.demo.client;

import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The bearer tokens {@link OrderApi} sends order-api (RFC 6750, {@code Authorization: Bearer <JWT>}): an admin's for
 * the catalog, stock, credits and every read the audit makes, and each customer's own for placing its orders, as
 * order-api's roles ask. Each supplier answers the compact JWT, minted (and cached) by whoever issues them: the
 * local stack's issuer for the demo and the end-to-end tests.
 *
 * @param admin    the admin's token
 * @param customer the token whose subject is the given customerId
 */
public record Credentials(Supplier<String> admin, Function<String, String> customer) {

    /** No token at all: every request goes without an Authorization header (for servers that ask none). */
    public static final Credentials NONE = new Credentials(() -> null, customerId -> null);
}
