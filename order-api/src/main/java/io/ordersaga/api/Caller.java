package io.ordersaga.api;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.web.server.ResponseStatusException;

/**
 * Who sends a request, from its verified bearer token ({@link SecurityConfiguration}): the token's subject and
 * whether its {@code roles} claim holds {@code admin}. A customer's subject is its customerId; an admin may act for
 * every customer.
 *
 * @param subject  the token's {@code sub}: a customerId for a customer, the operator's name for an admin
 * @param admin    whether the token has the {@code admin} role
 * @param customer whether the token has the {@code customer} role
 */
public record Caller(String subject, boolean admin, boolean customer) {

    /**
     * The caller of an authenticated request.
     *
     * @param authentication the request's authentication, as Spring Security verified it
     */
    public static Caller of(Authentication authentication) {
        var authorities = authentication.getAuthorities().stream().map(GrantedAuthority::getAuthority).toList();
        return new Caller(authentication.getName(), authorities.contains(SecurityConfiguration.ADMIN_AUTHORITY),
                authorities.contains(SecurityConfiguration.CUSTOMER_AUTHORITY));
    }

    /** Whether the caller may act for {@code customerId}: an admin, or that customer itself. */
    public boolean mayActFor(String customerId) {
        return admin || customer && subject.equals(customerId);
    }

    /**
     * Refuses a request for another customer's {@code what}.
     *
     * @param customerId the customer the request acts for
     * @param what       what is asked, in words, for the detail ("orders", "order 70137759-...")
     * @throws ResponseStatusException 403 when the caller is neither an admin nor that customer
     */
    public void requireActFor(String customerId, String what) {
        if (!mayActFor(customerId)) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN,
                    "the token of customer " + subject + " does not allow " + what + " of customer " + customerId);
        }
    }
}
