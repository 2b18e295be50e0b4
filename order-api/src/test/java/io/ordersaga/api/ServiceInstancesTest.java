package io.ordersaga.api;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ordersaga.common.spring.InstanceBreakers;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.web.client.MockRestServiceServer;
import org.springframework.web.client.RestClient;
import org.springframework.web.server.ResponseStatusException;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.client.ExpectedCount.once;
import static org.springframework.test.web.client.ExpectedCount.times;
import static org.springframework.test.web.client.match.MockRestRequestMatchers.requestTo;
import static org.springframework.test.web.client.response.MockRestResponseCreators.withException;
import static org.springframework.test.web.client.response.MockRestResponseCreators.withStatus;
import static org.springframework.test.web.client.response.MockRestResponseCreators.withSuccess;

class ServiceInstancesTest {

    private final RestClient.Builder builder = RestClient.builder();
    private final MockRestServiceServer server = MockRestServiceServer.bindTo(builder).build();
    private final ServiceInstances view = new ServiceInstances("order-view-streams",
            List.of(URI.create("http://view-1:8085/"), URI.create("http://view-2:8085")), builder.build(),
            new InstanceBreakers(new SimpleMeterRegistry()));

    @Test
    void readsTheInstancesInTurn() {
        server.expect(once(), requestTo("http://view-1:8085/orders/o-1")).andRespond(withSuccess("1", MediaType.APPLICATION_JSON));
        server.expect(once(), requestTo("http://view-2:8085/orders/o-2")).andRespond(withSuccess("2", MediaType.APPLICATION_JSON));
        server.expect(once(), requestTo("http://view-1:8085/orders/o-3")).andRespond(withSuccess("3", MediaType.APPLICATION_JSON));

        assertThat(view.get("/orders/{orderId}", "o-1").getBody()).asString(StandardCharsets.UTF_8).isEqualTo("1");
        assertThat(view.get("/orders/{orderId}", "o-2").getBody()).asString(StandardCharsets.UTF_8).isEqualTo("2");
        assertThat(view.get("/orders/{orderId}", "o-3").getBody()).asString(StandardCharsets.UTF_8).isEqualTo("3");
        server.verify();
    }

    @Test
    void triesTheNextInstanceWhenOneCannotBeReached() {
        server.expect(requestTo("http://view-1:8085/orders/o-1")).andRespond(withException(new IOException("Connection refused")));
        server.expect(requestTo("http://view-2:8085/orders/o-1")).andRespond(withSuccess("{}", MediaType.APPLICATION_JSON));

        assertThat(view.get("/orders/{orderId}", "o-1").getStatusCode()).isEqualTo(HttpStatus.OK);
        server.verify();
    }

    @Test
    void answers503WhenNoInstanceCanBeReached() {
        server.expect(requestTo("http://view-1:8085/orders/o-1")).andRespond(withException(new IOException("Connection refused")));
        server.expect(requestTo("http://view-2:8085/orders/o-1")).andRespond(withException(new IOException("Read timed out")));

        assertThatThrownBy(() -> view.get("/orders/{orderId}", "o-1"))
                .isInstanceOfSatisfying(ResponseStatusException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
                    assertThat(e.getReason()).startsWith("no order-view-streams instance answered: http://view-1:8085:")
                            .contains("Connection refused", "http://view-2:8085:", "Read timed out");
                });
        server.verify();
    }

    @Test
    void skipsAnInstanceThatKeepsFailingToAnswerWhileItsBreakerIsOpen() {
        for (int i = 0; i < InstanceBreakers.MINIMUM_CALLS; i++) {
            server.expect(requestTo("http://view-1:8085/orders/o-" + i)).andRespond(withException(new IOException("Connection refused")));
            server.expect(requestTo("http://view-2:8085/orders/o-" + i)).andRespond(withSuccess("{}", MediaType.APPLICATION_JSON));
            server.expect(requestTo("http://view-2:8085/orders/p-" + i)).andRespond(withSuccess("{}", MediaType.APPLICATION_JSON));
        }
        server.expect(times(2), requestTo("http://view-2:8085/orders/next")).andRespond(withSuccess("{}", MediaType.APPLICATION_JSON));

        for (int i = 0; i < InstanceBreakers.MINIMUM_CALLS; i++) {
            assertThat(view.get("/orders/{orderId}", "o-" + i).getStatusCode()).isEqualTo(HttpStatus.OK);
            assertThat(view.get("/orders/{orderId}", "p-" + i).getStatusCode()).isEqualTo(HttpStatus.OK);
        }
        assertThat(view.get("/orders/{orderId}", "next").getStatusCode()).as("view-1 not asked").isEqualTo(HttpStatus.OK);
        assertThat(view.get("/orders/{orderId}", "next").getStatusCode()).isEqualTo(HttpStatus.OK);
        server.verify();
    }

    @Test
    void relaysAnyStatusContentTypeRetryAfterAndBodyAsIs() {
        server.expect(requestTo("http://view-1:8085/orders/o-1")).andRespond(withStatus(HttpStatus.SERVICE_UNAVAILABLE)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON).header("Retry-After", "1").body("{\"detail\":\"rebalancing\"}"));

        ResponseEntity<byte[]> relayed = view.get("/orders/{orderId}", "o-1");

        assertThat(relayed.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(relayed.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(relayed.getHeaders().getFirst("Retry-After")).isEqualTo("1");
        assertThat(relayed.getBody()).asString(StandardCharsets.UTF_8).isEqualTo("{\"detail\":\"rebalancing\"}");
        server.verify();
    }

    @Test
    void encodesPathVariables() {
        server.expect(requestTo("http://view-1:8085/customers/a%20b%3Fc%23d/orders")).andRespond(withSuccess());

        assertThat(view.get("/customers/{customerId}/orders", "a b?c#d").getStatusCode()).isEqualTo(HttpStatus.OK);
        server.verify();
    }
}
