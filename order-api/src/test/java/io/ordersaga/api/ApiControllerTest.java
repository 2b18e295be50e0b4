package io.ordersaga.api;

import io.ordersaga.common.Topic;
import org.apache.avro.specific.SpecificRecord;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.AfterEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultMatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.springframework.test.web.client.match.MockRestRequestMatchers.requestTo;
import static org.springframework.test.web.client.response.MockRestResponseCreators.withSuccess;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The ground every order-api controller test stands on: the web slice with {@link ApiTestConfiguration}'s recording
 * publisher and mocked backends (every expected backend request verified, then all reset, after each test), and the
 * checks of an answer that is a problem or a write. Every request carries an admin's bearer token unless it sets its
 * own Authorization header or the {@link #WITHOUT_TOKEN} attribute (the routes' rules themselves are
 * {@link SecurityTest}'s).
 */
@WebMvcTest
@Import({ApiTestConfiguration.class, AdminByDefault.class})
@TestPropertySource(properties = "spring.config.name=order-api")
abstract class ApiControllerTest {

    @DynamicPropertySource
    static void tokens(DynamicPropertyRegistry registry) {
        TestTokens.register(registry);
    }

    /** A request attribute: send this request without any token. */
    static final String WITHOUT_TOKEN = "test.without-token";


    @Autowired
    MockMvc mvc;

    @Autowired
    RecordingPublisher publisher;

    @Autowired
    ApiTestConfiguration.Services services;

    @AfterEach
    void reset() {
        services.server.verify();
        services.server.reset();
        publisher.reset();
    }

    /** An {@code application/problem+json} answer of {@code status} whose {@code detail} matches {@code detail}. */
    static ResultMatcher problem(HttpStatus status, Matcher<? super String> detail) {
        return result -> {
            status().is(status.value()).match(result);
            content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON).match(result);
            jsonPath("$.detail").value(detail).match(result);
        };
    }

    /** An {@code application/problem+json} answer of {@code status} whose {@code detail} is {@code detail}. */
    static ResultMatcher problem(HttpStatus status, String detail) {
        return problem(status, equalTo(detail));
    }

    /** A 503 problem with {@code Retry-After: 1} (seconds) whose {@code detail} matches {@code detail}. */
    static ResultMatcher unavailable(Matcher<? super String> detail) {
        return result -> {
            problem(HttpStatus.SERVICE_UNAVAILABLE, detail).match(result);
            header().string("Retry-After", "1").match(result);
        };
    }

    /** A 503 problem with {@code Retry-After: 1} (seconds) whose {@code detail} is {@code detail}. */
    static ResultMatcher unavailable(String detail) {
        return unavailable(equalTo(detail));
    }

    /**
     * A GET of {@code path} relayed to the backend at {@code backend} (a base URL of {@link ApiTestConfiguration}): the
     * backend's 200 answer {@code json} is order-api's answer.
     */
    void assertRelayed(String backend, String path, String json) throws Exception {
        services.server.expect(requestTo(backend + path)).andRespond(withSuccess(json, MediaType.APPLICATION_JSON));
        mvc.perform(get(path)).andExpect(status().isOk()).andExpect(content().json(json));
    }

    /** The one write of the test: {@code value} to {@code topic} under {@code key}. */
    void assertPublishedOnly(Topic<?> topic, String key, SpecificRecord value) {
        assertThat(publisher.published).singleElement().satisfies(p -> {
            assertThat(p.topic()).isEqualTo(topic.name());
            assertThat(p.key()).isEqualTo(key);
            assertThat(p.value()).isEqualTo(value);
        });
    }
}
