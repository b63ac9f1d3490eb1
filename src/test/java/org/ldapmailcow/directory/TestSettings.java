package org.ldapmailcow.directory;

import java.util.LinkedHashMap;
import java.util.Map;

import org.ldapmailcow.config.Settings;

/** Settings for a directory at {@code uri} with the bind account of the in-memory test directories. */
final class TestSettings {

    static final String BASE = "DC=example,DC=local";
    static final String BIND_DN = "CN=Bind DN,CN=Users," + BASE;
    static final String BIND_PASSWORD = "Bind-Secret-0815";

    private TestSettings() {
    }

    static Settings of(String uri, Map<String, String> overrides) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(Settings.PREFIX + "LDAP_URI", uri);
        env.put(Settings.PREFIX + "LDAP_GC_URI", uri);
        env.put(Settings.PREFIX + "LDAP_DOMAIN", "example.local");
        env.put(Settings.PREFIX + "LDAP_BASE_DN", BASE);
        env.put(Settings.PREFIX + "LDAP_BIND_DN", BIND_DN);
        env.put(Settings.PREFIX + "LDAP_BIND_DN_PASSWORD", BIND_PASSWORD);
        env.put(Settings.PREFIX + "API_HOST", "https://mailcow.invalid");
        env.put(Settings.PREFIX + "API_KEY", "unused");
        env.put(Settings.PREFIX + "API_QUOTA", "1024");
        env.put(Settings.PREFIX + "SYNC_INTERVAL", "300");
        env.putAll(overrides);
        return Settings.from(env);
    }

    static Settings of(String uri) {
        return of(uri, Map.of());
    }
}
