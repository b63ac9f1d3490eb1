package org.ldapmailcow.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import org.ldapmailcow.auth.LogCapture;
import org.ldapmailcow.config.Settings;
import org.ldapmailcow.directory.Directory;
import org.ldapmailcow.model.CycleRun;
import org.ldapmailcow.model.MailboxChange;

/** The cycle bean without Camel: stopping (docker stop) and what it warns about. */
class CyclesTest {

    private final Cycles cycles = new Cycles(Settings.from(Map.ofEntries(
            Map.entry("LDAP_MAILCOW_LDAP_URI", "ldap://dc.example.local"),
            Map.entry("LDAP_MAILCOW_LDAP_GC_URI", "ldaps://dc.example.local:3269"),
            Map.entry("LDAP_MAILCOW_LDAP_DOMAIN", "example.local"),
            Map.entry("LDAP_MAILCOW_LDAP_BASE_DN", "OU=Mail Users,DC=example,DC=local"),
            Map.entry("LDAP_MAILCOW_LDAP_BIND_DN", "CN=Bind DN,CN=Users,DC=example,DC=local"),
            Map.entry("LDAP_MAILCOW_LDAP_BIND_DN_PASSWORD", "s3cret-bind"),
            Map.entry("LDAP_MAILCOW_API_HOST", "https://mailcow.example.local/"),
            Map.entry("LDAP_MAILCOW_API_KEY", "s3cret-key"),
            Map.entry("LDAP_MAILCOW_API_QUOTA", "3072"),
            Map.entry("LDAP_MAILCOW_SYNC_INTERVAL", "300"))));

    @Test
    void everyFailedAttemptCountsAndFiveInARowStopTheCycleAndItsRetries() {
        CycleRun run = cycles.begin();
        assertThat(run.transportFailed(1)).as("first failure of a write: try again").isTrue();
        assertThat(run.transportFailed(2)).isTrue();
        assertThat(run.transportFailed(4)).as("three retries at most").isFalse();
        run.unreachable("write A", "connection refused", true);
        assertThat(run.aborted()).isFalse();
        run.mailboxApplied(new MailboxChange(MailboxChange.Kind.CREATE, "ok@example.local", "Ok", true, "Ok", true, "r", "dn", null));
        // a success resets the count: two parallel writes failing twice each, then a fifth failure in a row
        assertThat(run.transportFailed(1)).isTrue();
        assertThat(run.transportFailed(1)).isTrue();
        assertThat(run.transportFailed(2)).isTrue();
        assertThat(run.transportFailed(2)).isTrue();
        assertThat(run.aborted()).isFalse();
        assertThat(run.transportFailed(1)).as("the fifth in a row stops the cycle: no retry").isFalse();
        assertThat(run.aborted()).isTrue();
        assertThat(run.error()).contains("5 times in a row");
    }

    @Test
    void aFailureNotCountedByTheRetryRuleCountsWhenTheItemFails() {
        CycleRun run = cycles.begin();
        for (int i = 0; i < 4; i++) {
            run.unreachable("write " + i, "HTTP 401", false);
        }
        assertThat(run.aborted()).isFalse();
        run.unreachable("write 4", "HTTP 401", false);
        assertThat(run.aborted()).isTrue();
    }

    @Test
    void aCycleUnderWayStopsSendingAndEndsAsStopped() {
        CycleRun run = cycles.begin();
        assertThat(cycles.aborted()).isFalse();

        cycles.stop();

        assertThat(cycles.aborted()).as("the apply routes skip every further change").isTrue();
        CycleRun finished = cycles.finish();
        assertThat(finished).isSameAs(run);
        assertThat(finished.stopped()).isTrue();
        assertThat(finished.succeeded()).isFalse();
        assertThat(Cycles.summary(finished)).startsWith("Cycle 1 stopped in")
                .contains("the service is stopping: nothing deactivated");
    }

    @Test
    void aDryRunWithoutAPlanSaysWhyAndThatNothingWasWritten() {
        CycleRun run = new CycleRun(4, true, true);
        run.fail("the directory did not answer");
        run.finish();

        assertThat(Cycles.summary(run)).matches("Dry run of cycle 4 in [0-9.]+ s \\(full reconcile\\): "
                + "aborted: the directory did not answer; nothing written");
    }

    @Test
    void aCycleThatBeginsWhileStoppingIsStoppedFromTheStart() {
        cycles.stop();
        assertThat(cycles.begin().stopped()).isTrue();
        assertThat(cycles.aborted()).isTrue();
    }

    @Test
    void aFinishedCycleStaysAsItEnded() {
        cycles.begin();
        CycleRun run = cycles.finish();

        cycles.stop();

        assertThat(run.stopped()).isFalse();
        assertThat(run.succeeded()).isTrue();
    }

    @Test
    void aSkippedEntryWarnsOnceNotEveryCycle() {
        var service = Fixtures.user("Backup Service", null, "Backup", false);
        var ann = Fixtures.user("Ann", "ann@example.local", "Ann", false);
        var ben = Fixtures.user("Ben", "ben@example.local", "Ben", false);

        List<String> first = warningsOfACycleWith(service, ann);
        List<String> second = warningsOfACycleWith(service, ann);
        List<String> third = warningsOfACycleWith(ben, ann);
        List<String> fourth = warningsOfACycleWith(service, ann, ben);

        assertThat(first).singleElement().asString().contains("Skipped CN=Backup Service").contains("no mail");
        assertThat(second).as("skipped as in the cycle before").isEmpty();
        assertThat(third).isEmpty();
        assertThat(fourth).as("back after a cycle without it").singleElement().asString().contains("CN=Backup Service");
        assertThat(cycles.current().plan().skips()).as("the run still counts it").hasSize(1);
    }

    @Test
    void aCycleThatReadsNoUserWarnsNamingTheBaseDnAndTheFilter() {
        List<String> empty = warningsOfACycleWith();

        assertThat(empty).as("nothing is managed yet, so the cycle succeeds; it must not do so silently")
                .singleElement().asString()
                .contains("read 0 users").contains("OU=Mail Users,DC=example,DC=local")
                .contains(Settings.DEFAULT_USER_FILTER)
                .contains("LDAP_MAILCOW_LDAP_BASE_DN").contains("LDAP_MAILCOW_LDAP_FILTER");
        assertThat(cycles.current().succeeded()).isTrue();
        assertThat(warningsOfACycleWith()).as("said once, not every interval").isEmpty();
        assertThat(warningsOfACycleWith(Fixtures.user("Ann", "ann@example.local", "Ann", false))).isEmpty();
        assertThat(warningsOfACycleWith()).as("again after users were read").hasSize(1);
    }

    private List<String> warningsOfACycleWith(org.ldapmailcow.directory.DirectoryUser... users) {
        try (LogCapture log = LogCapture.open(Level.WARN)) {
            cycles.begin();
            cycles.plan(new Directory(List.of(users), List.of()), Fixtures.mailcow(List.of(), List.of()),
                    Fixtures.state(List.of(), List.of()));
            cycles.finish();
            return log.lines().stream().filter(l -> l.startsWith("WARN org.ldapmailcow.sync.Cycles")).toList();
        }
    }
}
