package org.ldapmailcow.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ldapmailcow.Launcher;
import org.ldapmailcow.adtest.AdDc;
import org.ldapmailcow.adtest.AdTest;
import org.ldapmailcow.adtest.OtherCa;
import org.ldapmailcow.config.Settings;
import org.ldapmailcow.demo.AliasView;
import org.ldapmailcow.model.CycleRun;

/**
 * Issue 8: the real service against a real Active Directory (the Samba AD DC of ../shared/ad-test-dc, seeded with
 * its fixture) and the mailcow emulator.
 */
@AdTest
class AdSyncTest {

    /** The fixture users only: bulk.sh's users are read by the paging test. */
    static final String FIXTURE_FILTER = "(&(objectClass=user)(objectCategory=person)(!(sAMAccountName=bulk*)))";
    static final String FIXTURE_SOGO_FILTER = "objectClass='user' AND objectCategory='person' AND NOT sAMAccountName='bulk*'";
    static final Set<String> FIXTURE_MAILBOXES = Set.of("alice@example.local", "bob@example.local",
            "carol@example.local", "dave@example.local", "eve@example.local", "grace.green@example.local",
            "heidi.mueller@example.local", "ivan@example.local", "judy@example.local");

    @TempDir
    Path work;

    private SyncHarness harness(AdDc dc, String... overrides) throws Exception {
        Map<String, String> env = new HashMap<>();
        String p = Settings.PREFIX;
        env.put(p + "LDAP_URI", dc.ldapUri());
        env.put(p + "LDAP_GC_URI", dc.gcUri());
        env.put(p + "LDAP_DOMAIN", dc.domain());
        env.put(p + "LDAP_BASE_DN", dc.ouDn());
        env.put(p + "LDAP_BIND_DN", dc.bindDn());
        env.put(p + "LDAP_BIND_DN_PASSWORD", dc.bindPassword());
        env.put(p + "LDAP_FILTER", FIXTURE_FILTER);
        env.put(p + "SOGO_LDAP_FILTER", FIXTURE_SOGO_FILTER);
        for (int i = 0; i < overrides.length; i += 2) {
            env.put(p + overrides[i], overrides[i + 1]);
        }
        return new SyncHarness(work, env);
    }

    private static AliasView alias(SyncHarness h, String address) {
        return h.mailcow.aliases().get(address);
    }

    @Test
    void theFixtureSyncsAsItsReadmeDescribesAndAnUnchangedCycleWritesNothing(AdDc dc) throws Exception {
        try (SyncHarness h = harness(dc)) {
            CycleRun run = h.cycle();
            assertThat(Launcher.exitCode(run)).isZero();

            // people only: no contact, no computer, nothing outside the base DN; no mailbox without mail
            assertThat(h.mailcow.mailboxes().keySet()).containsExactlyInAnyOrderElementsOf(FIXTURE_MAILBOXES);
            assertThat(h.mailcow.mailboxes().get("eve@example.local").active()).as("eve is disabled").isFalse();
            assertThat(h.mailcow.mailboxes().get("judy@example.local").active()).as("expired, not disabled").isTrue();
            assertThat(h.mailcow.mailboxes().get("heidi.mueller@example.local").name()).isEqualTo("Heidi Müller-Hill");
            assertThat(h.rows("SELECT email FROM users WHERE email LIKE 'grace%'"))
                    .extracting(r -> r.get("email")).containsExactly("grace.green@example.local");

            // proxyAddresses: SMTP/smtp only, own address none, primary differing from mail is one
            assertThat(alias(h, "alice.anderson@example.local").gotoList()).isEqualTo("alice@example.local");
            assertThat(alias(h, "a.anderson@example.local").gotoList()).isEqualTo("alice@example.local");
            assertThat(alias(h, "bobby@example.local").gotoList()).isEqualTo("bob@example.local");
            assertThat(alias(h, "carol.clark@example.local").gotoList()).isEqualTo("carol@example.local");
            assertThat(alias(h, "eve.evans@example.local").active()).isFalse();
            assertThat(alias(h, "ggreen@example.local").gotoList()).isEqualToIgnoringCase("grace.green@example.local");
            assertThat(h.mailcow.aliases().keySet()).noneMatch(a -> a.endsWith("@example.org") || !a.contains("@")
                    || a.startsWith("sip") || a.startsWith("x500") || a.startsWith("x400"));

            // nested distribution groups, the mail-enabled security group, the empty group
            assertThat(alias(h, "allstaff@example.local").gotos()).containsExactlyInAnyOrder("alice@example.local",
                    "bob@example.local", "carol@example.local", "dave@example.local", "ivan@example.local");
            assertThat(alias(h, "sales@example.local").gotos()).containsExactlyInAnyOrder("carol@example.local",
                    "dave@example.local", "ivan@example.local");
            assertThat(alias(h, "vertrieb@example.local").gotos()).containsExactlyInAnyOrder("carol@example.local",
                    "dave@example.local", "ivan@example.local");
            assertThat(alias(h, "sales-emea@example.local").gotos()).containsExactly("ivan@example.local");
            assertThat(alias(h, "support@example.local").gotos()).extracting(String::toLowerCase)
                    .containsExactlyInAnyOrder("grace.green@example.local", "heidi.mueller@example.local");
            assertThat(h.mailcow.aliases()).doesNotContainKey("empty@example.local");

            h.mailcow.resetRequests();
            h.restart();
            assertThat(Launcher.exitCode(h.cycle())).isZero();
            assertThat(h.mailcow.writeCount()).isZero();
        }
    }

    @Test
    void thePythonToolsInChainFilterSelectsExactlyTheDocumentedUsers(AdDc dc) throws Exception {
        String group = "CN=MailEnabled," + dc.ouDn();
        try (SyncHarness h = harness(dc,
                "LDAP_FILTER", "(&(objectClass=user)(objectCategory=person)(!(sAMAccountName=bulk*))"
                        + "(memberOf:1.2.840.113556.1.4.1941:=" + group + "))",
                "SOGO_LDAP_FILTER", "objectClass='user' AND memberOf:1.2.840.113556.1.4.1941:='" + group + "'")) {
            assertThat(Launcher.exitCode(h.cycle())).isZero();
            // in chain: alice bob carol dave eve frank ivan judy; frank has no mail; eve is disabled
            assertThat(h.mailcow.mailboxes().keySet()).containsExactlyInAnyOrder("alice@example.local",
                    "bob@example.local", "carol@example.local", "dave@example.local", "eve@example.local",
                    "ivan@example.local", "judy@example.local");
            assertThat(h.mailcow.mailboxes().get("eve@example.local").active()).isFalse();
        }
    }

    @Test
    void aDomainRootBaseWithReferralsAndTheGlobalCatalogLoseNoEntry(AdDc dc) throws Exception {
        for (String uri : List.of(dc.ldapUri(), dc.gcUri())) {
            try (SyncHarness h = harness(dc, "LDAP_URI", uri, "LDAP_BASE_DN", dc.baseDn())) {
                CycleRun run = h.cycle();
                assertThat(Launcher.exitCode(run)).as(uri).isZero();
                assertThat(h.mailcow.mailboxes().keySet()).as(uri).containsAll(FIXTURE_MAILBOXES)
                        .contains("outsider@example.local");
            }
        }
    }

    @Test
    void pagedReadingCoversEveryBulkUser(AdDc dc) throws Exception {
        try (SyncHarness h = harness(dc, "LDAP_FILTER", "(&(objectClass=user)(objectCategory=person))",
                "SOGO_LDAP_FILTER", "objectClass='user' AND objectCategory='person'", "LDAP_PAGE_SIZE", "500")) {
            CycleRun run = h.cycle();
            AdDc.assume(run.plan() != null && run.plan().usersRead() > 1000,
                    "the DC has no bulk users (run ../shared/ad-test-dc/bulk.sh 2000)");
            assertThat(Launcher.exitCode(run)).isZero();
            long bulk = h.mailcow.mailboxes().keySet().stream().filter(m -> m.startsWith("bulk")).count();
            assertThat(bulk).isEqualTo(run.plan().usersRead() - 10);
            assertThat(alias(h, "bulk-list@example.local").gotos()).hasSize((int) bulk);
        }
    }

    @Test
    void ldapsWithTheDcsCaSyncsAndAnotherCaIsRefused(AdDc dc) throws Exception {
        AdDc.assume(dc.caCert() != null, "the DC's ad.env names no CA certificate");
        try (SyncHarness h = harness(dc, "LDAP_URI", dc.ldapsUri(), "LDAP_CA_FILE", dc.caCert().toString())) {
            assertThat(Launcher.exitCode(h.cycle())).isZero();
            assertThat(h.mailcow.mailboxes().keySet()).containsExactlyInAnyOrderElementsOf(FIXTURE_MAILBOXES);
        }
        Path other = OtherCa.pem(work);
        try (SyncHarness h = harness(dc, "LDAP_URI", dc.ldapsUri(), "LDAP_CA_FILE", other.toString())) {
            int code = new Launcher(Map.of(), System.out, System.err).once(Settings.from(h.env));
            assertThat(code).isEqualTo(Launcher.STARTUP_FAILED);
            assertThat(h.mailcow.writeCount()).isZero();
        }
    }

    @Test
    void directoryChangesShowUpAfterTheNextCycle(AdDc dc) throws Exception {
        String ou = "OU=Sync Changes," + dc.ouDn();
        try (AdAdmin ad = new AdAdmin(dc)) {
            ad.deleteTree(ou);
            ad.addOu(ou);
            try (SyncHarness h = harness(dc, "LDAP_BASE_DN", ou)) {
                String kim = ad.addUser(ou, "kim", "kim@example.local", "Kim Kay", "smtp:kimmy@example.local");
                String lee = ad.addUser(ou, "lee", "lee@example.local", "Lee Lo");
                String max = ad.addUser(ou, "max", "max@example.local", "Max Mo");
                String team = ad.addGroup(ou, "Change Team", "change-team@example.local", List.of(kim, lee));
                assertThat(Launcher.exitCode(h.cycle())).isZero();
                assertThat(h.mailcow.mailboxes()).containsKeys("kim@example.local", "lee@example.local", "max@example.local");

                ad.replace(kim, "userAccountControl", "546");          // disable
                ad.replace(lee, "displayName", "Lee Lo-Long");          // rename
                ad.replace(team, "member", lee, max);                   // membership change
                ad.delete(max);                                         // delete
                ad.addUser(ou, "ned", "ned@example.local", "Ned New");  // new user
                CycleRun run = h.cycle();

                assertThat(Launcher.exitCode(run)).isZero();
                assertThat(h.mailcow.mailboxes().get("kim@example.local").active()).isFalse();
                assertThat(alias(h, "kimmy@example.local").active()).isFalse();
                assertThat(h.mailcow.mailboxes().get("lee@example.local").name()).isEqualTo("Lee Lo-Long");
                assertThat(h.mailcow.mailboxes().get("max@example.local").active()).isFalse();
                assertThat(h.mailcow.mailboxes().get("ned@example.local").active()).isTrue();
                assertThat(alias(h, "change-team@example.local").gotos()).containsExactly("lee@example.local");

                h.mailcow.resetRequests();
                assertThat(Launcher.exitCode(h.cycle())).isZero();
                assertThat(h.mailcow.writeCount()).isZero();
            } finally {
                ad.deleteTree(ou);
            }
        }
    }
}
