package org.ldapmailcow.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.naming.directory.SearchControls;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ldapmailcow.Launcher;
import org.ldapmailcow.adtest.AdDc;
import org.ldapmailcow.adtest.AdTest;
import org.ldapmailcow.config.Settings;
import org.ldapmailcow.model.CycleRun;

/**
 * Issue 16 on the Samba AD DC: cycles between full ones read only what changed (uSNChanged above the last read's
 * highestCommittedUSN, from the naming context, deleted objects included), and an unchanged directory costs one
 * empty search. The searches are counted on the wire by an LDAP proxy in front of the DC.
 */
@AdTest
class AdDeltaTest {

    @TempDir
    Path work;

    private SyncHarness harness(AdDc dc, CountingLdapProxy proxy, String ou, boolean admin) throws Exception {
        Map<String, String> env = new HashMap<>();
        String p = Settings.PREFIX;
        env.put(p + "LDAP_URI", proxy.uri());
        env.put(p + "LDAP_GC_URI", dc.gcUri());
        env.put(p + "LDAP_DOMAIN", dc.domain());
        env.put(p + "LDAP_BASE_DN", ou);
        // the administrator may read deleted objects (CN=Deleted Objects); the fixture's bind account may not
        env.put(p + "LDAP_BIND_DN", admin ? dc.adminDn() : dc.bindDn());
        env.put(p + "LDAP_BIND_DN_PASSWORD", admin ? dc.adminPassword() : dc.bindPassword());
        env.put(p + "FULL_SYNC_EVERY", "1000");
        return new SyncHarness(work, env);
    }

    private static String unique(String name) {
        return name + " " + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void eachKindOfChangeIsPickedUpByTheNextDeltaCycleAndAnUnchangedDirectoryCostsOneEmptySearch(AdDc dc)
            throws Exception {
        String ou = "OU=" + unique("Delta") + "," + dc.ouDn();
        String outside = "OU=" + unique("Delta Outside") + "," + dc.ouDn();
        try (AdAdmin ad = new AdAdmin(dc); CountingLdapProxy proxy = new CountingLdapProxy(dc.ldapUri())) {
            ad.addOu(ou);
            ad.addOu(outside);
            try (SyncHarness h = harness(dc, proxy, ou, true)) {
                String kim = ad.addUser(ou, "dkim", "dkim@example.local", "Kim Kay", "smtp:dkimmy@example.local");
                String lee = ad.addUser(ou, "dlee", "dlee@example.local", "Lee Lo");
                String max = ad.addUser(ou, "dmax", "dmax@example.local", "Max Mo");
                String oz = ad.addUser(ou, "doz", "doz@example.local", "Oz Oh");
                String inner = ad.addGroup(ou, "Delta Inner", null, List.of(kim));
                ad.addGroup(ou, "Delta Team", "delta-team@example.local", List.of(inner, oz));
                CycleRun first = h.cycle();
                assertThat(Launcher.exitCode(first)).isZero();
                assertThat(first.directoryRead()).startsWith("full read: first cycle");
                assertThat(h.mailcow.mailboxes()).containsKeys("dkim@example.local", "dlee@example.local",
                        "dmax@example.local", "doz@example.local");
                assertThat(h.mailcow.aliases().get("delta-team@example.local").gotos())
                        .containsExactlyInAnyOrder("dkim@example.local", "doz@example.local");

                unchangedCycleMakesOneEmptySearchAndNoMailcowRequest(h, proxy);

                ad.replace(lee, "displayName", "Lee Lo-Long");              // attribute
                ad.replace(kim, "userAccountControl", "546");               // disable
                ad.addUser(ou, "dned", "dned@example.local", "Ned New");     // new user
                ad.replace(inner, "member", kim, lee);                      // membership of a nested group
                ad.move(max, "CN=dmax," + outside);                         // out of the base DN
                ad.delete(oz);                                              // delete
                h.mailcow.resetRequests();
                CycleRun delta = h.cycle();

                assertThat(Launcher.exitCode(delta)).isZero();
                assertThat(delta.full).isFalse();
                assertThat(delta.directoryRead()).startsWith("delta: ");
                assertThat(h.mailcow.mailboxes().get("dlee@example.local").name()).isEqualTo("Lee Lo-Long");
                assertThat(h.mailcow.mailboxes().get("dkim@example.local").active()).isFalse();
                assertThat(h.mailcow.aliases().get("dkimmy@example.local").active()).isFalse();
                assertThat(h.mailcow.mailboxes().get("dned@example.local").active()).isTrue();
                assertThat(h.mailcow.mailboxes().get("dmax@example.local").active()).as("moved out").isFalse();
                assertThat(h.mailcow.mailboxes().get("doz@example.local").active()).as("deleted").isFalse();
                assertThat(h.mailcow.aliases().get("delta-team@example.local").gotos()).as("nested membership")
                        .containsExactly("dlee@example.local");
                assertThat(h.mailcow.requests()).noneMatch(r -> r.endpoint().startsWith("GET"));

                unchangedCycleMakesOneEmptySearchAndNoMailcowRequest(h, proxy);

                // a DC whose database was restored: another invocation id, or a USN behind the stored one
                h.execute("UPDATE meta SET value = '00' WHERE key = 'directory_invocation'");
                CycleRun restored = h.cycle();
                assertThat(restored.full).isFalse();
                assertThat(restored.directoryRead()).startsWith("full read: ").contains("invocation id changed");
                assertThat(Launcher.exitCode(restored)).isZero();

                h.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 100000 WHERE key = 'directory_counter'");
                CycleRun behind = h.cycle();
                assertThat(behind.directoryRead()).startsWith("full read: ").contains("went back");
                assertThat(Launcher.exitCode(behind)).isZero();
                assertThat(h.cycle().directoryRead()).as("after the full read, deltas again").startsWith("unchanged");
            } finally {
                ad.deleteTree(ou);
                ad.deleteTree(outside);
            }
        }
    }

    /**
     * A delta cycle on an unchanged directory: the rootDSE and the DC's NTDS Settings (its invocation id) are read,
     * and one search for changed entries returns nothing; mailcow is not asked. The DC is shared: when someone
     * else's change lands in between, the measure is taken again (a few times).
     */
    private static void unchangedCycleMakesOneEmptySearchAndNoMailcowRequest(SyncHarness h, CountingLdapProxy proxy)
            throws Exception {
        for (int attempt = 1; ; attempt++) {
            proxy.reset();
            h.mailcow.resetRequests();
            CycleRun run = h.cycle();
            assertThat(Launcher.exitCode(run)).isZero();
            assertThat(run.directoryRead()).startsWith("unchanged: ");
            assertThat(h.mailcow.requests()).as("mailcow requests of an unchanged delta cycle").isEmpty();
            List<CountingLdapProxy.Search> subtree = proxy.searches().stream()
                    .filter(s -> s.scope == SearchControls.SUBTREE_SCOPE).toList();
            assertThat(subtree).as("searches below the rootDSE").hasSize(1);
            assertThat(subtree.get(0).filter).startsWith("(uSNChanged>=");
            assertThat(proxy.searches()).as("besides it, the rootDSE and the NTDS Settings").hasSize(3)
                    .allMatch(s -> s.scope == SearchControls.SUBTREE_SCOPE || s.scope == SearchControls.OBJECT_SCOPE);
            if (subtree.get(0).entries.get() == 0 || attempt == 5) {
                assertThat(subtree.get(0).entries.get()).as("entries the delta search returned").isZero();
                return;
            }
            Thread.sleep(2000);
        }
    }

    @Test
    void aBindAccountThatCannotSeeDeletedObjectsReadsAChangedDirectoryInFull(AdDc dc) throws Exception {
        String ou = "OU=" + unique("Delta Blind") + "," + dc.ouDn();
        try (AdAdmin ad = new AdAdmin(dc); CountingLdapProxy proxy = new CountingLdapProxy(dc.ldapUri())) {
            ad.addOu(ou);
            try (SyncHarness h = harness(dc, proxy, ou, false)) {
                String pia = ad.addUser(ou, "dpia", "dpia@example.local", "Pia Pe");
                ad.addUser(ou, "dquin", "dquin@example.local", "Quin Qu");
                assertThat(Launcher.exitCode(h.cycle())).isZero();
                ad.delete(pia);
                CycleRun run = h.cycle();
                assertThat(run.directoryRead()).startsWith("full read: ").contains("cannot read deleted objects");
                assertThat(Launcher.exitCode(run)).isZero();
                assertThat(h.mailcow.mailboxes().get("dpia@example.local").active()).isFalse();
            } finally {
                ad.deleteTree(ou);
            }
        }
    }
}
