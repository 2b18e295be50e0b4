package io.ordersaga.api;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.MockMvcBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpHeaders;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

/** Every request as an admin, unless it has an Authorization header of its own or {@link ApiControllerTest#WITHOUT_TOKEN}. */
@TestConfiguration(proxyBeanMethods = false)
class AdminByDefault {
    @Bean
    MockMvcBuilderCustomizer adminByDefault() {
        return builder -> builder.defaultRequest(get("/").with(request -> {
            if (request.getHeader(HttpHeaders.AUTHORIZATION) == null && request.getAttribute(ApiControllerTest.WITHOUT_TOKEN) == null) {
                request.addHeader(HttpHeaders.AUTHORIZATION, TestTokens.admin());
            }
            return request;
        }));
    }
}
