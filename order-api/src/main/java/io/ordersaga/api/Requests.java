package io.ordersaga.api;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Validation of what clients send: path ids and JSON bodies. Every violation is a
 * {@link ResponseStatusException} 400 Bad Request whose reason names the field and the rule; it reaches the
 * client as {@code application/problem+json} with that reason as {@code detail}. Unknown JSON fields are ignored.
 * Types are strict: a number in quotes is not a number, and 6.0 is not an integer.
 */
public final class Requests {

    /** Largest request body accepted, in bytes (64 KiB). */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    /** Longest id (customerId, productId, orderId), in characters. */
    public static final int MAX_ID_LENGTH = 64;

    private Requests() {
    }

    /**
     * Checks an id: non-blank, at most {@link #MAX_ID_LENGTH} characters, without {@code '/'} (it is a path
     * segment) or {@code '|'} (inventory's reservation store key joins ids with it).
     *
     * @param name  the id's name, for the detail
     * @param value the id
     * @return value
     * @throws ResponseStatusException 400 when the id breaks a rule
     */
    public static String id(String name, String value) {
        if (value == null || value.isBlank()) {
            throw badRequest(name + " must not be blank");
        }
        if (value.length() > MAX_ID_LENGTH) {
            throw badRequest(name + " must be at most " + MAX_ID_LENGTH + " characters, was " + value.length());
        }
        if (value.indexOf('/') >= 0 || value.indexOf('|') >= 0) {
            throw badRequest(name + " must not contain '/' or '|'");
        }
        return value;
    }

    /**
     * Reads a request body of at most {@link #MAX_BODY_BYTES} and parses it as a JSON object.
     *
     * @param body          the request body
     * @param contentLength the declared Content-Length in bytes, -1 when unknown (chunked)
     * @param json          the JSON mapper
     * @throws ResponseStatusException 400 when the body is too large, empty, malformed, or not a JSON object
     */
    public static JsonNode jsonObject(InputStream body, long contentLength, ObjectMapper json) {
        return optionalJsonObject(body, contentLength, json)
                .orElseThrow(() -> badRequest("the request body is empty; expected a JSON object"));
    }

    /**
     * Reads an optional request body of at most {@link #MAX_BODY_BYTES} and parses it as a JSON object.
     *
     * @param body          the request body
     * @param contentLength the declared Content-Length in bytes, -1 when unknown (chunked)
     * @param json          the JSON mapper
     * @return the object, or empty when the body is empty or only whitespace
     * @throws ResponseStatusException 400 when the body is too large, malformed, or not a JSON object
     */
    public static Optional<JsonNode> optionalJsonObject(InputStream body, long contentLength, ObjectMapper json) {
        if (contentLength > MAX_BODY_BYTES) {
            throw tooLarge();
        }
        byte[] bytes;
        try {
            bytes = body.readNBytes(MAX_BODY_BYTES + 1);
        } catch (IOException e) {
            throw badRequest("the request body could not be read: " + e.getMessage());
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw tooLarge();
        }
        JsonNode node;
        try {
            node = json.readTree(bytes);
        } catch (JacksonException e) {
            throw badRequest("malformed JSON: " + e.getOriginalMessage());
        }
        if (node == null || node.isMissingNode()) {
            return Optional.empty();
        }
        if (!node.isObject()) {
            throw badRequest("the request body must be a JSON object");
        }
        return Optional.of(node);
    }

    /**
     * A required JSON string field that is an {@link #id id}.
     *
     * @param parent the object holding the field
     * @param name   the field's name as the detail shows it (for example {@code lines[0].productId})
     * @param field  the field's name in parent
     * @throws ResponseStatusException 400 when missing, not a string, or not a valid id
     */
    public static String idField(JsonNode parent, String name, String field) {
        return id(name, string(parent, name, field));
    }

    /**
     * An optional JSON string field that is an {@link #id id}.
     *
     * @return the id, or null when the field is missing or null
     * @throws ResponseStatusException 400 when present but not a string, or not a valid id
     */
    public static String optionalIdField(JsonNode parent, String name, String field) {
        JsonNode node = parent.get(field);
        return node == null || node.isNull() ? null : idField(parent, name, field);
    }

    /**
     * A required, non-blank JSON string field of at most {@code maxLength} characters.
     *
     * @throws ResponseStatusException 400 when missing, not a string, blank or too long
     */
    public static String textField(JsonNode parent, String name, String field, int maxLength) {
        String value = string(parent, name, field);
        if (value.isBlank()) {
            throw badRequest(name + " must not be blank");
        }
        if (value.length() > maxLength) {
            throw badRequest(name + " must be at most " + maxLength + " characters, was " + value.length());
        }
        return value;
    }

    /**
     * A required JSON integer field between {@code min} and {@code max} inclusive.
     *
     * @throws ResponseStatusException 400 when missing, not an integer (a string, a fraction, or beyond a long),
     *                                 or out of range
     */
    public static long integerField(JsonNode parent, String name, String field, long min, long max) {
        JsonNode node = required(parent, name, field);
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw badRequest(name + " must be an integer between " + min + " and " + max);
        }
        long value = node.longValue();
        if (value < min || value > max) {
            throw badRequest(name + " must be between " + min + " and " + max + ", was " + value);
        }
        return value;
    }

    /**
     * A required JSON array field with {@code min} to {@code max} elements.
     *
     * @throws ResponseStatusException 400 when missing, not an array, or with too few or too many elements
     */
    public static JsonNode arrayField(JsonNode parent, String name, String field, int min, int max) {
        JsonNode node = required(parent, name, field);
        if (!node.isArray()) {
            throw badRequest(name + " must be an array");
        }
        if (node.size() < min || node.size() > max) {
            throw badRequest(name + " must hold " + min + " to " + max + " elements, was " + node.size());
        }
        return node;
    }

    /**
     * Checks that an array element is a JSON object.
     *
     * @throws ResponseStatusException 400 when it is not
     */
    public static JsonNode object(JsonNode node, String name) {
        if (!node.isObject()) {
            throw badRequest(name + " must be a JSON object");
        }
        return node;
    }

    /** A 400 Bad Request with {@code detail} as the problem's detail. */
    public static ResponseStatusException badRequest(String detail) {
        return new ResponseStatusException(HttpStatus.BAD_REQUEST, detail);
    }

    private static String string(JsonNode parent, String name, String field) {
        JsonNode node = required(parent, name, field);
        if (!node.isString()) {
            throw badRequest(name + " must be a string");
        }
        return node.stringValue();
    }

    private static JsonNode required(JsonNode parent, String name, String field) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            throw badRequest(name + " is required");
        }
        return node;
    }

    private static ResponseStatusException tooLarge() {
        return badRequest("the request body must be at most " + MAX_BODY_BYTES + " bytes");
    }
}
