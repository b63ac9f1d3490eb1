package org.ldapmailcow.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ldapmailcow.Launcher;
import org.ldapmailcow.config.Settings;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;

/**
 * Issue 13: {@code LDAP_MAILCOW_DIRECTORY=389ds} with nothing else set, against the embedded UnboundID directory
 * holding entries as 389 Directory Server and FreeIPA write them ({@code nsAccountLock}, {@code nsUniqueId},
 * {@code ipaUniqueID}, {@code mailAlternateAddress}, {@code groupOfUniqueNames}). Not a real 389 DS: its access
 * rules, operational attributes and limits are not exercised here (README says so).
 */
class Ds389ProfileTest {

    static final String BASE = "dc=example,dc=local";
    static final String PEOPLE = "cn=users,cn=accounts," + BASE;
    static final String GROUPS = "cn=groups,cn=accounts," + BASE;
    static final String BIND_DN = "uid=sync,cn=sysaccounts," + BASE;
    /** Another suffix on the same server: outside the base DN. */
    static final String OTHER = "o=partners";
    static final String BIND_PASSWORD = "Passw0rd!Bind";

    @TempDir
    Path work;

    private static InMemoryDirectoryServer server() throws Exception {
        InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE, OTHER);
        config.setSchema(null);
        config.setListenerConfigs(
                InMemoryListenerConfig.createLDAPConfig("ldap", InetAddress.getLoopbackAddress(), 0, null));
        config.addAdditionalBindCredentials(BIND_DN, BIND_PASSWORD);
        InMemoryDirectoryServer server = new InMemoryDirectoryServer(config);
        server.add(new Entry(BASE, new Attribute("objectClass", "domain"), new Attribute("dc", "example")));
        for (String container : new String[] {"cn=accounts," + BASE, PEOPLE, GROUPS}) {
            server.add(new Entry(container, new Attribute("objectClass", "nsContainer"),
                    new Attribute("cn", container.substring(3, container.indexOf(',')))));
        }
        server.add(user("anna", "Anna Alm", null, "nsUniqueId", "66446001-1dd211b2-8000a0c1-7a6b0001",
                "mailAlternateAddress", "anna.alm@example.local"));
        server.add(user("bert", null, null, "nsUniqueId", "66446001-1dd211b2-8000a0c1-7a6b0002"));
        server.add(user("cleo", "Cleo Cole", "TRUE", "nsUniqueId", "66446001-1dd211b2-8000a0c1-7a6b0003",
                "mailAlternateAddress", "cleo.cole@example.local"));
        // FreeIPA: ipaUniqueID next to nsUniqueId
        server.add(user("dora", "Dora Dix", "FALSE", "ipaUniqueID", "6f1d2b3c-4a5b-11ee-8c99-0242ac120002",
                "nsUniqueId", "66446001-1dd211b2-8000a0c1-7a6b0004"));
        server.add(new Entry(OTHER, new Attribute("objectClass", "organization"), new Attribute("o", "partners")));
        server.add(new Entry("uid=pat," + OTHER, new Attribute("objectClass", "top", "person", "inetOrgPerson"),
                new Attribute("uid", "pat"), new Attribute("cn", "pat"), new Attribute("mail", "pat@partner.example")));
        // inner lists team again (a cycle) and a person outside the base DN
        server.add(new Entry("cn=inner," + GROUPS, new Attribute("objectClass", "top", "groupOfNames"),
                new Attribute("cn", "inner"), new Attribute("member", "uid=dora," + PEOPLE, "uid=cleo," + PEOPLE,
                        "cn=team," + GROUPS, "uid=pat," + OTHER)));
        server.add(new Entry("cn=team," + GROUPS, new Attribute("objectClass", "top", "groupOfUniqueNames",
                "mailGroup"), new Attribute("cn", "team"), new Attribute("mail", "team@example.local"),
                new Attribute("mailAlternateAddress", "crew@example.local"),
                new Attribute("uniqueMember", "uid=anna," + PEOPLE, "uid=bert," + PEOPLE + "#'0101'B",
                        "cn=inner," + GROUPS, "uid=gone," + PEOPLE)));
        server.startListening();
        return server;
    }

    private static Entry user(String uid, String displayName, String lock, String... more) {
        Entry entry = new Entry("uid=" + uid + "," + PEOPLE, new Attribute("objectClass", "top", "person",
                "organizationalPerson", "inetOrgPerson", "mailRecipient"), new Attribute("uid", uid),
                new Attribute("cn", uid), new Attribute("mail", uid + "@example.local"));
        if (displayName != null) {
            entry.addAttribute("displayName", displayName);
        }
        if (lock != null) {
            entry.addAttribute("nsAccountLock", lock);
        }
        for (int i = 0; i < more.length; i += 2) {
            entry.addAttribute(more[i], more[i + 1]);
        }
        return entry;
    }

    @Test
    void the389dsDefaultsSyncUsersLockedAccountsAliasesAndNestedUniqueMemberGroupsWithACycle() throws Exception {
        InMemoryDirectoryServer server = server();
        String uri = "ldap://127.0.0.1:" + server.getListenPort();
        String p = Settings.PREFIX;
        try (SyncHarness h = new SyncHarness(work, Map.of(p + "DIRECTORY", "389ds", p + "LDAP_URI", uri,
                p + "LDAP_GC_URI", uri, p + "LDAP_DOMAIN", "example.local", p + "LDAP_BASE_DN", BASE,
                p + "LDAP_BIND_DN", BIND_DN, p + "LDAP_BIND_DN_PASSWORD", BIND_PASSWORD))) {
            assertThat(Launcher.exitCode(h.cycle())).isZero();

            assertThat(h.mailcow.mailboxes().keySet()).containsExactlyInAnyOrder("anna@example.local",
                    "bert@example.local", "cleo@example.local", "dora@example.local");
            assertThat(h.mailcow.mailboxes().get("cleo@example.local").active()).as("nsAccountLock TRUE").isFalse();
            assertThat(h.mailcow.mailboxes().get("dora@example.local").active()).as("nsAccountLock FALSE").isTrue();
            assertThat(h.mailcow.mailboxes().get("bert@example.local").name()).isEqualTo("bert");
            assertThat(h.mailcow.aliases().get("anna.alm@example.local").gotoList()).isEqualTo("anna@example.local");
            assertThat(h.mailcow.aliases().get("cleo.cole@example.local").active()).isFalse();
            assertThat(h.mailcow.aliases().get("team@example.local").gotos())
                    .containsExactlyInAnyOrder("anna@example.local", "bert@example.local", "dora@example.local");
            assertThat(h.mailcow.aliases().get("crew@example.local").gotos())
                    .containsExactlyInAnyOrder("anna@example.local", "bert@example.local", "dora@example.local");
            assertThat(h.rows("SELECT email, object_guid FROM users ORDER BY email"))
                    .extracting(r -> r.get("email") + " " + r.get("object_guid")).containsExactly(
                            "anna@example.local 66446001-1dd211b2-8000a0c1-7a6b0001",
                            "bert@example.local 66446001-1dd211b2-8000a0c1-7a6b0002",
                            "cleo@example.local 66446001-1dd211b2-8000a0c1-7a6b0003",
                            "dora@example.local 6f1d2b3c-4a5b-11ee-8c99-0242ac120002");

            server.modify("uid=anna," + PEOPLE, new Modification(ModificationType.ADD, "nsAccountLock", "TRUE"));
            server.modify("uid=cleo," + PEOPLE, new Modification(ModificationType.REPLACE, "nsAccountLock", "FALSE"));
            assertThat(Launcher.exitCode(h.cycle())).isZero();
            assertThat(h.mailcow.mailboxes().get("anna@example.local").active()).isFalse();
            assertThat(h.mailcow.mailboxes().get("cleo@example.local").active()).isTrue();
            assertThat(h.mailcow.aliases().get("team@example.local").gotos())
                    .containsExactlyInAnyOrder("bert@example.local", "cleo@example.local", "dora@example.local");
        } finally {
            server.shutDown(true);
        }
    }
}
