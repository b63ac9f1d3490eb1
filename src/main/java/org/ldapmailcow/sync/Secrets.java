package org.ldapmailcow.sync;

/** Turns exceptions into one-line messages that never carry a secret. */
public final class Secrets {

    private static volatile String[] secrets = new String[0];

    private Secrets() {
    }

    /** The values to mask wherever an exception message is logged or reported. */
    public static void register(String... values) {
        secrets = java.util.Arrays.stream(values).filter(v -> v != null && v.length() >= 3).toArray(String[]::new);
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
