package org.ldapmailcow.ops;

import org.apache.camel.http.base.HttpOperationFailedException;
import org.ldapmailcow.mailcow.MailcowHttpFailure;

/**
 * Turns exceptions into one-line messages. No secret is in them to begin with: the bind password goes only into
 * JNDI's environment and the API key only into the request header, and neither JNDI's nor the HTTP client's
 * exception messages carry them. Nothing is masked, so no message is garbled by a short secret.
 */
public final class Secrets {

    private Secrets() {
    }

    /**
     * HTTP client loggers that print request headers (the API key) or raw traffic at DEBUG. They are pinned to
     * INFO so that turning the log level up for troubleshooting cannot leak the key.
     */
    static final String[] HEADER_LOGGERS = {"org.apache.hc.client5.http.headers", "org.apache.hc.client5.http.wire",
        "org.apache.hc.core5.http.headers", "org.apache.hc.core5.http.wire"};

    /** Keeps the HTTP client's header and wire logs quiet whatever level is configured. */
    public static void guardLogs() {
        for (String logger : HEADER_LOGGERS) {
            org.apache.logging.log4j.core.config.Configurator.setLevel(logger, org.apache.logging.log4j.Level.INFO);
        }
    }

    /** The deepest cause's class and message, on one line: what went wrong, without the wrapping. */
    public static String rootCause(Throwable t) {
        HttpOperationFailedException http = MailcowHttpFailure.in(t);
        if (http != null) {
            return MailcowHttpFailure.describe(http);
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return (root.getClass().getSimpleName() + ": " + root.getMessage()).replace('\n', ' ');
    }

    /** The exception's class and message, and its root cause's, on one line. */
    public static String safeMessage(Throwable t) {
        HttpOperationFailedException http = MailcowHttpFailure.in(t);
        if (http != null) {
            return MailcowHttpFailure.describe(http);
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = t.getClass().getSimpleName() + ": " + t.getMessage();
        if (root != t) {
            text += " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
        }
        return text.replace('\n', ' ');
    }
}
