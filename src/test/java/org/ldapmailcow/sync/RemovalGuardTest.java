package org.ldapmailcow.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.ldapmailcow.config.DeactivationLimit;
import org.ldapmailcow.directory.Directory;
import org.ldapmailcow.state.ManagedMailbox;
import org.ldapmailcow.state.SyncState;
import org.ldapmailcow.model.MailboxChange;
import org.ldapmailcow.model.Plan;

class RemovalGuardTest {

    private static final Directory READ_ALL = new Directory(List.of(), List.of(), 0);

    private static SyncState managed(int n) {
        List<ManagedMailbox> boxes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boxes.add(Fixtures.managed("u" + i + "@example.local", true));
        }
        return SyncState.of(boxes, List.of(), List.of());
    }

    private static Plan planWithDeactivations(int n) {
        List<MailboxChange> changes = new ArrayList<>();
        changes.add(new MailboxChange(MailboxChange.Kind.CREATE, "new@example.local", "New", true, "New", true, "r", "dn", null));
        for (int i = 0; i < n; i++) {
            changes.add(new MailboxChange(MailboxChange.Kind.DEACTIVATE, "u" + i + "@example.local", null, false,
                    null, false, "gone", null, null));
        }
        return new Plan(changes, List.of(), List.of(), 1, 0, true, null);
    }

    @Test
    void percentageLimitNeverGoesBelowFive() {
        assertThat(DeactivationLimit.parse("10%").allowed(20)).isEqualTo(5);
        assertThat(DeactivationLimit.parse("10%").allowed(200)).isEqualTo(20);
        assertThat(DeactivationLimit.parse("3").allowed(1000)).isEqualTo(5);
        assertThat(DeactivationLimit.parse("50").allowed(1000)).isEqualTo(50);
    }

    @Test
    void aboveTheLimitRemovalsAreWithheldButCreationsStay() {
        Plan limited = new RemovalGuard(DeactivationLimit.parse("10%"), false).limit(planWithDeactivations(30), READ_ALL, managed(100));
        assertThat(limited.mailboxDeactivations()).isEmpty();
        assertThat(limited.mailboxWrites()).hasSize(1);
        assertThat(limited.withheldRemovals()).contains("30 deactivations").contains("10 of 100");
    }

    @Test
    void atTheLimitRemovalsGoThrough() {
        Plan plan = new RemovalGuard(DeactivationLimit.parse("10%"), false).limit(planWithDeactivations(10), READ_ALL, managed(100));
        assertThat(plan.mailboxDeactivations()).hasSize(10);
        assertThat(plan.withheldRemovals()).isNull();
    }

    @Test
    void forceLiftsTheLimit() {
        Plan plan = new RemovalGuard(DeactivationLimit.parse("10%"), true).limit(planWithDeactivations(90), READ_ALL, managed(100));
        assertThat(plan.mailboxDeactivations()).hasSize(90);
    }

    @Test
    void anUnreadableEntryHoldsBackEveryRemovalEvenWhenForced() {
        Plan plan = new RemovalGuard(DeactivationLimit.parse("100%"), true)
                .limit(planWithDeactivations(1), new Directory(List.of(), List.of(), 1), managed(100));
        assertThat(plan.mailboxDeactivations()).isEmpty();
        assertThat(plan.mailboxWrites()).hasSize(1);
        assertThat(plan.withheldRemovals()).contains("1 directory entries could not be read");
    }

    @Test
    void anEmptyDirectoryWhileMailboxesAreManagedFails() {
        RemovalGuard guard = new RemovalGuard(DeactivationLimit.parse("10%"), true);
        assertThatThrownBy(() -> guard.checkDirectory(new Directory(List.of(), List.of()), managed(3)))
                .isInstanceOf(RemovalGuard.DirectoryEmptyException.class).hasMessageContaining("no user");
        guard.checkDirectory(new Directory(List.of(), List.of()), managed(0));
    }
}
