package org.ldapmailcow.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * mailcow's PHP session as its API shows it: every answer to a request without a session cookie hands one out
 * ({@code Set-Cookie: MCSESSID=...}), API key or not, and a write's messages go through the session
 * ({@code $_SESSION['return']}), which concurrent requests of one session share. A client that sends the cookie
 * back while it writes in parallel gets other requests' messages in its answer, or none (an empty body), as
 * measured on mailcow (mailcow-api.md, "Concurrency and cost").
 */
final class Sessions {

    static final String COOKIE = "MCSESSID";

    private final SecureRandom random = new SecureRandom();
    private final Map<String, ArrayNode> returns = new ConcurrentHashMap<>();

    /** The session a request names in its Cookie header, or null. */
    static String of(List<String> cookieHeaders) {
        if (cookieHeaders == null) {
            return null;
        }
        for (String header : cookieHeaders) {
            for (String cookie : header.split(";")) {
                String[] pair = cookie.strip().split("=", 2);
                if (pair.length == 2 && pair[0].equals(COOKIE) && !pair[1].isEmpty()) {
                    return pair[1];
                }
            }
        }
        return null;
    }

    String newSession() {
        byte[] id = new byte[13];
        random.nextBytes(id);
        return HexFormat.of().formatHex(id);
    }

    /** Adds a write's messages (a list of entries, or one bare object) to the session's pending ones. */
    void add(String session, JsonNode messages) {
        ArrayNode pending = returns.computeIfAbsent(session, s -> Json.array());
        synchronized (pending) {
            if (messages.isArray()) {
                pending.addAll((ArrayNode) messages);
            } else {
                pending.add(messages);
            }
        }
    }

    /** What the session holds now, whoever added it, and empties it; null when nothing is pending. */
    JsonNode take(String session) {
        ArrayNode pending = returns.computeIfAbsent(session, s -> Json.array());
        synchronized (pending) {
            if (pending.isEmpty()) {
                return null;
            }
            ArrayNode taken = pending.deepCopy();
            pending.removeAll();
            return taken;
        }
    }
}
