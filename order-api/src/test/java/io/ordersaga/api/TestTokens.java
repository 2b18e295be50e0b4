package io.ordersaga.api;

import io.ordersaga.localstack.LocalIssuer;
import org.springframework.test.context.DynamicPropertyRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/**
 * The bearer tokens of order-api's tests: one local issuer ({@link LocalIssuer}, a key pair in a temporary directory)
 * per test JVM, whose public key the tests' order-api verifies with ({@link #register}).
 */
final class TestTokens {

    /** The issuer order-api trusts in these tests. */
    static final LocalIssuer ISSUER = issuer();

    private TestTokens() {
    }

    /** Points order-api's resource server at {@link #ISSUER}'s public key. */
    static void register(DynamicPropertyRegistry registry) {
        registry.add("spring.security.oauth2.resourceserver.jwt.public-key-location", ISSUER::publicKeyLocation);
    }

    /** {@code Bearer} and {@link LocalIssuer#admin()}. */
    static String admin() {
        return "Bearer " + ISSUER.admin();
    }

    /** {@code Bearer} and {@link LocalIssuer#customer}. */
    static String customer(String customerId) {
        return "Bearer " + ISSUER.customer(customerId);
    }

    private static LocalIssuer issuer() {
        try {
            var dir = Files.createTempDirectory("order-api-keys");
            dir.toFile().deleteOnExit();
            return LocalIssuer.open(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
