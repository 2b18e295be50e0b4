package io.ordersaga.api;

import com.nimbusds.jwt.JWTClaimsSet;
import io.ordersaga.localstack.LocalIssuer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.client.match.MockRestRequestMatchers.requestTo;
import static org.springframework.test.web.client.response.MockRestResponseCreators.withSuccess;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;

/**
 * Who may call which route ({@link SecurityConfiguration}, {@link Caller}): every route of order-api against a
 * request without a token, with an expired one, with one signed by another key, and with valid tokens of the owning
 * customer, another customer, no role and an admin. A refused request writes nothing and reads no service; every
 * refusal is {@code application/problem+json}.
 */
class SecurityTest extends ApiControllerTest {

    private static final String ORDER = "{\"orderId\":\"o-1\",\"customerId\":\"c-1\",\"status\":\"PAYING\","
            + "\"lines\":[{\"productId\":\"p-1\",\"quantity\":1}]}";

    /** Another issuer's key: its tokens are well formed, but order-api does not trust them. */
    private static final LocalIssuer FORGER = forger();

    /** The tokens a request may carry. */
    enum Token {
        NONE, EXPIRED, FORGED, OWNER, OTHER_CUSTOMER, NO_ROLE, ADMIN;

        /** The Authorization header, or null for none. */
        String header() {
            return switch (this) {
                case NONE -> null;
                case EXPIRED -> bearer(TestTokens.ISSUER.token("c-1", List.of("customer"), Duration.ofMinutes(-5)));
                case FORGED -> bearer(FORGER.customer("c-1"));
                case OWNER -> TestTokens.customer("c-1");
                case OTHER_CUSTOMER -> TestTokens.customer("c-2");
                case NO_ROLE -> bearer(TestTokens.ISSUER.token("c-1", List.of(), Duration.ofMinutes(5)));
                case ADMIN -> TestTokens.admin();
            };
        }

        private static String bearer(String token) {
            return "Bearer " + token;
        }
    }

    /**
     * One route: its request, and what each valid token gets ({@code "OWNER=202 OTHER_CUSTOMER=403* ..."}: the
     * status, {@code *} when the answer needs the backend's read first, {@code +} when it writes one record).
     *
     * @param backend the base URL and path the route reads, with the body the backend answers; null for none
     */
    record Route(String name, HttpMethod method, String path, String body, String[] backend, String outcomes) {

        Map<Token, String> expected() {
            return Arrays.stream(outcomes.split(" ")).map(o -> o.split("="))
                    .collect(Collectors.toMap(o -> Token.valueOf(o[0]), o -> o[1]));
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static final String LINES = "\"lines\":[{\"productId\":\"p-1\",\"quantity\":1}]";

    static List<Route> routes() {
        String[] order = {ApiTestConfiguration.VIEW, "/orders/o-1", ORDER};
        return List.of(
                new Route("place an order", HttpMethod.POST, "/orders", "{\"customerId\":\"c-1\"," + LINES + "}", null,
                        "OWNER=202+ OTHER_CUSTOMER=403 NO_ROLE=403 ADMIN=202+"),
                new Route("read an order", HttpMethod.GET, "/orders/o-1", null, order,
                        "OWNER=200* OTHER_CUSTOMER=403* NO_ROLE=403 ADMIN=200*"),
                new Route("cancel an order", HttpMethod.POST, "/orders/o-1/cancel", null, order,
                        "OWNER=202*+ OTHER_CUSTOMER=403* NO_ROLE=403 ADMIN=202*+"),
                new Route("list a customer's orders", HttpMethod.GET, "/customers/c-1/orders", null,
                        new String[]{ApiTestConfiguration.VIEW, "/customers/c-1/orders", "[]"},
                        "OWNER=200* OTHER_CUSTOMER=403 NO_ROLE=403 ADMIN=200*"),
                new Route("read a wallet", HttpMethod.GET, "/customers/c-1/wallet", null,
                        new String[]{ApiTestConfiguration.PAYMENTS, "/customers/c-1/wallet", "{}"},
                        "OWNER=200* OTHER_CUSTOMER=403 NO_ROLE=403 ADMIN=200*"),
                new Route("read the catalog", HttpMethod.GET, "/products/p-1", null,
                        new String[]{ApiTestConfiguration.SAGA, "/products/p-1", "{}"},
                        "OWNER=200* OTHER_CUSTOMER=200* NO_ROLE=403 ADMIN=200*"),
                new Route("read stock", HttpMethod.GET, "/products/p-1/stock", null,
                        new String[]{ApiTestConfiguration.INVENTORY, "/products/p-1/stock", "{}"},
                        "OWNER=200* OTHER_CUSTOMER=200* NO_ROLE=403 ADMIN=200*"),
                new Route("put a product", HttpMethod.PUT, "/products/p-1", "{\"name\":\"Mug\",\"unitPrice\":250}", null,
                        "OWNER=403 OTHER_CUSTOMER=403 NO_ROLE=403 ADMIN=202+"),
                new Route("adjust stock", HttpMethod.POST, "/products/p-1/stock-adjustments",
                        "{\"delta\":5,\"reason\":\"count\"}", null, "OWNER=403 OTHER_CUSTOMER=403 NO_ROLE=403 ADMIN=202+"),
                new Route("credit a wallet", HttpMethod.POST, "/customers/c-1/wallet/credits", "{\"amount\":100}", null,
                        "OWNER=403 OTHER_CUSTOMER=403 NO_ROLE=403 ADMIN=202+"),
                new Route("search sagas", HttpMethod.GET, "/admin/sagas?status=PAYING", null,
                        new String[]{ApiTestConfiguration.SAGA, "/sagas?status=PAYING&olderThanMs=0&limit=100", "[]"},
                        "OWNER=403 OTHER_CUSTOMER=403 NO_ROLE=403 ADMIN=200*"),
                new Route("saga figures", HttpMethod.GET, "/admin/sagas/stats", null,
                        new String[]{ApiTestConfiguration.SAGA, "/sagas/stats?windowMs=60000", "{}"},
                        "OWNER=403 OTHER_CUSTOMER=403 NO_ROLE=403 ADMIN=200*"),
                new Route("compensate an order", HttpMethod.POST, "/admin/orders/o-1/compensate", null, order,
                        "OWNER=403 OTHER_CUSTOMER=403 NO_ROLE=403 ADMIN=202*+"),
                new Route("list dead letters", HttpMethod.GET, "/admin/dead-letters?application=nope", null, null,
                        "OWNER=403 OTHER_CUSTOMER=403 NO_ROLE=403 ADMIN=400"));
    }

    static Stream<Arguments> everyRouteAndToken() {
        return routes().stream().flatMap(route -> Arrays.stream(Token.values()).map(token -> Arguments.of(route, token)));
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("everyRouteAndToken")
    void answersEachTokenAsItsRolesAndSubjectAllow(Route route, Token token) throws Exception {
        String outcome = switch (token) {
            case NONE, EXPIRED, FORGED -> "401";
            default -> route.expected().get(token);
        };
        if (outcome.contains("*")) {
            services.server.expect(requestTo(route.backend()[0] + route.backend()[1]))
                    .andRespond(withSuccess(route.backend()[2], MediaType.APPLICATION_JSON));
        }
        MockHttpServletRequestBuilder request = request(route.method(), route.path());
        if (token.header() != null) {
            request.header(HttpHeaders.AUTHORIZATION, token.header());
        } else {
            request.requestAttr(WITHOUT_TOKEN, true);
        }
        if (route.body() != null) {
            request.contentType(MediaType.APPLICATION_JSON).content(route.body());
        }
        MvcResult result = mvc.perform(request).andReturn();

        int status = Integer.parseInt(outcome.replaceAll("[*+]", ""));
        assertThat(result.getResponse().getStatus()).as(result.getResponse().getContentAsString()).isEqualTo(status);
        assertThat(publisher.published).hasSize(outcome.contains("+") ? 1 : 0);
        if (status >= 400) {
            assertThat(result.getResponse().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        }
        if (status == 401) {
            assertThat(result.getResponse().getHeader(HttpHeaders.WWW_AUTHENTICATE)).startsWith("Bearer");
        }
    }

    @Test
    void aCancelNamingAnotherCustomerInItsBodyIsRefusedBeforeAnyRead() throws Exception {
        MvcResult result = mvc.perform(request(HttpMethod.POST, "/orders/o-1/cancel")
                .header(HttpHeaders.AUTHORIZATION, TestTokens.customer("c-1"))
                .contentType(MediaType.APPLICATION_JSON).content("{\"customerId\":\"c-2\"}")).andReturn();

        assertThat(result.getResponse().getStatus()).isEqualTo(403);
        assertThat(publisher.published).isEmpty();
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() throws Exception {
        String otherAudience = TestTokens.ISSUER.sign(new JWTClaimsSet.Builder().issuer(LocalIssuer.ISSUER)
                .audience("another-api").subject("c-1").claim("roles", List.of("customer"))
                .expirationTime(Date.from(Instant.now().plusSeconds(300))).build());
        MvcResult result = mvc.perform(request(HttpMethod.GET, "/products/p-1/stock")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + otherAudience)).andReturn();

        assertThat(result.getResponse().getStatus()).isEqualTo(401);
    }

    private static LocalIssuer forger() {
        try {
            return LocalIssuer.open(Files.createTempDirectory("forger-keys"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
