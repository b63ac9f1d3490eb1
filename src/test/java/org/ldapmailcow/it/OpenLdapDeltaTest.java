package org.ldapmailcow.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ldapmailcow.it.OpenLdapSyncTest.addUser;
import static org.ldapmailcow.it.OpenLdapSyncTest.admin;
import static org.ldapmailcow.it.OpenLdapSyncTest.alias;
import static org.ldapmailcow.it.OpenLdapSyncTest.deleteTree;
import static org.ldapmailcow.it.OpenLdapSyncTest.harness;

import java.nio.file.Path;
import java.util.List;

import javax.naming.directory.SearchControls;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ldapmailcow.Launcher;
import org.ldapmailcow.model.CycleRun;
import org.ldapmailcow.openldaptest.OpenLdapServer;
import org.ldapmailcow.openldaptest.OpenLdapTest;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;

/**
 * Issue 16 on the real OpenLDAP test server (.ci/openldap, with the syncprov overlay): while the database's
 * contextCSN stands still a cycle reads no directory entry and asks mailcow nothing; after a change of any kind the
 * next cycle reads in full and picks it up. Searches are counted on the wire by an LDAP proxy in front of the server.
 */
@OpenLdapTest
class OpenLdapDeltaTest {

    @TempDir
    Path work;

    /** How one server type writes the test's users and group. */
    record Shape(String directory, String counter, List<String> ouClasses, String mailClass, String aliasAttribute,
                 List<String> groupClasses, String memberAttribute) {
    }

    static final Shape OPENLDAP = new Shape("openldap", "contextCSN", List.of("organizationalUnit"),
            "inetLocalMailRecipient", "mailLocalAddress", List.of("groupOfNames", "extensibleObject"), "member");

    @Test
    void anUnchangedDirectoryCostsNoEntryReadAndNoMailcowRequestAndEachChangeIsReadInFull(OpenLdapServer ol)
            throws Exception {
        unchangedCyclesAndChanges(work, ol, OPENLDAP);
    }

    /**
     * In an own OU: a first full cycle; then alternately an unchanged cycle and a change (an attribute of a user, a
     * user added to a group, a user deleted), each picked up by a full read.
     */
    static void unchangedCyclesAndChanges(Path work, OpenLdapServer server, Shape shape) throws Exception {
        String ou = "ou=Counter Delta," + server.baseDn();
        try (LDAPConnection ldap = admin(server); CountingLdapProxy proxy = new CountingLdapProxy(server.ldapUri())) {
            deleteTree(ldap, ou);
            List<String> ouClasses = shape.ouClasses();
            ldap.add(new Entry(ou, new Attribute("objectClass", ouClasses), new Attribute("ou", "Counter Delta")));
            try (SyncHarness h = harness(work, shape.directory(), server, "LDAP_URI", proxy.uri(),
                    "LDAP_BASE_DN", ou, "FULL_SYNC_EVERY", "1000")) {
                String kim = addUser(ldap, ou, "ckim", "Kim Kay", shape.mailClass(), shape.aliasAttribute());
                String lee = addUser(ldap, ou, "clee", "Lee Lo", shape.mailClass(), shape.aliasAttribute());
                String max = addUser(ldap, ou, "cmax", "Max Mo", shape.mailClass(), shape.aliasAttribute());
                String team = "cn=Counter Team," + ou;
                ldap.add(new Entry(team, new Attribute("objectClass", shape.groupClasses()),
                        new Attribute("cn", "Counter Team"), new Attribute("mail", "counter-team@example.local"),
                        new Attribute(shape.memberAttribute(), kim)));
                CycleRun first = h.cycle();
                assertThat(Launcher.exitCode(first)).isZero();
                assertThat(first.directoryRead()).startsWith("full read: first cycle");
                assertThat(h.mailcow.mailboxes()).containsOnlyKeys("ckim@example.local", "clee@example.local",
                        "cmax@example.local");
                assertThat(alias(h, "counter-team@example.local").gotos()).containsExactly("ckim@example.local");

                unchangedCycleReadsNoEntryAndAsksMailcowNothing(h, proxy, shape);

                ldap.modify(lee, new Modification(ModificationType.REPLACE, "displayName", "Lee Lo-Long"));
                readInFull(h, shape);
                assertThat(h.mailcow.mailboxes().get("clee@example.local").name()).isEqualTo("Lee Lo-Long");

                unchangedCycleReadsNoEntryAndAsksMailcowNothing(h, proxy, shape);

                ldap.modify(team, new Modification(ModificationType.ADD, shape.memberAttribute(), lee));
                readInFull(h, shape);
                assertThat(alias(h, "counter-team@example.local").gotos())
                        .containsExactlyInAnyOrder("ckim@example.local", "clee@example.local");

                ldap.delete(max);
                readInFull(h, shape);
                assertThat(h.mailcow.mailboxes().get("cmax@example.local").active()).as("deleted").isFalse();
                assertThat(h.mailcow.mailboxes().get("ckim@example.local").active()).isTrue();

                unchangedCycleReadsNoEntryAndAsksMailcowNothing(h, proxy, shape);
            } finally {
                deleteTree(ldap, ou);
            }
        }
    }

    /** The cycle after a change: not a full reconcile with mailcow, but a full directory read that says why. */
    private static void readInFull(SyncHarness h, Shape shape) throws Exception {
        CycleRun run = h.cycle();
        assertThat(Launcher.exitCode(run)).isZero();
        assertThat(run.full).isFalse();
        assertThat(run.directoryRead()).startsWith("full read: the directory changed (" + shape.counter());
    }

    /**
     * A cycle on an unchanged directory: only the counter is read (base searches of the rootDSE and the naming
     * context, no search below them), and mailcow is not asked. The server is shared: when someone else's write moves
     * the counter in between, that cycle reads in full and the measure is taken again (a few times).
     */
    private static void unchangedCycleReadsNoEntryAndAsksMailcowNothing(SyncHarness h, CountingLdapProxy proxy,
                                                                        Shape shape) throws Exception {
        for (int attempt = 1; ; attempt++) {
            proxy.reset();
            h.mailcow.resetRequests();
            CycleRun run = h.cycle();
            assertThat(Launcher.exitCode(run)).isZero();
            if (attempt < 5 && run.directoryRead().startsWith("full read: the directory changed (" + shape.counter())) {
                Thread.sleep(1000);
                continue;
            }
            assertThat(run.directoryRead()).isEqualTo("unchanged: " + shape.counter() + " unchanged");
            assertThat(h.mailcow.requests()).as("mailcow requests of an unchanged cycle").isEmpty();
            assertThat(proxy.searches()).as("searches of an unchanged cycle").isNotEmpty()
                    .allMatch(s -> s.scope == SearchControls.OBJECT_SCOPE);
            return;
        }
    }
}
