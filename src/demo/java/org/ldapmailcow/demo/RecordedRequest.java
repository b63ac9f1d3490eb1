package org.ldapmailcow.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One request the emulator received, and what it answered. Fault rules ({@code refuse}, {@code emptyBodyOnce})
 * see the request before it is answered: there {@code status} is 0 and {@code responseBody} null.
 *
 * @param path    the decoded path, e.g. {@code /api/v1/get/mailbox/alice@example.org}
 * @param query   the raw query string, or null
 * @param headers request headers, names case-insensitive
 */
public record RecordedRequest(Instant time, String method, String path, String query,
                              Map<String, List<String>> headers, String body, int status, String responseBody) {

    static final String API_PREFIX = "/api/v1/";
    private static final Set<String> WRITE_ACTIONS = Set.of("add", "edit", "delete");
    private static final Set<String> LISTINGS = Set.of("all", "reduced");

    /** The first value of a header, or null. */
    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The body as JSON, or a MissingNode when it is not JSON. */
    public JsonNode json() {
        JsonNode node = Json.parse(body);
        return node == null ? MissingNode.getInstance() : node;
    }

    /** A POST to an add, edit or delete route: what mailcow counts as a change. */
    public boolean isWrite() {
        List<String> route = route();
        return method.equals("POST") && !route.isEmpty() && WRITE_ACTIONS.contains(route.get(0));
    }

    /**
     * The method and route with item names replaced: {@code GET get/mailbox/{item}}, {@code GET get/mailbox/all},
     * {@code GET get/alias/all/{item}}, {@code POST add/mailbox}. A path outside the API stays as it is.
     */
    public String endpoint() {
        if (!path.startsWith(API_PREFIX)) {
            return method + " " + path;
        }
        List<String> route = new ArrayList<>(route());
        if (route.size() > 2 && route.get(0).equals("get")) {
            int item = LISTINGS.contains(route.get(2)) ? 3 : 2;
            for (int i = item; i < route.size(); i++) {
                route.set(i, "{item}");
            }
        }
        return method + " " + String.join("/", route);
    }

    /** The path segments after {@code /api/v1/}; empty outside the API. */
    List<String> route() {
        if (!path.startsWith(API_PREFIX)) {
            return List.of();
        }
        String rest = path.substring(API_PREFIX.length());
        return rest.isEmpty() ? List.of() : List.of(rest.split("/", -1));
    }

    RecordedRequest answered(int answerStatus, String answerBody) {
        return new RecordedRequest(time, method, path, query, headers, body, answerStatus, answerBody);
    }
}
