package org.ldapmailcow.sync;

import org.ldapmailcow.model.Skip;
import org.ldapmailcow.model.Plan;
import org.ldapmailcow.model.MailboxChange;
import org.ldapmailcow.model.AliasChange;
import org.ldapmailcow.model.JournalEntry;
import org.ldapmailcow.model.HeldPlan;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.ldapmailcow.mailcow.Alias;
import org.ldapmailcow.mailcow.Mailbox;
import org.ldapmailcow.mailcow.MailcowView;
import org.ldapmailcow.state.ManagedMailbox;
import org.ldapmailcow.state.SyncState;

/** The plain-Java decisions of --approve and --undo, without Camel. */
class ApproveUndoPlanningTest {

    private static MailboxChange deactivate(String email) {
        return new MailboxChange(MailboxChange.Kind.DEACTIVATE, email, null, false, email, false, "gone", "CN=" + email, null);
    }

    @Test
    void aHeldPlansIdDependsOnItsRemovalsNotTheirOrder() {
        HeldPlan ab = HeldPlan.of(List.of(deactivate("a@x.org"), deactivate("b@x.org")), List.of());
        HeldPlan ba = HeldPlan.of(List.of(deactivate("B@x.org"), deactivate("a@x.org")), List.of());
        HeldPlan abc = HeldPlan.of(List.of(deactivate("a@x.org"), deactivate("b@x.org"), deactivate("c@x.org")), List.of());
        assertThat(ab.id()).isEqualTo(ba.id()).isNotEqualTo(abc.id()).hasSize(10);
    }

    @Test
    void approvalAppliesTheHeldRemovalsStillDueAndLeavesTheRestToTheLimit() {
        Plan planned = new Plan(List.of(deactivate("a@x.org"), deactivate("b@x.org"), deactivate("c@x.org")), List.of(),
                List.of(), 3, 0, true, null);
        List<HeldPlan.Removal> held = HeldPlan.of(List.of(deactivate("a@x.org"), deactivate("b@x.org"),
                deactivate("d@x.org"), deactivate("e@x.org")), List.of()).removals();
        MailcowView mailcow = MailcowView.of(List.of("x.org"), List.of(new Mailbox("a@x.org", "A", true, null),
                new Mailbox("b@x.org", "B", true, null), new Mailbox("c@x.org", "C", true, null),
                new Mailbox("d@x.org", "D", false, null), new Mailbox("e@x.org", "E", true, null)), List.of(), true);

        Approval.Result result = Approval.apply("p1", held, planned, mailcow, p -> p.withoutRemovals("over the limit"));

        assertThat(result.plan().mailboxDeactivations()).extracting(MailboxChange::email).containsExactly("a@x.org", "b@x.org");
        assertThat(result.plan().withheldRemovals()).isEqualTo("over the limit");
        assertThat(result.skipped()).extracting(Skip::entry).containsExactly("d@x.org", "e@x.org");
        assertThat(result.skipped().get(0).reason()).contains("already deactivated");
        assertThat(result.skipped().get(1).reason()).contains("back in the directory");
    }

    @Test
    void undoRevertsRemovalsAndGotoChangesAndSaysWhatItLeaves() {
        List<JournalEntry> journal = List.of(
                entry(1, JournalEntry.of(deactivate("a@x.org"), JournalEntry.mailboxValues(true, "A"))),
                entry(2, JournalEntry.of(deactivate("w@x.org"), JournalEntry.mailboxValues(true, "W"))),
                entry(3, aliasEntry(new AliasChange(AliasChange.Kind.DELETE, "y@x.org", null, null, null, false, "user",
                        "CN=Y", "7", "gone"), new Alias("7", "y@x.org", "a@x.org", true))),
                entry(4, aliasEntry(new AliasChange(AliasChange.Kind.UPDATE, "z@x.org", List.of("b@x.org"), null,
                        "b@x.org", true, "group", "CN=Z", "8", "members"), new Alias("8", "z@x.org", "a@x.org,b@x.org", true))),
                entry(5, JournalEntry.of(new MailboxChange(MailboxChange.Kind.CREATE, "n@x.org", "N", true, "N", true,
                        "new", "CN=N", null), null)));
        MailcowView now = MailcowView.of(List.of("x.org"), List.of(new Mailbox("a@x.org", "A", false, null),
                new Mailbox("w@x.org", "W", true, null), new Mailbox("n@x.org", "N", true, null)),
                List.of(new Alias("8", "z@x.org", "b@x.org", true)), true);
        SyncState state = SyncState.of(List.of(new ManagedMailbox("a@x.org", false, "A", "CN=A", "guid-a", "t")),
                List.of(), List.of());

        UndoPlanner.Result undo = new UndoPlanner().plan(9, journal, now, state);

        assertThat(undo.plan().mailboxChanges()).singleElement().satisfies(c -> {
            assertThat(c.email()).isEqualTo("a@x.org");
            assertThat(c.active()).isTrue();
            assertThat(c.sourceDn()).isEqualTo("CN=A");
            assertThat(c.objectGuid()).isEqualTo("guid-a");
        });
        assertThat(undo.plan().aliasChanges()).hasSize(2);
        AliasChange readd = undo.plan().aliasChanges().get(0);
        assertThat(readd.kind()).isEqualTo(AliasChange.Kind.ADD);
        assertThat(readd.gotoList()).containsExactly("a@x.org");
        assertThat(readd.active()).as("sent explicitly: add/alias without it makes an inactive alias").isTrue();
        AliasChange restore = undo.plan().aliasChanges().get(1);
        assertThat(restore.kind()).isEqualTo(AliasChange.Kind.UPDATE);
        assertThat(restore.gotoJoined()).isEqualTo("a@x.org,b@x.org");
        assertThat(restore.mailcowId()).isEqualTo("8");
        assertThat(undo.notes()).anySatisfy(n -> assertThat(n).contains("w@x.org").contains("active already"))
                .anySatisfy(n -> assertThat(n).contains("n@x.org").contains("not undone").contains("never deletes"));
        assertThat(undo.settled()).extracting(JournalEntry::address).containsExactly("w@x.org");
        assertThat(undo.inverses()).hasSize(3);
    }

    private static JournalEntry entry(int seq, JournalEntry e) {
        return new JournalEntry(4, seq, e.object(), e.change(), e.address(),
                e.before(), e.after(),
                e.undo(), e.notUndone(), null);
    }

    private static JournalEntry aliasEntry(AliasChange change, Alias before) {
        return JournalEntry.of(change, JournalEntry.aliasValues(change, before.gotoList(), before.active()));
    }
}
