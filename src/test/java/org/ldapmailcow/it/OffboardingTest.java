package org.ldapmailcow.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ldapmailcow.demo.DemoDirectory.DISABLED_ACCOUNT;
import static org.ldapmailcow.demo.DemoDirectory.NORMAL_ACCOUNT;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.ldapmailcow.Launcher;
import org.ldapmailcow.demo.AliasView;
import org.ldapmailcow.demo.MailboxView;
import org.ldapmailcow.model.CycleRun;

/**
 * Issue 14, staged offboarding: a leaver's mailbox first stops logins (mailcow's active=2, mail still accepted),
 * loses its app passwords and hides its aliases from SOGo; after LDAP_MAILCOW_OFFBOARDING_DAYS it is switched off;
 * nothing is deleted, and a returning user gets back what the tool manages. A user missing from fewer cycles than
 * LDAP_MAILCOW_MISSES_BEFORE_REMOVAL keeps everything. Against the embedded directory and the emulator.
 */
class OffboardingTest extends EmbeddedSyncTest {

    private static final String KIM = "kim@example.local";
    private static final String KIMMY = "kimmy@example.local";

    private MailboxView kim() {
        return h.mailcow.mailboxes().get(KIM);
    }

    private AliasView kimmy() {
        return h.mailcow.aliases().get(KIMMY);
    }

    private Map<String, Object> stateRow() throws Exception {
        return h.rows("SELECT offboarding_stage, offboarding_since, missed_cycles FROM users WHERE email = '" + KIM + "'")
                .get(0);
    }

    private static void succeeds(CycleRun run) {
        assertThat(Launcher.exitCode(run)).as("%s %s", run.error(), run.failures()).isZero();
    }

    private String addKim() {
        return h.directory.addUser("Kim", KIM, "Kim Kay", NORMAL_ACCOUNT, "smtp:" + KIMMY);
    }

    @Test
    void aDisabledLeaverIsStagedThenDeactivatedAfterTheDaysAndRestoredOnReturn() throws Exception {
        h.set("OFFBOARDING", "staged").set("OFFBOARDING_DAYS", "30");
        String dn = addKim();
        succeeds(h.cycle());
        assertThat(kim().userAcl()).as("created without the app_passwds ACL").doesNotContain("app_passwds");
        assertThat(kimmy().sogoVisible()).isTrue();
        h.mailcow.addAppPassword(KIM, "Phone");
        h.mailcow.addAppPassword(KIM, "Laptop");

        // day 0: disabled in the directory
        h.directory.setAttribute(dn, "userAccountControl", String.valueOf(DISABLED_ACCOUNT));
        succeeds(h.cycle());
        assertThat(kim().loginDisallowed()).as("active=2: mail accepted, no login").isTrue();
        assertThat(h.mailcow.appPasswords(KIM)).as("app passwords revoked").isEmpty();
        assertThat(kimmy().active()).as("the alias still delivers").isTrue();
        assertThat(kimmy().sogoVisible()).as("hidden from SOGo").isFalse();
        assertThat(stateRow().get("offboarding_stage")).isEqualTo("staged");
        assertThat(stateRow().get("offboarding_since")).isNotNull();

        // day 29: still staged, nothing written
        h.clock.advance(Duration.ofDays(29));
        h.mailcow.resetRequests();
        succeeds(h.cycle());
        assertThat(h.mailcow.writeCount()).isZero();
        assertThat(kim().loginDisallowed()).isTrue();

        // day 30: deactivated, nothing deleted
        h.clock.advance(Duration.ofDays(1).plusMinutes(1));
        succeeds(h.cycle());
        assertThat(kim().active()).isFalse();
        assertThat(kim().loginDisallowed()).isFalse();
        assertThat(kimmy()).as("aliases are never deleted in staged mode").isNotNull();
        assertThat(kimmy().active()).isFalse();
        assertThat(kimmy().sogoVisible()).isFalse();
        assertThat(stateRow().get("offboarding_stage")).isEqualTo("deactivated");

        // the user returns: what the tool manages comes back; revoked app passwords stay revoked
        h.directory.setAttribute(dn, "userAccountControl", String.valueOf(NORMAL_ACCOUNT));
        succeeds(h.cycle());
        assertThat(kim().active()).isTrue();
        assertThat(kim().loginDisallowed()).isFalse();
        assertThat(kimmy().active()).isTrue();
        assertThat(kimmy().sogoVisible()).isTrue();
        assertThat(h.mailcow.appPasswords(KIM)).isEmpty();
        assertThat(stateRow().get("offboarding_stage")).isNull();
        h.mailcow.resetRequests();
        succeeds(h.cycle());
        assertThat(h.mailcow.writeCount()).isZero();
    }

    @Test
    void aUserMissingFromFewerCyclesThanTheLimitKeepsEverythingAndAFailedCycleDoesNotCount() throws Exception {
        h.set("OFFBOARDING", "staged").set("MISSES_BEFORE_REMOVAL", "3").set("FULL_SYNC_EVERY", "1");
        String dn = addKim();
        succeeds(h.cycle());
        h.mailcow.addAppPassword(KIM, "Phone");

        // gone for two cycles, and a failed cycle in between: nothing changes
        h.directory.delete(dn);
        h.mailcow.resetRequests();
        succeeds(h.cycle());
        h.mailcow.setAvailable(false);
        assertThat(Launcher.exitCode(h.cycle())).isNotZero();
        h.mailcow.setAvailable(true);
        succeeds(h.cycle());
        assertThat(h.mailcow.writeCount()).isZero();
        assertThat(stateRow().get("missed_cycles")).isEqualTo(2);
        assertThat(kim().active()).isTrue();
        assertThat(kim().loginDisallowed()).isFalse();
        assertThat(kimmy().active()).isTrue();
        assertThat(kimmy().sogoVisible()).isTrue();
        assertThat(h.mailcow.appPasswords(KIM)).containsExactly("Phone");

        // back within the window: nothing was deactivated, the count starts again
        dn = addKim();
        succeeds(h.cycle());
        assertThat(h.mailcow.writeCount()).isZero();
        assertThat(stateRow().get("missed_cycles")).isEqualTo(0);

        // gone for three successful cycles: staged, its aliases hidden, not deleted
        h.directory.delete(dn);
        h.cycle();
        h.cycle();
        assertThat(kim().loginDisallowed()).isFalse();
        succeeds(h.cycle());
        assertThat(kim().loginDisallowed()).isTrue();
        assertThat(h.mailcow.appPasswords(KIM)).isEmpty();
        assertThat(kimmy()).isNotNull();
        assertThat(kimmy().active()).isTrue();
        assertThat(kimmy().sogoVisible()).isFalse();
    }

    @Test
    void aDryRunShowsTheStepsAndWritesNothing() throws Exception {
        h.set("OFFBOARDING", "staged");
        String dn = addKim();
        succeeds(h.cycle());
        h.mailcow.addAppPassword(KIM, "Phone");
        h.restart();
        h.set("DRY_RUN", "true");
        h.directory.setAttribute(dn, "userAccountControl", String.valueOf(DISABLED_ACCOUNT));
        h.mailcow.resetRequests();

        CycleRun run = h.cycle();

        assertThat(Launcher.exitCode(run)).isZero();
        assertThat(run.plan().describeWrites()).anySatisfy(line -> assertThat(line)
                .contains(KIM).contains("disallow login").contains("revoke app passwords"));
        assertThat(run.plan().describeWrites()).anySatisfy(line -> assertThat(line)
                .contains(KIMMY).contains("hide from SOGo"));
        assertThat(h.mailcow.writeCount()).isZero();
        assertThat(kim().active()).isTrue();
        assertThat(kim().loginDisallowed()).isFalse();
        assertThat(h.mailcow.appPasswords(KIM)).containsExactly("Phone");
    }
}
