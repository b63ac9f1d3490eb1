package org.ldapmailcow.ldap;

import java.util.Map;

import org.ldapmailcow.adtest.AdDc;
import org.ldapmailcow.config.Settings;

/** Settings for a directory at {@code uri} with the bind account of the in-memory test directories. */
final class TestSettings {

    static final String BASE = "DC=example,DC=local";
    static final String BIND_DN = "CN=Bind DN,CN=Users," + BASE;
    static final String BIND_PASSWORD = "Bind-Secret-0815";

    private TestSettings() {
    }

    static Settings of(String uri, Map<String, String> overrides) {
        AdDc directory = new AdDc(uri, uri, uri, BASE, "OU=Mail Users," + BASE, BIND_DN, BIND_PASSWORD, null, null,
                null, "test");
        return directory.settings(overrides);
    }

    static Settings of(String uri) {
        return of(uri, Map.of());
    }
}
