package org.ldapmailcow.config;

/**
 * One {@code LDAP_MAILCOW_*} variable as the settings read it: its name (without the prefix), its default as
 * text (empty when it has none) and what it is for. {@code --help} and the README's table are made from these.
 */
public record Variable(String name, boolean required, String defaultText, String description) {

    public String fullName() {
        return Settings.PREFIX + name;
    }

    /** The variable's line in {@code --help}: the default first, then what it is for. */
    String helpLine() {
        String text = required ? description
                : defaultText.isEmpty() ? "(" + description + ")"
                : description.isEmpty() ? defaultText : defaultText + " (" + description + ")";
        return String.format("  %-38s %s", fullName(), text);
    }
}
