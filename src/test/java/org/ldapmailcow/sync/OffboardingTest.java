package org.ldapmailcow.sync;

import org.ldapmailcow.model.Plan;
import org.ldapmailcow.model.Offboarding;
import org.ldapmailcow.model.MailboxChange;
import org.ldapmailcow.model.AliasChange;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.ldapmailcow.model.Offboarding.Action;
import org.ldapmailcow.model.Offboarding.Mode;
import org.ldapmailcow.model.Offboarding.Presence;
import org.ldapmailcow.model.Offboarding.Stage;
import org.ldapmailcow.model.Offboarding.Step;

/** The stage transitions of a leaver, decided without Camel, mailcow or a directory. */
class OffboardingTest {

    private static final Instant T0 = Instant.parse("2026-01-01T08:00:00Z");
    private final Offboarding staged = new Offboarding(Mode.STAGED, 30, 1);
    private final Offboarding deactivate = new Offboarding(Mode.DEACTIVATE, 30, 1);

    private static Instant day(int n) {
        return T0.plus(Duration.ofDays(n));
    }

    @Test
    void anEnabledUserStaysAsHeIs() {
        Step step = staged.decide(Presence.ENABLED, Stage.NONE, null, 0, T0);
        assertThat(step.action()).isEqualTo(Action.KEEP);
        assertThat(step.stage()).isEqualTo(Stage.NONE);
        assertThat(step.mailboxActive()).isEqualTo(1);
    }

    @Test
    void stagedModeDisallowsLoginOnDayZeroAndDeactivatesAfterTheDays() {
        Step day0 = staged.decide(Presence.DISABLED, Stage.NONE, null, 0, T0);
        assertThat(day0.action()).isEqualTo(Action.STAGE);
        assertThat(day0.stage()).isEqualTo(Stage.STAGED);
        assertThat(day0.since()).isEqualTo(T0);
        assertThat(day0.mailboxActive()).isEqualTo(2);
        assertThat(day0.revokesAppPasswords()).isTrue();
        assertThat(day0.aliasesVisible()).isFalse();
        assertThat(day0.aliasesActive()).isTrue();

        Step day29 = staged.decide(Presence.DISABLED, Stage.STAGED, T0, 0, day(29));
        assertThat(day29.action()).isEqualTo(Action.KEEP);
        assertThat(day29.stage()).isEqualTo(Stage.STAGED);
        assertThat(day29.since()).isEqualTo(T0);
        assertThat(day29.mailboxActive()).isEqualTo(2);
        assertThat(day29.revokesAppPasswords()).isFalse();

        Step day30 = staged.decide(Presence.DISABLED, Stage.STAGED, T0, 0, day(30));
        assertThat(day30.action()).isEqualTo(Action.DEACTIVATE);
        assertThat(day30.stage()).isEqualTo(Stage.DEACTIVATED);
        assertThat(day30.since()).isEqualTo(day(30));
        assertThat(day30.mailboxActive()).isZero();
        assertThat(day30.aliasesActive()).isFalse();

        Step later = staged.decide(Presence.DISABLED, Stage.DEACTIVATED, day(30), 0, day(90));
        assertThat(later.action()).isEqualTo(Action.KEEP);
        assertThat(later.mailboxActive()).isZero();
    }

    @Test
    void aReturningUserIsRestoredFromEitherStage() {
        for (Stage stage : new Stage[] {Stage.STAGED, Stage.DEACTIVATED}) {
            Step step = staged.decide(Presence.ENABLED, stage, T0, 0, day(3));
            assertThat(step.action()).as(stage.name()).isEqualTo(Action.RESTORE);
            assertThat(step.stage()).isEqualTo(Stage.NONE);
            assertThat(step.since()).isNull();
            assertThat(step.mailboxActive()).isEqualTo(1);
            assertThat(step.aliasesVisible()).isTrue();
            assertThat(step.aliasesActive()).isTrue();
            assertThat(step.revokesAppPasswords()).isFalse();
        }
    }

    @Test
    void deactivateModeSwitchesOffAtOnce() {
        Step step = deactivate.decide(Presence.DISABLED, Stage.NONE, null, 0, T0);
        assertThat(step.action()).isEqualTo(Action.DEACTIVATE);
        assertThat(step.stage()).isEqualTo(Stage.DEACTIVATED);
        assertThat(step.mailboxActive()).isZero();
        assertThat(step.revokesAppPasswords()).isFalse();
        assertThat(step.aliasesVisible()).as("deactivate mode leaves sogo_visible alone").isNull();
        // a staged mailbox found after a switch back to deactivate mode is switched off too
        assertThat(deactivate.decide(Presence.DISABLED, Stage.STAGED, T0, 0, day(1)).action())
                .isEqualTo(Action.DEACTIVATE);
    }

    @Test
    void aMissingUserCountsAsGoneOnlyAfterTheMissesInARow() {
        Offboarding patient = new Offboarding(Mode.STAGED, 30, 3);
        Step first = patient.decide(Presence.MISSING, Stage.NONE, null, 0, T0);
        assertThat(first.action()).isEqualTo(Action.WAIT);
        assertThat(first.misses()).isEqualTo(1);
        assertThat(first.stage()).isEqualTo(Stage.NONE);
        assertThat(patient.decide(Presence.MISSING, Stage.NONE, null, 1, T0).action()).isEqualTo(Action.WAIT);
        Step third = patient.decide(Presence.MISSING, Stage.NONE, null, 2, T0);
        assertThat(third.action()).isEqualTo(Action.STAGE);
        assertThat(third.misses()).isEqualTo(3);
        assertThat(third.vanished()).isTrue();

        // back before the third miss: the count starts again
        Step back = patient.decide(Presence.ENABLED, Stage.NONE, null, 2, T0);
        assertThat(back.action()).isEqualTo(Action.KEEP);
        assertThat(back.misses()).isZero();
        // a disabled flag acts at once, whatever the misses
        assertThat(patient.decide(Presence.DISABLED, Stage.NONE, null, 0, T0).action()).isEqualTo(Action.STAGE);
    }

    @Test
    void withTheDefaultOneMissAVanishedUserIsGoneAtOnce() {
        Step step = deactivate.decide(Presence.MISSING, Stage.NONE, null, 0, T0);
        assertThat(step.action()).isEqualTo(Action.DEACTIVATE);
        assertThat(step.vanished()).isTrue();
        assertThat(step.misses()).isEqualTo(1);
    }

    @Test
    void aStageWithoutItsDateStartsTheDaysNow() {
        Step step = staged.decide(Presence.DISABLED, Stage.STAGED, null, 0, day(5));
        assertThat(step.action()).isEqualTo(Action.KEEP);
        assertThat(step.since()).isEqualTo(day(5));
    }

    @Test
    void aVanishedUsersStagingIsARemovalTheGuardHoldsBackWithItsAliases() {
        Step step = staged.decide(Presence.MISSING, Stage.NONE, null, 0, T0);
        MailboxChange staging = new MailboxChange(MailboxChange.Kind.UPDATE, "kim@example.local", null, true, "Kim",
                true, "gone", "CN=kim", null, false, step);
        AliasChange hide = new AliasChange(AliasChange.Kind.UPDATE, "kimmy@example.local", null, null,
                "kim@example.local", true, "user", "CN=kim", "7", "its user has left", false);
        AliasChange other = new AliasChange(AliasChange.Kind.UPDATE, "team@example.local", List.of("bob@example.local"),
                null, "bob@example.local", true, "group", "CN=team", "8", "members");
        Plan plan = new Plan(List.of(staging), List.of(hide, other), List.of(), 1, 1, true, null);
        assertThat(plan.removals()).isEqualTo(1);
        assertThat(staging.label()).isEqualTo("mailbox disallow login+revoke app passwords");
        assertThat(hide.label()).isEqualTo("alias hide from SOGo");

        Plan held = plan.withoutRemovals("too many");
        assertThat(held.mailboxChanges()).isEmpty();
        assertThat(held.aliasChanges()).containsExactly(other);
    }
}
