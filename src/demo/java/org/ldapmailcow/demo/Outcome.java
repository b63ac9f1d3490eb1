package org.ldapmailcow.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What one write request answers: the {@code $_SESSION['return']} list of {@code {"type","log","msg"}} entries.
 * A msg with arguments becomes a list {@code [key, arg...]}, one without stays a plain string.
 */
final class Outcome {

    private final ArrayNode entries = Json.array();
    private boolean failed;

    Outcome success(Call call, String key, Object... args) {
        return entry("success", call.log(), key, args);
    }

    Outcome danger(Call call, String key, Object... args) {
        return entry("danger", call.log(), key, args);
    }

    Outcome entry(String type, ArrayNode log, String key, Object... args) {
        JsonNode msg;
        if (args.length == 0) {
            msg = Json.node(key);
        } else {
            ArrayNode list = Json.array().add(key);
            for (Object arg : args) {
                list.add(Json.node(arg));
            }
            msg = list;
        }
        ObjectNode entry = entries.addObject().put("type", type);
        entry.set("log", log);
        entry.set("msg", msg);
        return this;
    }

    /** The PHP function returned false: only visible when it logged nothing (the generic failure object). */
    Outcome failed() {
        failed = true;
        return this;
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The list; with no entries mailcow prints a bare object instead (e.g. "Task completed"). */
    JsonNode toJson(String genericFailure) {
        if (!entries.isEmpty()) {
            return entries;
        }
        return failed ? Json.message("error", genericFailure) : Json.message("success", "Task completed");
    }
}
