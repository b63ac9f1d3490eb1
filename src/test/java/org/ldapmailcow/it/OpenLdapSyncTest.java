package org.ldapmailcow.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.apache.logging.log4j.Level;
import org.ldapmailcow.Launcher;
import org.ldapmailcow.auth.LogCapture;
import org.ldapmailcow.config.Settings;
import org.ldapmailcow.demo.AliasView;
import org.ldapmailcow.openldaptest.OpenLdapServer;
import org.ldapmailcow.openldaptest.OpenLdapTest;
import org.ldapmailcow.model.CycleRun;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPURL;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchScope;

/**
 * Issue 13: the real service with {@code LDAP_MAILCOW_DIRECTORY=openldap} against a real OpenLDAP (Debian's slapd,
 * started and seeded by .ci/openldap: ppolicy and syncprov overlays, size limit 500) and the mailcow emulator. Only
 * the directory type is set: every filter and attribute is the type's default, except that the fixture tests leave
 * out the bulk users.
 */
@OpenLdapTest
class OpenLdapSyncTest {

    static final String FIXTURE_FILTER = "(&(objectClass=inetOrgPerson)(!(uid=bulk*)))";
    static final String FIXTURE_SOGO_FILTER = "objectClass='inetOrgPerson' AND NOT uid='bulk*'";
    /** A blank variable counts as unset: the directory type's default applies. */
    static final String DEFAULT = "";

    @TempDir
    Path work;

    private SyncHarness harness(OpenLdapServer ol, String... overrides) throws Exception {
        String[] all = new String[overrides.length + 4];
        all[0] = "LDAP_FILTER";
        all[1] = FIXTURE_FILTER;
        all[2] = "SOGO_LDAP_FILTER";
        all[3] = FIXTURE_SOGO_FILTER;
        System.arraycopy(overrides, 0, all, 4, overrides.length);
        return harness(work, "openldap", ol, all);
    }

    /** The service with only the directory type and the connection set (plus overrides: name, value, ...). */
    static SyncHarness harness(Path work, String directory, OpenLdapServer server, String... overrides)
            throws Exception {
        Map<String, String> env = new HashMap<>();
        String p = Settings.PREFIX;
        env.put(p + "DIRECTORY", directory);
        env.put(p + "LDAP_URI", server.ldapUri());
        env.put(p + "LDAP_GC_URI", server.ldapUri());
        env.put(p + "LDAP_DOMAIN", "example.local");
        env.put(p + "LDAP_BASE_DN", server.baseDn());
        env.put(p + "LDAP_BIND_DN", server.bindDn());
        env.put(p + "LDAP_BIND_DN_PASSWORD", server.bindPassword());
        for (int i = 0; i < overrides.length; i += 2) {
            env.put(p + overrides[i], overrides[i + 1]);
        }
        return new SyncHarness(work, env);
    }

    static AliasView alias(SyncHarness h, String address) {
        return h.mailcow.aliases().get(address);
    }

    /**
     * What the OpenLDAP and 389 DS fixtures (the same users and groups) give after a first cycle: the alias
     * attribute's values as user aliases, the locked user's inactive, nested groups expanded; then a cycle on the
     * unchanged directory writes nothing.
     */
    static void fixtureAliasesAndGroupsAndAnUnchangedCycle(SyncHarness h) throws Exception {
        assertThat(alias(h, "alice.anderson@example.local").gotoList()).isEqualTo("alice@example.local");
        assertThat(alias(h, "a.anderson@example.local").gotoList()).isEqualTo("alice@example.local");
        assertThat(alias(h, "bobby@example.local").gotoList()).isEqualTo("bob@example.local");
        assertThat(alias(h, "eve.evans@example.local").active()).isFalse();

        // groupOfNames nesting groupOfUniqueNames nesting a group without mail; locked, mail-less and
        // non-existent members left out
        assertThat(alias(h, "allstaff@example.local").gotos()).containsExactlyInAnyOrder("alice@example.local",
                "bob@example.local", "carol@example.local", "dave@example.local", "ivan@example.local");
        assertThat(alias(h, "sales@example.local").gotos()).containsExactlyInAnyOrder("carol@example.local",
                "dave@example.local", "ivan@example.local");
        assertThat(alias(h, "vertrieb@example.local").gotos()).containsExactlyInAnyOrder("carol@example.local",
                "dave@example.local", "ivan@example.local");
        assertThat(alias(h, "support@example.local").gotos()).containsExactly("heidi.mueller@example.local");
        assertThat(h.mailcow.aliases()).doesNotContainKey("empty@example.local");

        h.mailcow.resetRequests();
        h.restart();
        assertThat(Launcher.exitCode(h.cycle())).isZero();
        assertThat(h.mailcow.writeCount()).isZero();
    }

    static LDAPConnection admin(OpenLdapServer ol) throws LDAPException {
        LDAPURL url = new LDAPURL(ol.ldapUri());
        LDAPConnection connection = new LDAPConnection(url.getHost(), url.getPort());
        connection.bind(ol.adminDn(), ol.adminPassword());
        return connection;
    }

    @Test
    void theFixtureSyncsWithTheOpenLdapDefaultsAndAnUnchangedCycleWritesNothing(OpenLdapServer ol) throws Exception {
        try (SyncHarness h = harness(ol)) {
            CycleRun run = h.cycle();
            assertThat(Launcher.exitCode(run)).isZero();

            assertThat(h.mailcow.mailboxes().keySet()).containsExactlyInAnyOrder("alice@example.local",
                    "bob@example.local", "carol@example.local", "dave@example.local", "eve@example.local",
                    "heidi.mueller@example.local", "ivan@example.local");
            // the locked account (ppolicy's pwdAccountLockedTime) is an inactive mailbox, not a missing user
            assertThat(h.mailcow.mailboxes().get("eve@example.local").active()).as("eve is locked").isFalse();
            assertThat(h.mailcow.mailboxes().get("alice@example.local").active()).isTrue();
            assertThat(h.mailcow.mailboxes().get("alice@example.local").name()).isEqualTo("Alice Anderson");
            assertThat(h.mailcow.mailboxes().get("heidi.mueller@example.local").name()).isEqualTo("Heidi Müller-Hill");
            assertThat(h.mailcow.mailboxes().get("bob@example.local").name()).as("no displayName").isEqualTo("bob");

            // the anchor is entryUUID
            assertThat(h.rows("SELECT object_guid FROM users WHERE email = 'alice@example.local'"))
                    .extracting(r -> (String) r.get("object_guid")).singleElement().asString()
                    .matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

            // mailLocalAddress values are aliases; the locked user's alias is inactive
            fixtureAliasesAndGroupsAndAnUnchangedCycle(h);
        }
    }

    @Test
    void pagedReadingCoversEveryBulkUserPastTheServersSizeLimit(OpenLdapServer ol) throws Exception {
        try (SyncHarness h = harness(ol, "LDAP_FILTER", DEFAULT, "SOGO_LDAP_FILTER", DEFAULT,
                "LDAP_PAGE_SIZE", "500")) {
            CycleRun run = h.cycle();
            OpenLdapServer.assume(run.plan() != null && run.plan().usersRead() > ol.sizeLimit(),
                    "the server has no bulk users (run .ci/openldap/seed.sh)");
            assertThat(Launcher.exitCode(run)).isZero();
            long bulk = h.mailcow.mailboxes().keySet().stream().filter(m -> m.startsWith("bulk")).count();
            assertThat(bulk).isGreaterThan(ol.sizeLimit()).isEqualTo(run.plan().usersRead() - 8);
            assertThat(alias(h, "bulk-list@example.local").gotos()).hasSize((int) bulk);
        }
    }

    @Test
    void aPageSizeAboveTheServersLimitIsLoweredWithAWarningInsteadOfFailingTheCycle(OpenLdapServer ol) throws Exception {
        int tooLarge = ol.sizeLimit() * 2;
        try (SyncHarness h = harness(ol, "LDAP_FILTER", DEFAULT, "SOGO_LDAP_FILTER", DEFAULT,
                "LDAP_PAGE_SIZE", Integer.toString(tooLarge));
             LogCapture log = LogCapture.open(Level.WARN)) {
            CycleRun run = h.cycle();
            assertThat(Launcher.exitCode(run)).as(String.join("\n", log.lines())).isZero();
            OpenLdapServer.assume(run.plan().usersRead() > ol.sizeLimit(),
                    "the server has no bulk users (run .ci/openldap/seed.sh)");
            long bulk = h.mailcow.mailboxes().keySet().stream().filter(m -> m.startsWith("bulk")).count();
            assertThat(bulk).isEqualTo(run.plan().usersRead() - 8);
            assertThat(alias(h, "bulk-list@example.local").gotos()).hasSize((int) bulk);
            assertThat(log.lines()).filteredOn(line -> line.contains("page size " + tooLarge)).hasSize(1)
                    .first().asString().contains("LDAP_MAILCOW_LDAP_PAGE_SIZE");
        }
    }

    @Test
    void directoryChangesShowUpAfterTheNextCycle(OpenLdapServer ol) throws Exception {
        String ou = "ou=Sync Changes," + ol.baseDn();
        try (LDAPConnection ldap = admin(ol)) {
            deleteTree(ldap, ou);
            ldap.add(new Entry(ou, new Attribute("objectClass", "organizationalUnit"),
                    new Attribute("ou", "Sync Changes")));
            try (SyncHarness h = harness(ol, "LDAP_BASE_DN", ou, "LDAP_FILTER", DEFAULT,
                    "SOGO_LDAP_FILTER", DEFAULT)) {
                String kim = addUser(ldap, ou, "kim", "Kim Kay", "kimmy@example.local");
                String lee = addUser(ldap, ou, "lee", "Lee Lo");
                String max = addUser(ldap, ou, "max", "Max Mo");
                String team = "cn=Change Team," + ou;
                ldap.add(new Entry(team, new Attribute("objectClass", "groupOfNames", "extensibleObject"),
                        new Attribute("cn", "Change Team"), new Attribute("mail", "change-team@example.local"),
                        new Attribute("member", kim, lee)));
                assertThat(Launcher.exitCode(h.cycle())).isZero();
                assertThat(h.mailcow.mailboxes()).containsKeys("kim@example.local", "lee@example.local",
                        "max@example.local");
                assertThat(alias(h, "change-team@example.local").gotos())
                        .containsExactlyInAnyOrder("kim@example.local", "lee@example.local");

                ldap.modify(kim, new Modification(ModificationType.ADD, "pwdAccountLockedTime", "000001010000Z"));
                ldap.modify(lee, new Modification(ModificationType.REPLACE, "displayName", "Lee Lo-Long"));
                ldap.modify(team, new Modification(ModificationType.REPLACE, "member", lee, max));
                ldap.delete(max);
                addUser(ldap, ou, "ned", "Ned New");
                CycleRun run = h.cycle();

                assertThat(Launcher.exitCode(run)).isZero();
                // the contextCSN (syncprov overlay) moved: no delta, as OpenLDAP shows no deletions; a full read
                assertThat(run.full).isFalse();
                assertThat(run.directoryRead()).isEqualTo("full read: the directory changed (contextCSN of the naming "
                        + "context), and OpenLDAP shows no deletions to a delta");
                assertThat(h.mailcow.mailboxes().get("kim@example.local").active()).as("locked").isFalse();
                assertThat(alias(h, "kimmy@example.local").active()).isFalse();
                assertThat(h.mailcow.mailboxes().get("lee@example.local").name()).isEqualTo("Lee Lo-Long");
                assertThat(h.mailcow.mailboxes().get("max@example.local").active()).as("deleted").isFalse();
                assertThat(h.mailcow.mailboxes().get("ned@example.local").active()).isTrue();
                assertThat(alias(h, "change-team@example.local").gotos()).containsExactly("lee@example.local");

                ldap.modify(kim, new Modification(ModificationType.DELETE, "pwdAccountLockedTime"));
                assertThat(Launcher.exitCode(h.cycle())).isZero();
                assertThat(h.mailcow.mailboxes().get("kim@example.local").active()).as("unlocked").isTrue();

                h.mailcow.resetRequests();
                assertThat(Launcher.exitCode(h.cycle())).isZero();
                assertThat(h.mailcow.writeCount()).isZero();
            } finally {
                deleteTree(ldap, ou);
            }
        }
    }

    private static String addUser(LDAPConnection ldap, String ou, String uid, String displayName,
                                  String... aliases) throws LDAPException {
        return addUser(ldap, ou, uid, displayName, "inetLocalMailRecipient", "mailLocalAddress", aliases);
    }

    /** Adds an inetOrgPerson uid@example.local with an auxiliary class that allows the alias attribute. */
    static String addUser(LDAPConnection ldap, String ou, String uid, String displayName, String mailClass,
                          String aliasAttribute, String... aliases) throws LDAPException {
        String dn = "uid=" + uid + "," + ou;
        Entry entry = new Entry(dn, new Attribute("objectClass", "inetOrgPerson", mailClass),
                new Attribute("uid", uid), new Attribute("cn", uid), new Attribute("sn", uid),
                new Attribute("mail", uid + "@example.local"), new Attribute("displayName", displayName));
        if (aliases.length > 0) {
            entry.addAttribute(aliasAttribute, aliases);
        }
        ldap.add(entry);
        return dn;
    }

    static void deleteTree(LDAPConnection ldap, String dn) throws LDAPException {
        try {
            List<String> below = ldap.search(dn, SearchScope.SUB, "(objectClass=*)", "1.1").getSearchEntries()
                    .stream().map(Entry::getDN).sorted((a, b) -> b.length() - a.length()).toList();
            for (String entry : below) {
                ldap.delete(entry);
            }
        } catch (LDAPException e) {
            if (e.getResultCode() != ResultCode.NO_SUCH_OBJECT) {
                throw e;
            }
        }
    }
}
