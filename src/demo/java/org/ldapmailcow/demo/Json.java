package org.ldapmailcow.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The one ObjectMapper of the emulator and the small builders around it. */
final class Json {

    // PHP's json_decode refuses "{} x"; Jackson accepts it unless told otherwise.
    static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Json() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    /** A JSON value for a Java one: strings, numbers, booleans, null and JsonNodes. */
    static JsonNode node(Object value) {
        return value instanceof JsonNode json ? json : MAPPER.valueToTree(value);
    }

    /** {@code {"type": ..., "msg": ...}}: the shape of mailcow's bare answers and HTTP errors. */
    static ObjectNode message(String type, String msg) {
        return object().put("type", type).put("msg", msg);
    }

    /** Parses a request body; null when PHP's json_decode would have returned null. */
    static JsonNode parse(String body) {
        try {
            JsonNode node = MAPPER.readTree(body);
            return node == null || node.isMissingNode() || node.isNull() ? null : node;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
