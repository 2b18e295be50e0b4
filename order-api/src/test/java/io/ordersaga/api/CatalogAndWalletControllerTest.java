package io.ordersaga.api;

import io.ordersaga.common.Topics;
import io.ordersaga.events.AdjustStock;
import io.ordersaga.events.CreditWallet;
import io.ordersaga.events.InventoryCommand;
import io.ordersaga.events.PaymentCommand;
import io.ordersaga.events.Product;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.test.web.client.match.MockRestRequestMatchers.requestTo;
import static org.springframework.test.web.client.response.MockRestResponseCreators.withException;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

class CatalogAndWalletControllerTest extends ApiControllerTest {

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource(delimiter = '#', value = {
            "PUT  # /products/85123A                   # {\"unitPrice\":255}                           # name is required",
            "PUT  # /products/85123A                   # {\"name\":\"\",\"unitPrice\":255}             # name must not be blank",
            "PUT  # /products/85123A                   # {\"name\":7,\"unitPrice\":255}                # name must be a string",
            "PUT  # /products/85123A                   # {\"name\":\"MUG\"}                            # unitPrice is required",
            "PUT  # /products/85123A                   # {\"name\":\"MUG\",\"unitPrice\":0}            # unitPrice must be between 1 and 10000000000, was 0",
            "PUT  # /products/85123A                   # {\"name\":\"MUG\",\"unitPrice\":-5}           # unitPrice must be between 1 and 10000000000, was -5",
            "PUT  # /products/85123A                   # {\"name\":\"MUG\",\"unitPrice\":10000000001}  # unitPrice must be between 1 and 10000000000, was 10000000001",
            "PUT  # /products/85123A                   # {\"name\":\"MUG\",\"unitPrice\":\"255\"}      # unitPrice must be an integer between 1 and 10000000000",
            "PUT  # /products/85123A                   # {\"name\":\"MUG\",\"unitPrice\":2.55}         # unitPrice must be an integer between 1 and 10000000000",
            "PUT  # /products/85123A                   # {\"name\":\"MUG\",                            # malformed JSON: ",
            "POST # /products/85123A/stock-adjustments # {\"delta\":0,\"reason\":\"RESTOCK\"}           # delta must not be 0",
            "POST # /products/85123A/stock-adjustments # {\"delta\":1000000001,\"reason\":\"RESTOCK\"}  # delta must be between -1000000000 and 1000000000, was 1000000001",
            "POST # /products/85123A/stock-adjustments # {\"delta\":-1000000001,\"reason\":\"DAMAGED\"} # delta must be between -1000000000 and 1000000000, was -1000000001",
            "POST # /products/85123A/stock-adjustments # {\"delta\":\"5\",\"reason\":\"RESTOCK\"}       # delta must be an integer",
            "POST # /products/85123A/stock-adjustments # {\"reason\":\"RESTOCK\"}                       # delta is required",
            "POST # /products/85123A/stock-adjustments # {\"delta\":5}                                  # reason is required",
            "POST # /products/85123A/stock-adjustments # {\"delta\":5,\"reason\":\" \"}                 # reason must not be blank",
            "POST # /customers/17850/wallet/credits    # {\"amount\":0}                                 # amount must be between 1 and 10000000000, was 0",
            "POST # /customers/17850/wallet/credits    # {\"amount\":-100}                              # amount must be between 1 and 10000000000, was -100",
            "POST # /customers/17850/wallet/credits    # {\"amount\":10000000001}                       # amount must be between 1 and 10000000000, was 10000000001",
            "POST # /customers/17850/wallet/credits    # {\"amount\":\"100\"}                           # amount must be an integer",
            "POST # /customers/17850/wallet/credits    # {\"amount\":1.5}                               # amount must be an integer",
            "POST # /customers/17850/wallet/credits    # {}                                             # amount is required",
            "POST # /customers/17850/wallet/credits    # []                                             # the request body must be a JSON object",
    })
    void rejectsAnInvalidBodyWith400ProblemAndWritesNothing(HttpMethod method, String path, String body, String detail)
            throws Exception {
        mvc.perform(request(method, path).contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(problem(HttpStatus.BAD_REQUEST, startsWith(detail)));
        assertThat(publisher.published).isEmpty();
    }

    @Test
    void rejectsAnOverlongProductNameAndInvalidProductIds() throws Exception {
        mvc.perform(put("/products/85123A").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\":\"" + "N".repeat(201) + "\",\"unitPrice\":255}"))
                .andExpect(problem(HttpStatus.BAD_REQUEST, "name must be at most 200 characters, was 201"));
        mvc.perform(put("/products/85|23A").contentType(MediaType.APPLICATION_JSON).content("{\"name\":\"MUG\",\"unitPrice\":255}"))
                .andExpect(problem(HttpStatus.BAD_REQUEST, "productId must not contain '/' or '|'"));
        mvc.perform(put("/products/" + "p".repeat(65)).contentType(MediaType.APPLICATION_JSON).content("{\"name\":\"MUG\",\"unitPrice\":255}"))
                .andExpect(status().isBadRequest());
        assertThat(publisher.published).isEmpty();
    }

    @Test
    void putsAProduct() throws Exception {
        mvc.perform(put("/products/85123A").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\":\"WHITE HANGING HEART T-LIGHT HOLDER\",\"unitPrice\":255}"))
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.productId").value("85123A"))
                .andExpect(jsonPath("$.name").value("WHITE HANGING HEART T-LIGHT HOLDER"))
                .andExpect(jsonPath("$.unitPrice").value(255))
                .andExpect(jsonPath("$.updatedAt").value(startsWith("20")));
        assertThat(publisher.published).singleElement().satisfies(p -> {
            assertThat(p.topic()).isEqualTo(Topics.PRODUCTS.name());
            assertThat(p.key()).isEqualTo("85123A");
            Product product = (Product) p.value();
            assertThat(product.getName()).isEqualTo("WHITE HANGING HEART T-LIGHT HOLDER");
            assertThat(product.getUnitPrice()).isEqualTo(255L);
        });
    }

    @Test
    void relaysAProductFromTheSagasCatalog() throws Exception {
        assertRelayed(ApiTestConfiguration.SAGA, "/products/85123A", "{\"productId\":\"85123A\",\"name\":\"MUG\",\"unitPrice\":255}");
        mvc.perform(get("/products/85|23A")).andExpect(status().isBadRequest());
    }

    @Test
    void adjustsStock() throws Exception {
        String adjustmentId = idOf("/products/85123A/stock-adjustments", "{\"delta\":-3,\"reason\":\"DAMAGED\"}", null,
                "adjustmentId");

        assertThat(UUID.fromString(adjustmentId)).isNotNull();
        assertPublishedOnly(Topics.INVENTORY_COMMANDS, "85123A",
                new InventoryCommand("85123A", new AdjustStock(adjustmentId, -3L, "DAMAGED")));
    }

    /** Both writes that create something, with the id their answer names and the scope their id is derived from. */
    static Stream<Arguments> keyedWrites() {
        return Stream.of(
                Arguments.of("/products/85123A/stock-adjustments", "{\"delta\":5,\"reason\":\"RESTOCK\"}", "adjustmentId",
                        "stock-adjustment/85123A", "/products/71053/stock-adjustments"),
                Arguments.of("/customers/17850/wallet/credits", "{\"amount\":100}", "creditId",
                        "wallet-credit/17850", "/customers/17851/wallet/credits"));
    }

    private String idOf(String path, String body, String key, String idField) throws Exception {
        MockHttpServletRequestBuilder request = post(path).contentType(MediaType.APPLICATION_JSON).content(body);
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return mvc.perform(request).andExpect(status().isAccepted())
                .andReturn().getResponse().getContentAsString().replaceAll(".*\"" + idField + "\":\"([^\"]+)\".*", "$1");
    }

    @ParameterizedTest
    @MethodSource("keyedWrites")
    void sameIdempotencyKeyGivesTheSameIdAndAnotherKeyAnotherId(String path, String body, String idField, String scope,
                                                                String otherPath) throws Exception {
        String expected = UUID.nameUUIDFromBytes((scope + "|restock-1").getBytes(StandardCharsets.UTF_8)).toString();

        assertThat(idOf(path, body, "restock-1", idField)).isEqualTo(expected);
        assertThat(idOf(path, body, "restock-1", idField)).isEqualTo(expected);
        assertThat(idOf(path, body, "restock-2", idField)).isNotEqualTo(expected);
        assertThat(idOf(otherPath, body, "restock-1", idField)).as("same key, another product or customer").isNotEqualTo(expected);
        assertThat(idOf(path, body, "k".repeat(255), idField)).isNotEqualTo(expected);
        String random = idOf(path, body, null, idField);
        assertThat(UUID.fromString(random).version()).isEqualTo(4);
        assertThat(idOf(path, body, null, idField)).isNotEqualTo(random);
        assertThat(publisher.published).hasSize(7);
        assertThat(expected).as("never an orderId of the same customer and key")
                .isNotEqualTo(IdempotencyKeys.orderId("17850", "restock-1")).isNotEqualTo(IdempotencyKeys.orderId("85123A", "restock-1"));
    }

    @ParameterizedTest
    @MethodSource("keyedWrites")
    void rejectsABlankOrOverlongIdempotencyKey(String path, String body) throws Exception {
        for (String key : List.of(" ", "k".repeat(256))) {
            mvc.perform(post(path).contentType(MediaType.APPLICATION_JSON).header("Idempotency-Key", key).content(body))
                    .andExpect(problem(HttpStatus.BAD_REQUEST, "the Idempotency-Key header must be 1 to 255 non-blank characters"));
        }
        assertThat(publisher.published).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("keyedWrites")
    void answers503WithRetryAfterAndTheUnknownOutcomeWhenKafkaDoesNotAcknowledge(String path, String body) throws Exception {
        publisher.down = true;
        String what = path.endsWith("credits") ? "credit" : "stock adjustment";

        mvc.perform(post(path).contentType(MediaType.APPLICATION_JSON).header("Idempotency-Key", "restock-1").content(body))
                .andExpect(unavailable(endsWith("The outcome is unknown: the record may have been written."
                        + " Retry with the same Idempotency-Key: it names the same " + what + ", which is applied once.")));
        mvc.perform(post(path).contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(unavailable(endsWith("This request had no Idempotency-Key, so a retry may create a second "
                        + what + "; send a key, the same on every retry.")));
    }

    @Test
    void answers503WithRetryAfterWhenAProductPutIsNotAcknowledged() throws Exception {
        publisher.down = true;
        mvc.perform(put("/products/85123A").contentType(MediaType.APPLICATION_JSON).content("{\"name\":\"MUG\",\"unitPrice\":255}"))
                .andExpect(unavailable(endsWith("The outcome is unknown: the record may have been written."
                        + " A retry is safe: the latest PUT of a product wins.")));
    }

    @Test
    void relaysStock() throws Exception {
        assertRelayed(ApiTestConfiguration.INVENTORY, "/products/85123A/stock", "{\"productId\":\"85123A\",\"available\":10}");
    }

    @Test
    void answers503WithRetryAfterWhenNoInventoryInstanceAnswers() throws Exception {
        services.server.expect(requestTo(ApiTestConfiguration.INVENTORY + "/products/71053/stock"))
                .andRespond(withException(new IOException("Connection refused")));
        mvc.perform(get("/products/71053/stock"))
                .andExpect(unavailable(startsWith("no inventory-streams instance answered: http://inventory-1:8082")));
    }

    @Test
    void creditsAWallet() throws Exception {
        String creditId = idOf("/customers/17850/wallet/credits", "{\"amount\":10000000000}", null, "creditId");

        assertPublishedOnly(Topics.PAYMENT_COMMANDS, "17850",
                new PaymentCommand("17850", new CreditWallet(creditId, 10_000_000_000L)));
    }

    @Test
    void relaysAWalletAndRejectsAnInvalidCustomerId() throws Exception {
        assertRelayed(ApiTestConfiguration.PAYMENTS, "/customers/17850/wallet", "{\"customerId\":\"17850\",\"balance\":500}");
        mvc.perform(get("/customers/a|b/wallet")).andExpect(status().isBadRequest());
        mvc.perform(post("/customers/a|b/wallet/credits").contentType(MediaType.APPLICATION_JSON).content("{\"amount\":1}"))
                .andExpect(problem(HttpStatus.BAD_REQUEST, "customerId must not contain '/' or '|'"));
        assertThat(publisher.published).isEmpty();
    }
}
