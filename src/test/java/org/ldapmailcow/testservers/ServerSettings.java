package org.ldapmailcow.testservers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The connection data of a test directory server that a {@code .ci} or {@code shared} start script runs: each
 * value from the environment variable of the same name ({@code AD_LDAP_URI}, {@code OL_BIND_PASS}, ...) or else
 * from the {@code NAME='value'} file the script writes.
 *
 * @param values the settings, environment variables winning over the file
 * @param source the file they were read from, or {@code environment}
 */
public record ServerSettings(Map<String, String> values, String source) {

    private static final Pattern LINE = Pattern.compile("^\\s*([A-Z_][A-Z0-9_]*)='([^']*)'");

    /** Whether {@code CI=true}: then a missing server is a failure, not a skip. */
    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /**
     * Reads the settings of the server whose variables start with {@code prefix} (e.g. {@code AD_}); the file is
     * {@code fileName} in {@code $<prefix>DIR}, or in {@code defaultDir}. Throws {@link IllegalStateException} with
     * the reason (and {@code howToStart}) when neither the file nor {@code <prefix>LDAP_URI} is there, or when a
     * {@code required} value is missing.
     */
    public static ServerSettings read(Map<String, String> env, String prefix, Path defaultDir, String fileName,
                                      String what, String howToStart, List<String> required) {
        String dirVariable = prefix + "DIR";
        Path dir = env.get(dirVariable) == null ? defaultDir : Path.of(env.get(dirVariable));
        Path file = dir.resolve(fileName);
        Map<String, String> values = new HashMap<>();
        String source;
        if (Files.isReadable(file)) {
            try {
                for (String line : Files.readAllLines(file)) {
                    Matcher m = LINE.matcher(line);
                    if (m.find()) {
                        values.put(m.group(1), m.group(2));
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + file + ": " + e.getMessage());
            }
            source = file.toString();
        } else if (env.containsKey(prefix + "LDAP_URI")) {
            source = "environment";
        } else {
            throw new IllegalStateException("no " + what + " configured: neither " + prefix + "LDAP_URI nor " + file
                    + " (" + howToStart + ")");
        }
        env.forEach((k, v) -> {
            if (k.startsWith(prefix) && !v.isEmpty()) {
                values.put(k, v);
            }
        });
        List<String> missing = required.stream().filter(k -> values.get(k) == null || values.get(k).isEmpty()).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException(what + " settings from " + source + " lack " + missing);
        }
        return new ServerSettings(values, source);
    }

    public String get(String name) {
        return values.get(name);
    }

    public String getOrDefault(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }
}
