package org.ldapmailcow.auth;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a section-less Dovecot settings file (such as an LDAP passdb {@code args} file) the way Dovecot 2.3's
 * {@code settings_read} does: comments outside quotes dropped, trailing blanks trimmed, a trailing backslash
 * continuing the line, a value enclosed in matching quotes unquoted and backslash-unescaped.
 */
final class DovecotSettings {

    private DovecotSettings() {
    }

    static Map<String, String> read(String text) {
        Map<String, String> settings = new LinkedHashMap<>();
        StringBuilder continued = new StringBuilder();
        for (String raw : text.split("\n", -1)) {
            String line = raw.stripLeading();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            line = stripComment(line).stripTrailing();
            if (line.endsWith("\\")) {
                continued.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            line = continued.append(line).toString();
            continued.setLength(0);
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("Expecting '=' in: " + line);
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                    || value.startsWith("'") && value.endsWith("'"))) {
                value = unescape(value.substring(1, value.length() - 1));
            }
            settings.put(key, value);
        }
        return settings;
    }

    /**
     * Dovecot's %variable expansion of an LDAP setting value ({@code base}, {@code user_filter},
     * {@code pass_filter}) for a login name: {@code %%} is a literal {@code %}, {@code %u} the login as typed,
     * {@code %n} its part before the first {@code @} (all of it without one), {@code %d} its part after (empty
     * without one); each value LDAP-escaped as Dovecot's {@code ldap_escape} does. Any other variable is reported.
     */
    static String expand(String value, String login) {
        int at = login.indexOf('@');
        String user = at < 0 ? login : login.substring(0, at);
        String domain = at < 0 ? "" : login.substring(at + 1);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '%') {
                out.append(c);
                continue;
            }
            char next = i + 1 < value.length() ? value.charAt(i + 1) : '\0';
            switch (next) {
                case '%' -> out.append('%');
                case 'u' -> out.append(ldapEscape(login));
                case 'n' -> out.append(ldapEscape(user));
                case 'd' -> out.append(ldapEscape(domain));
                default -> throw new IllegalArgumentException("unexpected variable %" + next);
            }
            i++;
        }
        return out.toString();
    }

    /**
     * Dovecot 2.3's {@code ldap_escape} (src/auth/db-ldap.c): each byte of {@code *,\#+<>;"()=} and blank, and
     * every byte of a non-ASCII character, as a backslash and two upper-case hex digits.
     */
    static String ldapEscape(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 0x80 || "*,\\#+<>;\"()= ".indexOf(c) >= 0) {
                out.append(String.format("\\%02X", c));
            } else {
                out.append((char) c);
            }
        }
        return out.toString();
    }

    private static String stripComment(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"' || c == '\'') {
                for (i++; i < line.length() && line.charAt(i) != c; i++) {
                    if (line.charAt(i) == '\\' && i + 1 < line.length()) {
                        i++;
                    }
                }
            } else if (c == '#') {
                return line.substring(0, i);
            }
        }
        return line;
    }

    private static String unescape(String quoted) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < quoted.length(); i++) {
            char c = quoted.charAt(i);
            if (c == '\\' && i + 1 < quoted.length()) {
                c = quoted.charAt(++i);
            }
            out.append(c);
        }
        return out.toString();
    }
}
