package org.ldapmailcow.ops;

import java.util.Locale;
import java.util.Map;

/**
 * Picks the log4j configuration before the first logger exists: single-line text ({@code log4j2.xml}) by default,
 * JSON lines ({@code log4j2-json.xml}) with {@code LDAP_MAILCOW_LOG_FORMAT=json}. A configuration file given on
 * the command line ({@code -Dlog4j2.configurationFile=...}) wins. An invalid value keeps text; the settings then
 * report it.
 */
public final class LogFormat {

    public static final String VARIABLE = "LDAP_MAILCOW_LOG_FORMAT";
    static final String PROPERTY = "log4j2.configurationFile";
    static final String JSON_CONFIG = "log4j2-json.xml";

    private LogFormat() {
    }

    public static void select(Map<String, String> env) {
        if (System.getProperty(PROPERTY) != null || System.getProperty("log4j.configurationFile") != null) {
            return;
        }
        String format = env.get(VARIABLE);
        if (format != null && format.strip().toLowerCase(Locale.ROOT).equals("json")) {
            System.setProperty(PROPERTY, JSON_CONFIG);
        }
    }
}
