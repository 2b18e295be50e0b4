package io.ordersaga.common;

import org.apache.avro.specific.SpecificData;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * Registers every topic's value schema under its subject ({@code <topic>-value}, the TopicIdStrategy
 * naming) and pins each subject's compatibility rule to {@link #COMPATIBILITY}, through the registry's
 * Confluent-compatible API ({@code /apis/ccompat/v7}). Idempotent: registering the same schema again
 * returns the same id. Every Streams service runs it at start, so the rules are explicit per subject
 * whatever the registry's global default is.
 */
public final class SchemaRegistration {

    /**
     * The compatibility rule of every subject. FULL_TRANSITIVE: the producers and consumers of a topic are
     * different services deployed in any order, and topics are replayed from any offset, so every version
     * must read, and be read by, every other (schemas/avro/README.md).
     */
    public static final String COMPATIBILITY = "FULL_TRANSITIVE";

    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private SchemaRegistration() {
    }

    /** The registry subject of a topic's values. */
    public static String subject(Topic<?> topic) {
        return topic.name() + "-value";
    }

    /**
     * Sets the rule and registers the schema of every topic in {@link Topics#ALL}.
     *
     * @param registryUrl registry base URL, for example {@code http://127.0.0.1:8081}
     * @throws IllegalStateException naming the subject and the registry's answer when a request fails
     *                               (for example 409 when a schema is incompatible with the registered versions)
     */
    public static void registerAll(String registryUrl) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String base = registryUrl.replaceAll("/+$", "") + "/apis/ccompat/v7";
        for (Topic<?> topic : Topics.ALL) {
            String subject = subject(topic);
            send(http, HttpRequest.newBuilder(URI.create(base + "/config/" + subject))
                    .PUT(body(Map.of("compatibility", COMPATIBILITY))), subject);
            String schema = SpecificData.get().getSchema(topic.valueType()).toString();
            send(http, HttpRequest.newBuilder(URI.create(base + "/subjects/" + subject + "/versions"))
                    .POST(body(Map.of("schema", schema))), subject);
        }
    }

    private static HttpRequest.BodyPublisher body(Map<String, String> json) {
        return HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(json));
    }

    private static void send(HttpClient http, HttpRequest.Builder request, String subject) {
        try {
            HttpResponse<String> response = http.send(request.header("Content-Type", CONTENT_TYPE)
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("Registry refused " + response.request().method() + " for subject "
                        + subject + ": HTTP " + response.statusCode() + " " + response.body());
            }
        } catch (IOException e) {
            throw new IllegalStateException("Registry unreachable while registering " + subject + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
