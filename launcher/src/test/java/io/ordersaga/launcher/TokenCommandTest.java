package io.ordersaga.launcher;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import io.ordersaga.localstack.LocalIssuer;
import io.ordersaga.localstack.LocalStack;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./ordersaga token}: one line on standard output, a token of {@code up}'s key pair ({@code .ordersaga/keys/}
 * of the project, made if absent) for the role asked; without a role, a usage error.
 */
class TokenCommandTest {

    @Test
    void printsOneCustomerTokenSignedByTheUpStacksKey() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = Main.commandLine().execute("token", "--customer", "17850");
        } finally {
            System.setOut(out);
        }

        assertThat(exit).isZero();
        List<String> lines = printed.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(1);
        SignedJWT token = SignedJWT.parse(lines.getFirst());
        String pem = Files.readString(LocalStack.keysDir(LocalStack.Config.fixed(false).dataDir()).resolve("jwt-public-key.pem"));
        RSAPublicKey key = (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(
                Base64.getMimeDecoder().decode(pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", ""))));
        assertThat(token.verify(new RSASSAVerifier(key))).isTrue();
        assertThat(token.getJWTClaimsSet().getSubject()).isEqualTo("17850");
        assertThat(token.getJWTClaimsSet().getStringListClaim("roles")).containsExactly("customer");
        assertThat(token.getJWTClaimsSet().getAudience()).containsExactly(LocalIssuer.AUDIENCE);
    }

    @Test
    void withoutARoleIsAUsageError() {
        StringWriter err = new StringWriter();
        var commandLine = Main.commandLine();
        commandLine.setErr(new PrintWriter(err));

        assertThat(commandLine.execute("token")).isEqualTo(2);
        assertThat(err.toString()).contains("one of --admin or --customer is needed");
    }
}
