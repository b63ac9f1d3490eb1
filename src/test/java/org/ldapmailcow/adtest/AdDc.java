package org.ldapmailcow.adtest;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.ldapmailcow.testservers.ServerSettings;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.ldapmailcow.config.Settings;

/**
 * Connection data of the Samba AD test DC. Each value comes from the environment variable of the same name
 * ({@code AD_LDAP_URI}, {@code AD_BIND_PASS}, ...) or else from the {@code ad.env} file that
 * {@code start.sh} writes ({@code $AD_DIR/ad.env}, default {@code /tmp/ad-test-dc/ad.env}).
 */
public record AdDc(String ldapUri, String ldapsUri, String gcUri, String baseDn, String ouDn, String bindDn,
                   String bindPassword, String adminDn, String adminPassword, Path caCert, String source) {

    static final Path DEFAULT_DIR = Path.of("/tmp/ad-test-dc");

    /** Whether the environment variable {@code CI} is {@code true}: then a missing DC is a failure. */
    public static boolean inCi() {
        return ServerSettings.inCi();
    }

    /**
     * Reads the connection data; throws {@link IllegalStateException} with the reason when there is none.
     */
    static AdDc fromEnvironment(Map<String, String> env) {
        ServerSettings values = ServerSettings.read(env, "AD_", DEFAULT_DIR, "ad.env", "AD test DC",
                "start one with ../shared/ad-test-dc/start.sh && seed.sh",
                List.of("AD_LDAP_URI", "AD_BASE_DN", "AD_BIND_DN", "AD_BIND_PASS"));
        String source = values.source();
        String base = values.get("AD_BASE_DN");
        String ca = values.get("AD_CA_CERT");
        return new AdDc(values.get("AD_LDAP_URI"),
                values.getOrDefault("AD_LDAPS_URI", values.get("AD_LDAP_URI").replaceFirst("^ldap://(.*?)(:\\d+)?$",
                        "ldaps://$1:636")),
                values.getOrDefault("AD_GC_URI", values.get("AD_LDAP_URI").replaceFirst("^ldap://(.*?)(:\\d+)?$",
                        "ldap://$1:3268")),
                base, values.getOrDefault("AD_OU_DN", "OU=Mail Users," + base), values.get("AD_BIND_DN"),
                values.get("AD_BIND_PASS"), values.get("AD_ADMIN_DN"), values.get("AD_ADMIN_PASS"),
                ca == null ? null : Path.of(ca), source);
    }

    /** The DNS domain of the base DN: {@code DC=example,DC=local} gives {@code example.local}. */
    public String domain() {
        return Arrays.stream(baseDn.split(","))
                .map(String::strip)
                .filter(rdn -> rdn.toUpperCase(Locale.ROOT).startsWith("DC="))
                .map(rdn -> rdn.substring(3))
                .collect(Collectors.joining("."));
    }

    /**
     * The service's environment for this DC: LDAP URI, base DN, bind account and password, plus placeholder
     * mailcow values. {@code overrides} (full variable names, e.g. {@code LDAP_MAILCOW_LDAP_URI}) win.
     */
    public Map<String, String> environment(Map<String, String> overrides) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(Settings.PREFIX + "LDAP_URI", ldapUri);
        env.put(Settings.PREFIX + "LDAP_GC_URI", gcUri);
        env.put(Settings.PREFIX + "LDAP_DOMAIN", domain());
        env.put(Settings.PREFIX + "LDAP_BASE_DN", baseDn);
        env.put(Settings.PREFIX + "LDAP_BIND_DN", bindDn);
        env.put(Settings.PREFIX + "LDAP_BIND_DN_PASSWORD", bindPassword);
        env.put(Settings.PREFIX + "API_HOST", "https://mailcow.invalid");
        env.put(Settings.PREFIX + "API_KEY", "not-used-by-ad-tests");
        env.put(Settings.PREFIX + "API_QUOTA", "1024");
        env.put(Settings.PREFIX + "SYNC_INTERVAL", "300");
        env.putAll(overrides);
        return env;
    }

    /** {@link Settings} for this DC, see {@link #environment(Map)}. */
    public Settings settings(Map<String, String> overrides) {
        return Settings.from(environment(overrides));
    }

    public Settings settings() {
        return settings(Map.of());
    }

    /**
     * Like {@link Assumptions#assumeTrue(boolean, String)} for a precondition of the DC's content (e.g. bulk
     * users): skips the test with the reason, but fails it under {@code CI=true}.
     */
    public static void assume(boolean condition, String reason) {
        if (condition) {
            return;
        }
        if (inCi()) {
            Assertions.fail("CI=true and the AD test DC is not as required: " + reason);
        }
        Assumptions.abort(reason);
    }
}
