package io.ordersaga.api;

import io.ordersaga.common.EventSerdes;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.convention.TestBean;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
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

    @Test
    void startsWithTheKafkaPublisherAndValidates() throws Exception {
        assertThat(publisher).isInstanceOf(KafkaEventPublisher.class);
        assertThat(api.viewUrls()).hasSize(1);
        mvc.perform(post("/orders").contentType(MediaType.APPLICATION_JSON).content("{\"customerId\":\"17850\",\"lines\":[]}"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
    }
}
