package org.ldapmailcow.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads {@code LDAP_MAILCOW_*} variables: each read names the variable, its default and what it is for (so each
 * default is written once, where it is read), records the variable for {@code --help}, and collects a one-line
 * problem naming the variable instead of failing, so that start-up can name every problem at once.
 */
final class Environment {

    private final Map<String, String> env;
    private final List<String> problems = new ArrayList<>();
    private final Map<String, Variable> variables = new LinkedHashMap<>();

    Environment(Map<String, String> env) {
        this.env = env;
    }

    /** The variables read so far, in the order they were read. */
    List<Variable> variables() {
        return List.copyOf(variables.values());
    }

    List<String> problems() {
        return problems;
    }

    void problem(String text) {
        problems.add(text);
    }

    private void note(String name, boolean required, String def, String description) {
        variables.putIfAbsent(name, new Variable(name, required, def == null ? "" : def, description));
    }

    private String raw(String name) {
        String value = env.get(Settings.PREFIX + name);
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** No default of its own (one is derived from other settings when it is not set). */
    String optional(String name, String defaultText, String description) {
        note(name, false, defaultText, description);
        return raw(name);
    }

    String orDefault(String name, String def, String description) {
        note(name, false, def, description);
        String value = raw(name);
        return value == null ? def : value;
    }

    /** A directory shipped with the jar: unless set, the one beside the jar (any working directory works). */
    Path installed(String name, String def, String description) {
        note(name, false, def, "beside ldap-mailcow.jar" + (description.isEmpty() ? "" : "; " + description));
        String value = raw(name);
        return value != null ? Path.of(value) : InstallLocation.directory().resolve(def);
    }

    String required(String name, String description) {
        note(name, true, null, description);
        String value = raw(name);
        if (value == null) {
            problems.add(Settings.PREFIX + name + " is required but not set");
            return "";
        }
        return value;
    }

    /** A secret, given directly or in a file ({@code NAME_FILE}, e.g. a Docker secret). */
    String secret(String name, String description) {
        note(name, true, null, description + " (or " + Settings.PREFIX + name + "_FILE)");
        String prefixed = Settings.PREFIX + name;
        String direct = env.get(prefixed);
        String file = raw(name + "_FILE");
        if (file != null) {
            if (direct != null && !direct.isEmpty()) {
                problems.add(prefixed + " and " + prefixed + "_FILE are both set; use one");
                return "";
            }
            try {
                return stripOneTrailingNewline(Files.readString(Path.of(file)));
            } catch (IOException | RuntimeException e) {
                problems.add(prefixed + "_FILE: cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
                return "";
            }
        }
        if (direct == null || direct.isEmpty()) {
            problems.add(prefixed + " is required but not set (or set " + prefixed + "_FILE)");
            return "";
        }
        return direct;
    }

    String uri(String name, String description, String... schemes) {
        String value = required(name, description);
        if (value.isEmpty()) {
            return value;
        }
        String scheme = value.contains("://") ? value.substring(0, value.indexOf("://")).toLowerCase(Locale.ROOT) : "";
        if (!Arrays.asList(schemes).contains(scheme) || value.length() <= scheme.length() + 3) {
            problems.add(Settings.PREFIX + name + " must be a URI starting with " + String.join(":// or ", schemes)
                    + "://, got '" + value + "'");
        }
        return value;
    }

    String dn(String name, String description) {
        String value = required(name, description);
        if (!value.isEmpty()) {
            try {
                new javax.naming.ldap.LdapName(value);
            } catch (javax.naming.InvalidNameException | RuntimeException e) {
                problems.add(Settings.PREFIX + name + " is not a valid DN: '" + value + "'");
            }
        }
        return value;
    }

    /** Checks a filter that is set ({@code value}); {@code def} when it is not. */
    String ldapFilter(String name, String value, String def) {
        if (value == null) {
            return def;
        }
        try {
            com.unboundid.ldap.sdk.Filter.create(value.replace("{MEMBER_CN}", "x"));
        } catch (com.unboundid.ldap.sdk.LDAPException e) {
            problems.add(Settings.PREFIX + name + " is not a valid LDAP filter: " + e.getMessage());
        }
        return value;
    }

    /** A whole number in [min, max]; {@code def} null: required. */
    int integer(String name, Integer def, int min, int max, String description) {
        String value;
        if (def == null) {
            value = required(name, description);
        } else {
            note(name, false, def.toString(), description);
            value = raw(name);
        }
        if (value == null || value.isEmpty()) {
            return def == null ? 0 : def;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed < min || parsed > max) {
                problems.add(Settings.PREFIX + name + " must be between " + min + " and " + max + ", got " + value);
            }
            return parsed;
        } catch (NumberFormatException e) {
            problems.add(Settings.PREFIX + name + " must be a whole number, got '" + value + "'");
            return def == null ? 0 : def;
        }
    }

    boolean bool(String name, boolean def, String description) {
        note(name, false, Boolean.toString(def), description);
        String value = raw(name);
        if (value == null) {
            return def;
        }
        switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on": return true;
            case "false", "no", "0", "off": return false;
            default:
                problems.add(Settings.PREFIX + name + " must be true or false, got '" + value + "'");
                return def;
        }
    }

    <E extends Enum<E>> E choice(String name, Class<E> type, E def, String description) {
        String choices = Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT);
        note(name, false, def.name().toLowerCase(Locale.ROOT), description.isEmpty() ? choices : description);
        String value = raw(name);
        if (value == null) {
            return def;
        }
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problems.add(Settings.PREFIX + name + " must be one of " + choices + ", got '" + value + "'");
            return def;
        }
    }

    /** A list separated by commas or white space; {@code def} when not set (null: derived elsewhere). */
    List<String> list(String name, List<String> def, String description) {
        note(name, false, def == null ? null : String.join(",", def), description);
        String value = raw(name);
        if (value == null) {
            return def;
        }
        return Arrays.stream(value.split("[,\\s]+")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** An optional file that must be readable; {@code description}: what is used without it. */
    Path readableFile(String name, String description) {
        note(name, false, null, description);
        String value = raw(name);
        if (value == null) {
            return null;
        }
        Path path = Path.of(value);
        if (!Files.isReadable(path)) {
            problems.add(Settings.PREFIX + name + ": cannot read " + value);
        }
        return path;
    }

    private static String stripOneTrailingNewline(String value) {
        if (value.endsWith("\r\n")) {
            return value.substring(0, value.length() - 2);
        }
        return value.endsWith("\n") ? value.substring(0, value.length() - 1) : value;
    }
}
