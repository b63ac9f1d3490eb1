package org.ldapmailcow.auth;

/**
 * Escaping for the formats the auth templates produce. Every template sees an instance as {@code esc}, e.g.
 * {@code ${esc.xml(body.bindDn)}}. Values that a format cannot carry are refused; the message never contains
 * the value, since it may be the bind password.
 */
public final class Escape {

    /** Text content of an XML element: {@code &}, {@code <} and {@code >} as entities. */
    public String xml(String value) {
        StringBuilder out = new StringBuilder(value.length() + 16);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                // a literal CR would be read back as LF
                case '\r' -> out.append("&#13;");
                default -> {
                    if (!isXmlChar(value, i)) {
                        throw new IllegalArgumentException(
                                "value contains a control character that XML cannot carry (position " + i + ")");
                    }
                    out.append(c);
                }
            }
        }
        return out.toString();
    }

    /**
     * XML text for mailcow's {@code plist_ldap}, which its SOGo start-up passes through {@code envsubst}: besides
     * {@link #xml}, every {@code $} becomes {@code &#36;} so that no part of a value is taken for a variable.
     */
    public String plist(String value) {
        return xml(value).replace("$", "&#36;");
    }

    /**
     * The inside of a double-quoted value in a Dovecot settings file, taken literally: {@code \} and {@code "}
     * escaped with a backslash. Dovecot has no way to write a line break there, so one is refused.
     */
    public String dovecot(String value) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\n' || c == '\r' || c == '\0') {
                throw new IllegalArgumentException(
                        "value contains a line break or NUL, which a Dovecot setting cannot hold (position " + i + ")");
            }
            if (c == '\\' || c == '"') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    /**
     * Like {@link #dovecot}, for the settings in which Dovecot expands {@code %} variables ({@code base},
     * {@code user_filter}, {@code pass_filter}): a literal {@code %} is doubled.
     */
    public String dovecotExpanded(String value) {
        return dovecot(value).replace("%", "%%");
    }

    /** One shell word that stands for exactly the value: single-quoted, each {@code '} written as {@code '\''}. */
    public String shell(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("value contains a NUL character, which a shell word cannot hold");
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }

    private static boolean isXmlChar(String value, int i) {
        char c = value.charAt(i);
        if (c < 0x20) {
            return c == '\t' || c == '\n';
        }
        if (Character.isHighSurrogate(c)) {
            return i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return i > 0 && Character.isHighSurrogate(value.charAt(i - 1));
        }
        return c != 0xFFFE && c != 0xFFFF;
    }
}
