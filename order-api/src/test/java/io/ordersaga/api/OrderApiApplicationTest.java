package io.ordersaga.api;

import io.ordersaga.common.EventSerdes;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.convention.TestBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The whole application context from order-api.properties, without a broker (topics are not created) or a registry
 * (the serdes are the unregistered ones).
 */
@SpringBootTest(classes = OrderApiApplication.class,
        properties = {"spring.config.name=order-api", "spring.kafka.admin.auto-create=false"})
@AutoConfigureMockMvc
class OrderApiApplicationTest {

    @TestBean
    EventSerdes eventSerdes;

    static EventSerdes eventSerdes() {
        return EventSerdes.unregistered();
    }

    @Autowired
    MockMvc mvc;

    @Autowired
    EventPublisher publisher;

    @Autowired
    ApiProperties api;

    @DynamicPropertySource
    static void tokens(DynamicPropertyRegistry registry) {
        TestTokens.register(registry);
    }

    @Test
    void startsWithTheKafkaPublisherAndValidates() throws Exception {
        assertThat(publisher).isInstanceOf(KafkaEventPublisher.class);
        assertThat(api.viewUrls()).hasSize(1);
        mvc.perform(post("/orders").header(HttpHeaders.AUTHORIZATION, TestTokens.customer("17850"))
                        .contentType(MediaType.APPLICATION_JSON).content("{\"customerId\":\"17850\",\"lines\":[]}"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
    }

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping handlers;

    @Test
    void theOpenApiDocumentListsEveryRouteWithItsAnswersAndTheBearerScheme() throws Exception {
        String document = mvc.perform(get("/v3/api-docs")).andExpect(status().isOk()).andReturn().getResponse()
                .getContentAsString();
        JsonNode api = JsonMapper.shared().readTree(document);
        Set<String> served = new TreeSet<>();
        handlers.getHandlerMethods().forEach((mapping, method) -> {
            if (method.getBeanType().getPackageName().equals(OrderApiApplication.class.getPackageName())) {
                mapping.getPathPatternsCondition().getPatternValues().forEach(path -> mapping.getMethodsCondition()
                        .getMethods().forEach(verb -> served.add(verb.name().toLowerCase(Locale.ROOT) + " " + path)));
            }
        });
        Set<String> documented = new TreeSet<>();
        api.path("paths").properties().forEach(path -> path.getValue().properties()
                .forEach(operation -> documented.add(operation.getKey() + " " + path.getKey())));

        assertThat(served).hasSize(16);
        assertThat(documented).isEqualTo(served);
        api.path("paths").properties().forEach(path -> path.getValue().properties().forEach(entry -> {
            String operation = entry.getKey() + " " + path.getKey();
            JsonNode responses = entry.getValue().path("responses");
            assertThat(responses.propertyNames()).as(operation).contains("401", "403", "503");
            assertThat(responses.path("403").path("content").has("application/problem+json")).as(operation).isTrue();
            assertThat(responses.propertyNames().stream().anyMatch(s -> s.startsWith("2"))).as(operation).isTrue();
            if (!entry.getKey().equals("get") && !path.getKey().endsWith("/compensate")) {
                assertThat(entry.getValue().path("requestBody").path("content").path("application/json")
                        .path("schema").path("$ref").asString()).as(operation + " body").startsWith("#/components/schemas/");
            }
        }));
        assertThat(api.path("components").path("securitySchemes").path(OpenApiConfiguration.BEARER).path("scheme")
                .asString()).isEqualTo("bearer");
        assertThat(api.path("security").get(0).has(OpenApiConfiguration.BEARER)).isTrue();
        mvc.perform(get("/swagger-ui.html")).andExpect(status().is3xxRedirection());
    }
}
