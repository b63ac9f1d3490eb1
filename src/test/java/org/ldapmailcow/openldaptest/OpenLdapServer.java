package org.ldapmailcow.openldaptest;

import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.ldapmailcow.testservers.ServerSettings;

/**
 * Connection data of the OpenLDAP test server that {@code .ci/openldap/start.sh} runs: each value from the
 * environment variable of the same name ({@code OL_LDAP_URI}, ...) or else from {@code $OL_DIR/openldap.env}
 * (default {@code /tmp/openldap-test/openldap.env}). The 389 DS test instance of {@code .ci/ds389} is described
 * the same way ({@link Kind#DS389}: {@code DS_LDAP_URI}, ..., {@code /tmp/ds389-test/ds389.env}).
 */
public record OpenLdapServer(String ldapUri, String baseDn, String ouDn, String bindDn, String bindPassword,
                             String adminDn, String adminPassword, String userPassword, int sizeLimit,
                             String source) {

    /** Which test server: where its settings are and how to start it. */
    public enum Kind {
        OPENLDAP("OpenLDAP test server", "OL_", "/tmp/openldap-test", "openldap.env", ".ci/openldap"),
        DS389("389 DS test instance", "DS_", "/tmp/ds389-test", "ds389.env", ".ci/ds389");

        final String label;
        final String prefix;
        final Path defaultDir;
        final String fileName;
        final String scripts;

        Kind(String label, String prefix, String defaultDir, String fileName, String scripts) {
            this.label = label;
            this.prefix = prefix;
            this.defaultDir = Path.of(defaultDir);
            this.fileName = fileName;
            this.scripts = scripts;
        }

        String startHint() {
            return scripts + "/start.sh && " + scripts + "/seed.sh";
        }
    }

    /** Whether {@code CI=true}: then a missing server is a failure, not a skip. */
    public static boolean inCi() {
        return ServerSettings.inCi();
    }

    static OpenLdapServer fromEnvironment(Map<String, String> env) {
        return fromEnvironment(env, Kind.OPENLDAP);
    }

    static OpenLdapServer fromEnvironment(Map<String, String> env, Kind kind) {
        String p = kind.prefix;
        ServerSettings values = ServerSettings.read(env, p, kind.defaultDir, kind.fileName, kind.label,
                "start one with " + kind.startHint() + ", as root",
                Stream.of("LDAP_URI", "BASE_DN", "BIND_DN", "BIND_PASS", "ADMIN_DN", "ADMIN_PASS").map(k -> p + k).toList());
        String base = values.get(p + "BASE_DN");
        return new OpenLdapServer(values.get(p + "LDAP_URI"), base, values.getOrDefault(p + "OU_DN", "ou=Mail Users," + base),
                values.get(p + "BIND_DN"), values.get(p + "BIND_PASS"), values.get(p + "ADMIN_DN"),
                values.get(p + "ADMIN_PASS"), values.get(p + "USER_PASS"),
                Integer.parseInt(values.getOrDefault(p + "SIZE_LIMIT", "500")), values.source());
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
