package io.ordersaga.api;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who may call which route of order-api. Every request but health, metrics, the API description and the operations
 * page ({@link OpsPage}: no data of its own; each call it makes carries the admin token it asks for) needs a bearer
 * JWT (Spring Security's OAuth2 resource server; RFC 6750): signed with RS256 by the configured key
 * ({@code spring.security.oauth2.resourceserver.jwt.public-key-location}, the local stack's key from
 * {@code ./ordersaga up}; in production an issuer's {@code jwk-set-uri} or {@code issuer-uri}), not expired, for the
 * audience {@code order-api}. Its {@code roles} claim gives the roles ({@code order-api.properties}):
 * <ul>
 *   <li>{@code admin}: the catalog ({@code PUT /products/{id}}), stock adjustments, wallet credits and every
 *       {@code /admin/**} route; also every customer route, for any customer;</li>
 *   <li>{@code customer}, with subject = customerId: orders placed, read and cancelled as itself only (checked by the
 *       controllers against the body or the order, {@link Caller}), its own order listing and wallet (checked here,
 *       from the path), and reads of the catalog and stock.</li>
 * </ul>
 * Answers 401 without a valid token (with RFC 6750's {@code WWW-Authenticate}) and 403 for the wrong role or
 * subject, both {@code application/problem+json} as every other error of order-api.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    /** The authority of the {@code admin} role: {@code ROLE_} and the role's name in the token. */
    public static final String ADMIN_AUTHORITY = "ROLE_admin";

    /** The authority of the {@code customer} role. */
    public static final String CUSTOMER_AUTHORITY = "ROLE_customer";

    private static final String ADMIN = "admin";
    private static final String CUSTOMER = "customer";

    /**
     * The filter chain: stateless (no session, no CSRF token, no saved request, no logout, as a bearer-token API
     * needs none of them), the rules above.
     *
     * @param http     Spring Security's builder
     * @param decoders the token decoder Spring Boot builds from {@code spring.security.oauth2.resourceserver.jwt.*}
     * @param json     writes the problem bodies
     * @throws IllegalStateException when no key to verify tokens with is configured
     */
    @Bean
    public SecurityFilterChain securityFilterChain(HttpSecurity http, ObjectProvider<JwtDecoder> decoders, JsonMapper json) {
        JwtDecoder decoder = decoders.getIfAvailable(() -> {
            throw new IllegalStateException("order-api needs the key its bearer tokens are signed with: set "
                    + "spring.security.oauth2.resourceserver.jwt.public-key-location (a PEM RSA public key), jwk-set-uri "
                    + "or issuer-uri");
        });
        AuthenticationEntryPoint unauthorized = new ProblemEntryPoint(json);
        AccessDeniedHandler forbidden = new ProblemAccessDenied(json);
        return http
                .csrf(csrf -> csrf.disable())
                .logout(logout -> logout.disable())
                .requestCache(cache -> cache.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(requests -> requests
                        .dispatcherTypeMatchers(DispatcherType.ERROR).permitAll()
                        .requestMatchers("/error", "/actuator/health", "/actuator/health/**", "/actuator/prometheus",
                                "/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**", OpsPage.PATH, "/ops.html")
                        .permitAll()
                        .requestMatchers("/admin/**").hasRole(ADMIN)
                        .requestMatchers(HttpMethod.PUT, "/products/*").hasRole(ADMIN)
                        .requestMatchers(HttpMethod.POST, "/products/*/stock-adjustments").hasRole(ADMIN)
                        .requestMatchers(HttpMethod.POST, "/customers/*/wallet/credits").hasRole(ADMIN)
                        .requestMatchers(HttpMethod.GET, "/customers/{customerId}/**").access(adminOrThatCustomer())
                        .anyRequest().hasAnyRole(ADMIN, CUSTOMER))
                .oauth2ResourceServer(server -> server.jwt(jwt -> jwt.decoder(decoder))
                        .authenticationEntryPoint(unauthorized).accessDeniedHandler(forbidden))
                .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(unauthorized)
                        .accessDeniedHandler(forbidden))
                .build();
    }

    /** An admin, or the customer the path's {@code {customerId}} names. */
    private static AuthorizationManager<RequestAuthorizationContext> adminOrThatCustomer() {
        return (authentication, context) -> new AuthorizationDecision(
                Caller.of(authentication.get()).mayActFor(context.getVariables().get("customerId")));
    }

    /** The problem body of a refused request: RFC 9457's members, as Spring MVC writes every other error. */
    private static void writeProblem(JsonMapper json, HttpServletRequest request, HttpServletResponse response,
                                     HttpStatus status, String detail) throws IOException {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", status.getReasonPhrase());
        problem.put("status", status.value());
        problem.put("detail", detail);
        problem.put("instance", request.getRequestURI());
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), problem);
    }

    /** 401: RFC 6750's {@code WWW-Authenticate} (from Spring Security's entry point) and a problem body. */
    private record ProblemEntryPoint(JsonMapper json, BearerTokenAuthenticationEntryPoint bearer)
            implements AuthenticationEntryPoint {

        ProblemEntryPoint(JsonMapper json) {
            this(json, new BearerTokenAuthenticationEntryPoint());
        }

        @Override
        public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
                throws IOException {
            bearer.commence(request, response, e);
            writeProblem(json, request, response, HttpStatus.UNAUTHORIZED,
                    request.getHeader("Authorization") == null
                            ? "a bearer token is required (Authorization: Bearer <JWT>)"
                            : "the bearer token is not valid: " + e.getMessage());
        }
    }

    /** 403: RFC 6750's {@code WWW-Authenticate} and a problem body naming the route. */
    private record ProblemAccessDenied(JsonMapper json, BearerTokenAccessDeniedHandler bearer)
            implements AccessDeniedHandler {

        ProblemAccessDenied(JsonMapper json) {
            this(json, new BearerTokenAccessDeniedHandler());
        }

        @Override
        public void handle(HttpServletRequest request, HttpServletResponse response,
                           org.springframework.security.access.AccessDeniedException e) throws IOException {
            bearer.handle(request, response, e);
            writeProblem(json, request, response, HttpStatus.FORBIDDEN, "the token's role or subject does not allow "
                    + request.getMethod() + " " + request.getRequestURI());
        }
    }
}
