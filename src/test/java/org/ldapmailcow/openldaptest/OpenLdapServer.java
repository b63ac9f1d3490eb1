package org.ldapmailcow.openldaptest;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.ldapmailcow.testservers.ServerSettings;

/**
 * Connection data of the OpenLDAP test server that {@code .ci/openldap/start.sh} runs: each value from the
 * environment variable of the same name ({@code OL_LDAP_URI}, ...) or else from {@code $OL_DIR/openldap.env}
 * (default {@code /tmp/openldap-test/openldap.env}).
 */
public record OpenLdapServer(String ldapUri, String baseDn, String ouDn, String bindDn, String bindPassword,
                             String adminDn, String adminPassword, String userPassword, int sizeLimit,
                             String source) {

    static final Path DEFAULT_DIR = Path.of("/tmp/openldap-test");

    /** Whether {@code CI=true}: then a missing server is a failure, not a skip. */
    public static boolean inCi() {
        return ServerSettings.inCi();
    }

    static OpenLdapServer fromEnvironment(Map<String, String> env) {
        ServerSettings values = ServerSettings.read(env, "OL_", DEFAULT_DIR, "openldap.env", "OpenLDAP test server",
                "start one with .ci/openldap/start.sh && seed.sh, as root",
                List.of("OL_LDAP_URI", "OL_BASE_DN", "OL_BIND_DN", "OL_BIND_PASS", "OL_ADMIN_DN", "OL_ADMIN_PASS"));
        String source = values.source();
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
