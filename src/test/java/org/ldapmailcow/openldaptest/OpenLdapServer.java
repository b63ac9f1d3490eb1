package org.ldapmailcow.openldaptest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Connection data of the OpenLDAP test server that {@code .ci/openldap/start.sh} runs: each value from the
 * environment variable of the same name ({@code OL_LDAP_URI}, ...) or else from {@code $OL_DIR/openldap.env}
 * (default {@code /tmp/openldap-test/openldap.env}).
 */
public record OpenLdapServer(String ldapUri, String baseDn, String ouDn, String bindDn, String bindPassword,
                             String adminDn, String adminPassword, String userPassword, int sizeLimit,
                             String source) {

    static final Path DEFAULT_DIR = Path.of("/tmp/openldap-test");
    private static final Pattern LINE = Pattern.compile("^\\s*([A-Z_][A-Z0-9_]*)='([^']*)'");

    /** Whether {@code CI=true}: then a missing server is a failure, not a skip. */
    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    static OpenLdapServer fromEnvironment(Map<String, String> env) {
        Path dir = env.get("OL_DIR") == null ? DEFAULT_DIR : Path.of(env.get("OL_DIR"));
        Path file = dir.resolve("openldap.env");
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
        } else if (env.containsKey("OL_LDAP_URI")) {
            source = "environment";
        } else {
            throw new IllegalStateException("no OpenLDAP test server configured: neither OL_LDAP_URI nor " + file
                    + " (start one with .ci/openldap/start.sh && seed.sh, as root)");
        }
        env.forEach((k, v) -> {
            if (k.startsWith("OL_") && !v.isEmpty()) {
                values.put(k, v);
            }
        });
        List<String> missing = List.of("OL_LDAP_URI", "OL_BASE_DN", "OL_BIND_DN", "OL_BIND_PASS", "OL_ADMIN_DN",
                "OL_ADMIN_PASS").stream().filter(k -> values.get(k) == null).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("OpenLDAP test server settings from " + source + " lack " + missing);
        }
        String base = values.get("OL_BASE_DN");
        return new OpenLdapServer(values.get("OL_LDAP_URI"), base, values.getOrDefault("OL_OU_DN", "ou=Mail Users," + base),
                values.get("OL_BIND_DN"), values.get("OL_BIND_PASS"), values.get("OL_ADMIN_DN"),
                values.get("OL_ADMIN_PASS"), values.get("OL_USER_PASS"),
                Integer.parseInt(values.getOrDefault("OL_SIZE_LIMIT", "500")), source);
    }

    /** Skips the test with the reason when the server's content is not as required; fails it under CI=true. */
    public static void assume(boolean condition, String reason) {
        if (condition) {
            return;
        }
        if (inCi()) {
            Assertions.fail("CI=true and the OpenLDAP test server is not as required: " + reason);
        }
        Assumptions.abort(reason);
    }
}
