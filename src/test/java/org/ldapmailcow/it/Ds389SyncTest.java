package org.ldapmailcow.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ldapmailcow.it.OpenLdapSyncTest.addUser;
import static org.ldapmailcow.it.OpenLdapSyncTest.admin;
import static org.ldapmailcow.it.OpenLdapSyncTest.alias;
import static org.ldapmailcow.it.OpenLdapSyncTest.deleteTree;
import static org.ldapmailcow.it.OpenLdapSyncTest.fixtureAliasesAndGroupsAndAnUnchangedCycle;
import static org.ldapmailcow.it.OpenLdapSyncTest.harness;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ldapmailcow.Launcher;
import org.ldapmailcow.model.CycleRun;
import org.ldapmailcow.openldaptest.Ds389Test;
import org.ldapmailcow.openldaptest.OpenLdapServer;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;

/**
 * Issue 13: the real service with {@code LDAP_MAILCOW_DIRECTORY=389ds} and nothing else of the directory set,
 * against a real 389 Directory Server (Debian's 389-ds-base, started and seeded by .ci/ds389: the sync account
 * reads through an ACI, nsAccountLock and nsUniqueId are operational attributes) and the mailcow emulator.
 */
@Ds389Test
class Ds389SyncTest {

    static final String DIRECTORY = "389ds";

    @TempDir
    Path work;

    private static String uniqueId(LDAPConnection ldap, String dn) throws Exception {
        return ldap.getEntry(dn, "nsUniqueId").getAttributeValue("nsUniqueId");
    }

    @Test
    void theFixtureSyncsWithThe389dsDefaultsAndAnUnchangedCycleWritesNothing(OpenLdapServer ds) throws Exception {
        try (SyncHarness h = harness(work, DIRECTORY, ds); LDAPConnection ldap = admin(ds)) {
            assertThat(Launcher.exitCode(h.cycle())).isZero();

            assertThat(h.mailcow.mailboxes().keySet()).containsExactlyInAnyOrder("alice@example.local",
                    "bob@example.local", "carol@example.local", "dave@example.local", "eve@example.local",
                    "heidi.mueller@example.local", "ivan@example.local");
            // the account locked with nsAccountLock is an inactive mailbox, not a missing user
            assertThat(h.mailcow.mailboxes().get("eve@example.local").active()).as("eve is locked").isFalse();
            assertThat(h.mailcow.mailboxes().get("alice@example.local").active()).isTrue();
            assertThat(h.mailcow.mailboxes().get("alice@example.local").name()).isEqualTo("Alice Anderson");
            assertThat(h.mailcow.mailboxes().get("heidi.mueller@example.local").name()).isEqualTo("Heidi Müller-Hill");
            assertThat(h.mailcow.mailboxes().get("bob@example.local").name()).as("no displayName").isEqualTo("bob");

            // the anchor is the server's nsUniqueId
            assertThat(h.rows("SELECT object_guid FROM users WHERE email = 'alice@example.local'"))
                    .extracting(r -> (String) r.get("object_guid"))
                    .containsExactly(uniqueId(ldap, "uid=alice," + ds.ouDn()));

            // mailAlternateAddress values are aliases; the locked user's alias is inactive
            fixtureAliasesAndGroupsAndAnUnchangedCycle(h);
        }
    }

    @Test
    void aLockARenameAndADeletionShowUpAfterTheNextCycle(OpenLdapServer ds) throws Exception {
        String ou = "ou=Sync Changes," + ds.baseDn();
        try (LDAPConnection ldap = admin(ds)) {
            deleteTree(ldap, ou);
            ldap.add(new Entry(ou, new Attribute("objectClass", "top", "organizationalUnit"),
                    new Attribute("ou", "Sync Changes")));
            try (SyncHarness h = harness(work, DIRECTORY, ds, "LDAP_BASE_DN", ou)) {
                String kim = addUser(ldap, ou, "kim", "Kim Kay", "mailRecipient", "mailAlternateAddress",
                        "kimmy@example.local");
                String lee = addUser(ldap, ou, "lee", "Lee Lo", "mailRecipient", "mailAlternateAddress");
                String max = addUser(ldap, ou, "max", "Max Mo", "mailRecipient", "mailAlternateAddress");
                String team = "cn=Change Team," + ou;
                ldap.add(new Entry(team, new Attribute("objectClass", "top", "groupOfUniqueNames", "mailGroup"),
                        new Attribute("cn", "Change Team"), new Attribute("mail", "change-team@example.local"),
                        new Attribute("uniqueMember", kim, lee)));
                assertThat(Launcher.exitCode(h.cycle())).isZero();
                assertThat(h.mailcow.mailboxes()).containsOnlyKeys("kim@example.local", "lee@example.local",
                        "max@example.local");
                assertThat(alias(h, "change-team@example.local").gotos())
                        .containsExactlyInAnyOrder("kim@example.local", "lee@example.local");
                String leeAnchor = uniqueId(ldap, lee);

                ldap.modify(kim, new Modification(ModificationType.ADD, "nsAccountLock", "TRUE"));
                // renamed: a new RDN and display name; nsUniqueId stays
                ldap.modifyDN(lee, "uid=leo", true);
                String leo = "uid=leo," + ou;
                ldap.modify(leo, new Modification(ModificationType.REPLACE, "displayName", "Leo Lo-Long"));
                ldap.modify(team, new Modification(ModificationType.REPLACE, "uniqueMember", leo, max));
                ldap.delete(max);
                addUser(ldap, ou, "ned", "Ned New", "mailRecipient", "mailAlternateAddress");
                CycleRun run = h.cycle();
                assertThat(Launcher.exitCode(run)).isZero();
                // the lastusn (USN plugin) moved: no delta, as 389 DS shows no deletions; a full read
                assertThat(run.full).isFalse();
                assertThat(run.directoryRead()).isEqualTo("full read: the directory changed (lastusn or "
                        + "lastchangenumber in the rootDSE), and 389 DS shows no deletions to a delta");

                assertThat(h.mailcow.mailboxes().get("kim@example.local").active()).as("locked").isFalse();
                assertThat(alias(h, "kimmy@example.local").active()).isFalse();
                assertThat(h.mailcow.mailboxes().get("lee@example.local").name()).isEqualTo("Leo Lo-Long");
                assertThat(h.mailcow.mailboxes().get("lee@example.local").active()).isTrue();
                assertThat(h.rows("SELECT object_guid FROM users WHERE email = 'lee@example.local'"))
                        .extracting(r -> (String) r.get("object_guid")).containsExactly(leeAnchor);
                assertThat(h.mailcow.mailboxes().get("max@example.local").active()).as("deleted").isFalse();
                assertThat(h.mailcow.mailboxes().get("ned@example.local").active()).isTrue();
                assertThat(alias(h, "change-team@example.local").gotos()).containsExactly("lee@example.local");

                ldap.modify(kim, new Modification(ModificationType.DELETE, "nsAccountLock"));
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
}
