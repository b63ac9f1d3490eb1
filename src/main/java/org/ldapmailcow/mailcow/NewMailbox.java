package org.ldapmailcow.mailcow;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The body of {@code add/mailbox}. Jackson writes all of it, the generated password included; its
 * {@link #toString()}, which Camel logs (bean results at TRACE, message bodies in error reports), leaves the
 * password out, so it never reaches a log line.
 */
public final class NewMailbox {

    private static final Set<String> SECRET = Set.of("password", "password2");

    private final Map<String, Object> fields;

    NewMailbox(Map<String, Object> fields) {
        this.fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** What mailcow receives, in the order given. */
    @JsonValue
    public Map<String, Object> fields() {
        return fields;
    }

    @Override
    public String toString() {
        return fields.entrySet().stream().filter(e -> !SECRET.contains(e.getKey()))
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ", "add/mailbox {", "}"));
    }
}
