package io.ordersaga.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

import java.net.ConnectException;

import static org.hamcrest.Matchers.any;
import static org.springframework.test.web.client.match.MockRestRequestMatchers.requestTo;
import static org.springframework.test.web.client.response.MockRestResponseCreators.withException;
import static org.springframework.test.web.client.response.MockRestResponseCreators.withServerError;
import static org.springframework.test.web.client.response.MockRestResponseCreators.withSuccess;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.forwardedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

class AdminControllerTest extends ApiControllerTest {

    private static String instance(String application, String host) {
        return "{\"application\":\"" + application + "\",\"instance\":\"" + host + "\",\"state\":\"RUNNING\","
                + "\"activeTasks\":4,\"standbyTasks\":0,\"lag\":3,\"failure\":null}";
    }

    @Test
    void listsEveryInstanceAsItTellsItselfAndTheOnesThatDoNotAnswerAsUnreachable() throws Exception {
        services.server.expect(requestTo(ApiTestConfiguration.INVENTORY + "/instance"))
                .andRespond(withSuccess(instance("inventory-streams", "inventory-1:8082"), MediaType.APPLICATION_JSON));
        services.server.expect(requestTo(ApiTestConfiguration.PAYMENTS + "/instance"))
                .andRespond(withException(new ConnectException("Connection refused")));
        services.server.expect(requestTo(ApiTestConfiguration.SAGA + "/instance"))
                .andRespond(withServerError());
        services.server.expect(requestTo(ApiTestConfiguration.VIEW + "/instance"))
                .andRespond(withSuccess(instance("order-view-streams", "view-1:8085"), MediaType.APPLICATION_JSON));

        mvc.perform(get("/admin/instances"))
                .andExpect(status().isOk())
                .andExpect(content().json("[" + instance("inventory-streams", "inventory-1:8082") + ","
                        + "{\"application\":\"payment-streams\",\"instance\":\"" + ApiTestConfiguration.PAYMENTS
                        + "\",\"state\":\"UNREACHABLE\",\"lag\":-1},"
                        + "{\"application\":\"order-saga-streams\",\"instance\":\"" + ApiTestConfiguration.SAGA
                        + "\",\"state\":\"UNREACHABLE\",\"failure\":\"answered HTTP 500\"},"
                        + instance("order-view-streams", "view-1:8085") + "]"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/admin/instances", "/admin/dead-letters/counts"})
    void aCustomerMayNotAskForTheOperatorsFigures(String path) throws Exception {
        mvc.perform(get(path).header("Authorization", TestTokens.customer("c-1")))
                .andExpect(problem(HttpStatus.FORBIDDEN, any(String.class)));
    }

    @Test
    void theOperationsPageItselfLoadsWithoutATokenSinceItAsksForOne() throws Exception {
        mvc.perform(get("/ops").requestAttr(WITHOUT_TOKEN, true))
                .andExpect(status().isOk())
                .andExpect(forwardedUrl("/ops.html"));
    }
}
