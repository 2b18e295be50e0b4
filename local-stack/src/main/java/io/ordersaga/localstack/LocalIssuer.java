package io.ordersaga.localstack;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The local stack's identity provider: an RSA key pair (2048 bits) kept in a directory ({@code .ordersaga/keys/} for
 * {@code ./ordersaga up}; {@code --fresh} renews it), which signs the bearer JWTs order-api accepts (RS256, RFC 7519).
 * order-api reads the public half ({@link #publicKeyLocation()}, Spring Boot's
 * {@code spring.security.oauth2.resourceserver.jwt.public-key-location}); production configures an issuer's JWK
 * set instead and never sees this class.
 *
 * <p>A token carries {@code iss} {@value #ISSUER}, {@code aud} {@value #AUDIENCE}, {@code sub}, {@code roles}
 * ({@code ["admin"]} or {@code ["customer"]}, order-api's roles), {@code iat} and {@code exp}. {@link #admin()} and
 * {@link #customer} hand out one token per subject, valid {@link #TOKEN_TTL}, minted once (an RSA signature costs
 * about a millisecond of CPU; the demo's clients hold about 4,500 customers' tokens).
 */
public final class LocalIssuer {

    /** The tokens' {@code iss}. */
    public static final String ISSUER = "ordersaga-local";

    /** The tokens' {@code aud}: order-api accepts only tokens for it. */
    public static final String AUDIENCE = "order-api";

    /** How long {@link #admin()} and {@link #customer} tokens are valid: 12 hours. */
    public static final Duration TOKEN_TTL = Duration.ofHours(12);

    /** The subject of {@link #admin()} tokens. */
    public static final String ADMIN_SUBJECT = "admin";

    private static final String PRIVATE_KEY = "jwt-signing-key.pem";
    private static final String PUBLIC_KEY = "jwt-public-key.pem";

    private final Path publicKey;
    private final RSASSASigner signer;
    private final Map<String, String> minted = new ConcurrentHashMap<>();

    private LocalIssuer(Path publicKey, PrivateKey privateKey) {
        this.publicKey = publicKey;
        this.signer = new RSASSASigner(privateKey);
    }

    /**
     * The issuer of the key pair in {@code dir}, created there first when absent (the private key readable by its
     * owner only, where the file system allows).
     *
     * @param dir the key directory
     * @throws UncheckedIOException when the directory cannot be read or written
     * @throws IllegalStateException when a key file there is not a key
     */
    public static LocalIssuer open(Path dir) {
        Path privateKey = dir.resolve(PRIVATE_KEY);
        Path publicKey = dir.resolve(PUBLIC_KEY);
        try {
            if (!Files.exists(privateKey) || !Files.exists(publicKey)) {
                create(dir, privateKey, publicKey);
            }
            byte[] der = Base64.getMimeDecoder().decode(Files.readString(privateKey)
                    .replaceAll("-----(BEGIN|END) PRIVATE KEY-----", ""));
            return new LocalIssuer(publicKey, KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the signing key in " + dir, e);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException(privateKey + " is not a PKCS#8 RSA private key: delete " + dir
                    + " to make a new key pair", e);
        }
    }

    private static void create(Path dir, Path privateKey, Path publicKey) throws IOException, GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        Files.createDirectories(dir);
        Path privateTmp = Files.createTempFile(dir, PRIVATE_KEY, ".tmp");
        try {
            Files.setPosixFilePermissions(privateTmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: the directory's own protection applies.
        }
        Files.writeString(privateTmp, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        Files.writeString(publicKey, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
        Files.move(privateTmp, privateKey, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** The public key, as Spring's resource location ({@code file:...}) order-api reads it from. */
    public String publicKeyLocation() {
        return publicKey.toUri().toString();
    }

    /** A token of the {@code admin} role, subject {@value #ADMIN_SUBJECT}, valid {@link #TOKEN_TTL} from its first use. */
    public String admin() {
        return minted.computeIfAbsent("admin|" + ADMIN_SUBJECT, key -> token(ADMIN_SUBJECT, List.of("admin"), TOKEN_TTL));
    }

    /**
     * A token of the {@code customer} role for {@code customerId} (its subject), valid {@link #TOKEN_TTL} from its
     * first use.
     */
    public String customer(String customerId) {
        return minted.computeIfAbsent("customer|" + customerId, key -> token(customerId, List.of("customer"), TOKEN_TTL));
    }

    /**
     * A freshly signed token, for tests that need an unusual one (an expired token: a {@code ttl} below minus one
     * minute, as Spring Security allows 60 s of clock skew).
     *
     * @param subject its {@code sub}
     * @param roles   its {@code roles}
     * @param ttl     its lifetime from now ({@code exp - iat})
     * @return the compact JWS
     */
    public String token(String subject, List<String> roles, Duration ttl) {
        Instant now = Instant.now();
        Instant expires = now.plus(ttl);
        Instant issued = expires.isAfter(now) ? now : expires.minus(Duration.ofMinutes(1));
        return sign(new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).subject(subject)
                .claim("roles", roles).issueTime(Date.from(issued)).expirationTime(Date.from(expires)).build());
    }

    /**
     * {@code claims} signed with this issuer's key (RS256), for tests of claims {@link #token} does not make.
     *
     * @return the compact JWS
     */
    public String sign(JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
        return jwt.serialize();
    }
}
