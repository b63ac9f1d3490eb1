package org.ldapmailcow.mailcow;

import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.ldapmailcow.config.Settings;

/**
 * One line for an HTTP error status from mailcow's API, with mailcow's own message ({@code {"type":"error",
 * "msg":...}}), in place of camel-http's text (which carries the whole request URL and no message).
 */
public final class MailcowHttpFailure {

    private static final ObjectMapper JSON = new ObjectMapper();

    private MailcowHttpFailure() {
    }

    /** The HTTP failure in {@code t}'s causes, or null. */
    public static HttpOperationFailedException in(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof HttpOperationFailedException http) {
                return http;
            }
        }
        return null;
    }

    public static String describe(HttpOperationFailedException e) {
        String msg = mailcowMessage(e.getResponseBody());
        String answer = "HTTP " + e.getStatusCode() + (msg == null ? "" : ": " + msg);
        if (e.getStatusCode() == 401) {
            // mailcow's 401 is an unknown key or a client address outside the API's allow list
            return "mailcow refused the API key (" + answer + "); check " + Settings.PREFIX + "API_KEY and the "
                    + "API's allowed IPs in mailcow (this host's address must be among them)";
        }
        return "mailcow answered " + answer + " to " + withoutQuery(e.getUri());
    }

    /** mailcow's {@code msg}; null for anything else (nginx's HTML error pages, an empty body). */
    private static String mailcowMessage(String body) {
        if (body == null || !body.strip().startsWith("{")) {
            return null;
        }
        try {
            Object msg = JSON.readValue(body, Map.class).get("msg");
            return msg == null ? null : String.valueOf(msg).replaceAll("\\s+", " ").strip();
        } catch (Exception notJson) {
            return null;
        }
    }

    private static String withoutQuery(String uri) {
        if (uri == null) {
            return "mailcow";
        }
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }
}
