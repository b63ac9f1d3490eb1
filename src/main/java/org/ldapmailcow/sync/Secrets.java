package org.ldapmailcow.sync;

/** Turns exceptions into one-line messages that never carry a secret. */
public final class Secrets {

    private static volatile String[] secrets = new String[0];

    private Secrets() {
    }

    /**
     * HTTP client loggers that print request headers (the API key) or raw traffic at DEBUG. They are pinned to
     * INFO so that turning the log level up for troubleshooting cannot leak the key.
     */
    static final String[] HEADER_LOGGERS = {"org.apache.hc.client5.http.headers", "org.apache.hc.client5.http.wire",
        "org.apache.hc.core5.http.headers", "org.apache.hc.core5.http.wire"};

    /** The values to mask wherever an exception message is logged or reported. */
    public static void register(String... values) {
        secrets = java.util.Arrays.stream(values).filter(v -> v != null && v.length() >= 3).toArray(String[]::new);
        for (String logger : HEADER_LOGGERS) {
            org.apache.logging.log4j.core.config.Configurator.setLevel(logger, org.apache.logging.log4j.Level.INFO);
        }
    }

    public static String mask(String text) {
        if (text == null) {
            return null;
        }
        String masked = text;
        for (String secret : secrets) {
            masked = masked.replace(secret, "****");
        }
        return masked;
    }

    /** The deepest cause's class and message, on one line, secrets masked: what went wrong, without the wrapping. */
    public static String rootCause(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return mask((root.getClass().getSimpleName() + ": " + root.getMessage()).replace('\n', ' '));
    }

    /** The exception's class and message, and its root cause's, on one line, secrets masked. */
    public static String safeMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = t.getClass().getSimpleName() + ": " + t.getMessage();
        if (root != t) {
            text += " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
        }
        return mask(text.replace('\n', ' '));
    }
}
