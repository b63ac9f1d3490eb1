package org.ldapmailcow.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ldapmailcow.Launcher;
import org.ldapmailcow.adtest.AdDc;
import org.ldapmailcow.adtest.AdTest;
import org.ldapmailcow.config.Settings;
import org.ldapmailcow.demo.AliasView;
import org.ldapmailcow.demo.MailboxView;
import org.ldapmailcow.model.CycleRun;

/**
 * Issue 14 against a real Active Directory (the Samba AD DC): a leaver disabled in AD walks through staged
 * offboarding to deactivation and back; a user moved out of the base DN and back within the miss window loses
 * nothing. Its own users under its own OUs, removed afterwards.
 */
@AdTest
class AdOffboardingTest {

    @TempDir
    Path work;

    private SyncHarness harness(AdDc dc, String base, String... overrides) throws Exception {
        Map<String, String> env = new HashMap<>();
        String p = Settings.PREFIX;
        env.put(p + "LDAP_URI", dc.ldapUri());
        env.put(p + "LDAP_GC_URI", dc.gcUri());
        env.put(p + "LDAP_DOMAIN", dc.domain());
        env.put(p + "LDAP_BASE_DN", base);
        env.put(p + "LDAP_BIND_DN", dc.bindDn());
        env.put(p + "LDAP_BIND_DN_PASSWORD", dc.bindPassword());
        env.put(p + "OFFBOARDING", "staged");
        for (int i = 0; i < overrides.length; i += 2) {
            env.put(p + overrides[i], overrides[i + 1]);
        }
        return new SyncHarness(work, env);
    }

    private static void succeeds(CycleRun run) {
        assertThat(Launcher.exitCode(run)).as("%s %s", run.error(), run.failures()).isZero();
    }

    private static MailboxView mailbox(SyncHarness h, String email) {
        return h.mailcow.mailboxes().get(email);
    }

    private static AliasView alias(SyncHarness h, String address) {
        return h.mailcow.aliases().get(address);
    }

    @Test
    void aLeaverDisabledInAdIsStagedDeactivatedAfterTheDaysAndRestoredWhenEnabledAgain(AdDc dc) throws Exception {
        String ou = "OU=Offboarding Staged," + dc.ouDn();
        String oli = "oli@example.local";
        try (AdAdmin ad = new AdAdmin(dc)) {
            ad.deleteTree(ou);
            ad.addOu(ou);
            try (SyncHarness h = harness(dc, ou, "OFFBOARDING_DAYS", "30")) {
                String dn = ad.addUser(ou, "oli", oli, "Oli Off", "smtp:oliver@example.local");
                succeeds(h.cycle());
                assertThat(mailbox(h, oli).active()).isTrue();
                assertThat(mailbox(h, oli).userAcl()).doesNotContain("app_passwds");
                h.mailcow.addAppPassword(oli, "Phone");

                ad.replace(dn, "userAccountControl", "546");     // disabled
                succeeds(h.cycle());
                assertThat(mailbox(h, oli).loginDisallowed()).isTrue();
                assertThat(h.mailcow.appPasswords(oli)).isEmpty();
                assertThat(alias(h, "oliver@example.local").active()).isTrue();
                assertThat(alias(h, "oliver@example.local").sogoVisible()).isFalse();

                h.clock.advance(Duration.ofDays(30));
                succeeds(h.cycle());
                assertThat(mailbox(h, oli).active()).isFalse();
                assertThat(alias(h, "oliver@example.local").active()).isFalse();

                ad.replace(dn, "userAccountControl", "544");     // enabled again
                succeeds(h.cycle());
                assertThat(mailbox(h, oli).active()).isTrue();
                assertThat(mailbox(h, oli).loginDisallowed()).isFalse();
                assertThat(alias(h, "oliver@example.local").active()).isTrue();
                assertThat(alias(h, "oliver@example.local").sogoVisible()).isTrue();
                assertThat(h.mailcow.appPasswords(oli)).isEmpty();
            } finally {
                ad.deleteTree(ou);
            }
        }
    }

    @Test
    void aUserMovedOutOfTheBaseAndBackWithinTheMissWindowLosesNothing(AdDc dc) throws Exception {
        String ou = "OU=Offboarding Base," + dc.ouDn();
        String outside = "OU=Offboarding Outside," + dc.ouDn();
        String pia = "pia@example.local";
        try (AdAdmin ad = new AdAdmin(dc)) {
            ad.deleteTree(ou);
            ad.deleteTree(outside);
            ad.addOu(ou);
            ad.addOu(outside);
            try (SyncHarness h = harness(dc, ou, "MISSES_BEFORE_REMOVAL", "2")) {
                String dn = ad.addUser(ou, "pia", pia, "Pia Pe", "smtp:pia.pe@example.local");
                ad.addUser(ou, "quinn", "quinn@example.local", "Quinn Q");
                succeeds(h.cycle());
                h.mailcow.addAppPassword(pia, "Phone");
                h.mailcow.resetRequests();

                String moved = ad.move(dn, "CN=pia," + outside);
                succeeds(h.cycle());
                assertThat(mailbox(h, pia).active()).isTrue();
                assertThat(mailbox(h, pia).loginDisallowed()).isFalse();
                assertThat(alias(h, "pia.pe@example.local").sogoVisible()).isTrue();

                ad.move(moved, dn);
                succeeds(h.cycle());
                assertThat(h.mailcow.writeCount()).as("nothing deactivated, hidden or revoked").isZero();
                assertThat(mailbox(h, pia).active()).isTrue();
                assertThat(h.mailcow.appPasswords(pia)).containsExactly("Phone");
                assertThat(h.rows("SELECT missed_cycles FROM users WHERE email = '" + pia + "'").get(0))
                        .containsEntry("missed_cycles", 0);
            } finally {
                ad.deleteTree(ou);
                ad.deleteTree(outside);
            }
        }
    }
}
