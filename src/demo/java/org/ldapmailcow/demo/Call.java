package org.ldapmailcow.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * One write request as mailcow's PHP function receives it: the {@code $_data} it acts on, and what its answers
 * repeat in {@code log}: function, action, type, the data with passwords masked, and (for the {@code mailbox()}
 * function) the undefined {@code $_attr} that shows as a trailing null.
 */
record Call(String function, String action, String type, ObjectNode data, boolean attrSlot) {

    static Call mailbox(String action, String type, ObjectNode data) {
        return new Call("mailbox", action, type, data, true);
    }

    /** {@code app_passwd($_action, $_data)}: its log has no type, and masks the app password fields. */
    static Call appPasswd(String action, ObjectNode data) {
        return new Call("app_passwd", action, null, data, false);
    }

    static Call userAcl(ObjectNode data) {
        return new Call("acl", "edit", "user", data, false);
    }

    /** How edit endpoints pass items: {@code array_merge(array($key => $items), $attr)}. */
    static ObjectNode itemsWithAttr(String key, JsonNode body) {
        ObjectNode data = Json.object();
        data.set(key, asPhpArray(body.get("items")));
        JsonNode attr = body.get("attr");
        if (attr != null && attr.isObject()) {
            data.setAll((ObjectNode) attr);
        }
        return data;
    }

    /** {@code (array)$value}: null is [], a scalar is [scalar], arrays and objects stay as they are. */
    static JsonNode asPhpArray(JsonNode value) {
        if (!Php.isset(value)) {
            return Json.array();
        }
        return value.isContainerNode() ? value : Json.array().add(value);
    }

    JsonNode get(String key) {
        return data.get(key);
    }

    /** The values of an array-ish field, the way a PHP foreach over it sees them. */
    List<JsonNode> list(String key) {
        List<JsonNode> values = new ArrayList<>();
        asPhpArray(data.get(key)).elements().forEachRemaining(values::add);
        return values;
    }

    ArrayNode log() {
        ObjectNode masked = data.deepCopy();
        for (String secret : List.of("password", "password2", "app_passwd", "app_passwd2")) {
            if (Php.isset(masked.get(secret))) {
                masked.put(secret, "*");
            }
        }
        ArrayNode log = Json.array().add(function).add(action);
        if (type != null) {
            log.add(type);
        }
        log.add(masked);
        return attrSlot ? log.addNull() : log;
    }
}
