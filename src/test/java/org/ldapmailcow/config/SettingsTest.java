package org.ldapmailcow.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {

    static Map<String, String> required() {
        Map<String, String> env = new HashMap<>();
        env.put("LDAP_MAILCOW_LDAP_URI", "ldap://dc.example.local");
        env.put("LDAP_MAILCOW_LDAP_GC_URI", "ldaps://dc.example.local:3269");
        env.put("LDAP_MAILCOW_LDAP_DOMAIN", "example.local");
        env.put("LDAP_MAILCOW_LDAP_BASE_DN", "OU=Mail Users,DC=example,DC=local");
        env.put("LDAP_MAILCOW_LDAP_BIND_DN", "CN=Bind DN,CN=Users,DC=example,DC=local");
        env.put("LDAP_MAILCOW_LDAP_BIND_DN_PASSWORD", "s3cret-bind");
        env.put("LDAP_MAILCOW_API_HOST", "https://mailcow.example.local/");
        env.put("LDAP_MAILCOW_API_KEY", "s3cret-key");
        env.put("LDAP_MAILCOW_API_QUOTA", "3072");
        env.put("LDAP_MAILCOW_SYNC_INTERVAL", "300");
        return env;
    }

    @Test
    void thePythonToolsVariablesAndDefaultsWork() {
        Settings s = Settings.from(required());
        assertThat(s.userFilter).isEqualTo("(&(objectClass=user)(objectCategory=person))");
        assertThat(s.sogoFilter).isEqualTo("objectClass='user' AND objectCategory='person'");
        assertThat(s.groupFilter).isEqualTo("(&(objectClass=group)(mail=*))");
        assertThat(s.groupMemberFilter).isEqualTo("(&(objectClass=person)(mail=*)(distinguishedName={MEMBER_CN}))");
        assertThat(s.apiHost).isEqualTo("https://mailcow.example.local");
        assertThat(s.quotaMiB).isEqualTo(3072);
        assertThat(s.syncIntervalSeconds).isEqualTo(300);
        assertThat(s.dbFile).isEqualTo(Path.of("db/ldap-mailcow.sqlite3"));
        assertThat(s.pageSize).isEqualTo(500);
        assertThat(s.userAcl).containsExactly("spam_alias", "tls_policy", "spam_score", "spam_policy",
                "delimiter_action", "quarantine", "quarantine_notification");
        assertThat(s.toString()).doesNotContain("s3cret");
        assertThat(s.toProperties().toString()).doesNotContain("s3cret");
    }

    @Test
    void everyProblemIsOneLineNamingItsVariable() {
        Map<String, String> env = required();
        env.remove("LDAP_MAILCOW_API_KEY");
        env.put("LDAP_MAILCOW_API_QUOTA", "lots");
        env.put("LDAP_MAILCOW_LDAP_URI", "dc.example.local");
        env.put("LDAP_MAILCOW_LDAP_FILTER", "(objectClass=user)");
        env.put("LDAP_MAILCOW_LDAP_GROUP_FILTER", "(broken");
        assertThatThrownBy(() -> Settings.from(env)).isInstanceOfSatisfying(SettingsException.class, e -> {
            assertThat(e.problems()).hasSize(5);
            assertThat(e.problems()).allSatisfy(p -> assertThat(p).startsWith("LDAP_MAILCOW_").doesNotContain("\n"));
            assertThat(String.join("\n", e.problems()))
                    .contains("LDAP_MAILCOW_API_KEY is required")
                    .contains("LDAP_MAILCOW_API_QUOTA must be a whole number, got 'lots'")
                    .contains("LDAP_MAILCOW_LDAP_URI must be a URI")
                    .contains("LDAP_MAILCOW_SOGO_LDAP_FILTER must be given together")
                    .contains("LDAP_MAILCOW_LDAP_GROUP_FILTER is not a valid LDAP filter");
        });
    }

    @Test
    void secretsAreReadFromFilesWithoutTheTrailingNewline(@TempDir Path dir) throws Exception {
        Path pw = Files.writeString(dir.resolve("pw"), "from-file\n");
        Path key = Files.writeString(dir.resolve("key"), "key-from-file\n");
        Map<String, String> env = required();
        env.remove("LDAP_MAILCOW_LDAP_BIND_DN_PASSWORD");
        env.remove("LDAP_MAILCOW_API_KEY");
        env.put("LDAP_MAILCOW_LDAP_BIND_DN_PASSWORD_FILE", pw.toString());
        env.put("LDAP_MAILCOW_API_KEY_FILE", key.toString());
        Settings s = Settings.from(env);
        assertThat(s.bindPassword()).isEqualTo("from-file");
        assertThat(s.apiKey()).isEqualTo("key-from-file");
    }

    @Test
    void memberFilterMustKeepItsPlaceholder() {
        Map<String, String> env = required();
        env.put("LDAP_MAILCOW_LDAP_GROUP_MEMBER_FILTER", "(objectClass=person)");
        assertThatThrownBy(() -> Settings.from(env)).hasMessageContaining("{MEMBER_CN}");
    }
}
