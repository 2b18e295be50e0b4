package io.ordersaga.api;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

class ApiPropertiesTest {

    @Configuration
    @EnableConfigurationProperties(ApiProperties.class)
    static class Bind {
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Bind.class);

    @Test
    void bindsCommaSeparatedInstanceUrls() {
        runner.withPropertyValues("ordersaga.api.inventory-urls=http://127.0.0.1:8082",
                        "ordersaga.api.payment-urls=http://127.0.0.1:8083",
                        "ordersaga.api.view-urls=http://127.0.0.1:8085,http://127.0.0.1:18085")
                .run(context -> {
                    ApiProperties api = context.getBean(ApiProperties.class);
                    assertThat(api.viewUrls()).containsExactly(URI.create("http://127.0.0.1:8085"), URI.create("http://127.0.0.1:18085"));
                    assertThat(api.sagaUrls()).containsExactly(URI.create("http://127.0.0.1:8084"));
                    assertThat(api.sendTimeoutMs()).isEqualTo(5000);
                    assertThat(api.lookupTimeoutMs()).isEqualTo(250);
                });
    }

    @Test
    void refusesToStartWithoutInstanceUrls() {
        runner.withPropertyValues("ordersaga.api.inventory-urls=http://127.0.0.1:8082",
                        "ordersaga.api.payment-urls=http://127.0.0.1:8083")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .rootCause().hasMessage("ordersaga.api.view-urls must list at least one base URL"));
    }

    @Test
    void refusesALookupTimeoutBelowOneMillisecond() {
        runner.withPropertyValues("ordersaga.api.inventory-urls=http://127.0.0.1:8082",
                        "ordersaga.api.payment-urls=http://127.0.0.1:8083",
                        "ordersaga.api.view-urls=http://127.0.0.1:8085", "ordersaga.api.lookup-timeout-ms=0")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .rootCause().hasMessage("ordersaga.api.lookup-timeout-ms must be >= 1 ms, was 0"));
    }
}
