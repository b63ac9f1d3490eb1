package org.ldapmailcow.sync;

import org.ldapmailcow.model.MailboxChange;
import static org.assertj.core.api.Assertions.assertThat;
import static org.ldapmailcow.sync.Fixtures.mailbox;
import static org.ldapmailcow.sync.Fixtures.mailcow;
import static org.ldapmailcow.sync.Fixtures.managed;
import static org.ldapmailcow.sync.Fixtures.state;
import static org.ldapmailcow.sync.Fixtures.user;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.ldapmailcow.state.ManagedMailbox;
import org.ldapmailcow.state.SyncState;
import org.ldapmailcow.model.MailboxChange.Kind;
import org.ldapmailcow.model.Skip;

class MailboxPlannerTest {

    private final MailboxPlanner planner = new MailboxPlanner(Exclusions.none());

    @Test
    void newEnabledUserGetsAnActiveMailboxNamedAfterDisplayName() {
        var result = planner.plan(List.of(user("alice", "alice@example.local", "Alice Anderson", false)),
                mailcow(List.of(), List.of()), state(List.of(), List.of()));
        assertThat(result.changes()).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo(Kind.CREATE);
            assertThat(c.email()).isEqualTo("alice@example.local");
            assertThat(c.name()).isEqualTo("Alice Anderson");
            assertThat(c.active()).isTrue();
        });
    }

    @Test
    void disabledUserGetsAnInactiveMailbox() {
        var result = planner.plan(List.of(user("eve", "eve@example.local", "Eve", true)),
                mailcow(List.of(), List.of()), state(List.of(), List.of()));
        assertThat(result.changes()).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo(Kind.CREATE);
            assertThat(c.active()).isFalse();
        });
    }

    @Test
    void userWithoutMailOrWithInvalidMailIsSkippedWithTheEntryNamed() {
        var result = planner.plan(List.of(user("frank", null, "Frank", false),
                        user("bad", "not an address", "Bad", false), user("two", "a@b@example.local", "Two", false)),
                mailcow(List.of(), List.of()), state(List.of(), List.of()));
        assertThat(result.changes()).isEmpty();
        assertThat(result.skips()).extracting(Skip::entry).containsExactly(
                "CN=frank,OU=Mail Users,DC=example,DC=local", "CN=bad,OU=Mail Users,DC=example,DC=local",
                "CN=two,OU=Mail Users,DC=example,DC=local");
        assertThat(result.skips().get(0).reason()).contains("no mail");
        assertThat(result.skips().get(1).reason()).contains("'not an address'").contains("not a valid address");
    }

    @Test
    void unhostedDomainGivesOneWarningPerDomain() {
        var result = planner.plan(List.of(user("a", "a@other.org", "A", false), user("b", "b@other.org", "B", false),
                        user("c", "c@third.org", "C", false)),
                mailcow(List.of(), List.of()), state(List.of(), List.of()));
        assertThat(result.changes()).isEmpty();
        assertThat(result.skips()).hasSize(2);
        assertThat(result.skips().get(0).entry()).isEqualTo("domain other.org");
        assertThat(result.skips().get(0).reason()).contains("2 user(s)");
    }

    @Test
    void existingUnmanagedMailboxIsAdoptedAndOnlyWhatDiffersIsEdited() {
        var result = planner.plan(List.of(user("bob", "bob@example.local", "Bob Builder", false)),
                mailcow(List.of(mailbox("bob@example.local", "Bob", true)), List.of()), state(List.of(), List.of()));
        assertThat(result.changes()).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo(Kind.ADOPT);
            assertThat(c.name()).isEqualTo("Bob Builder");
            assertThat(c.active()).isNull();
            assertThat(c.writesMailcow()).isTrue();
        });
    }

    @Test
    void adoptedMailboxThatMatchesNeedsNoWrite() {
        var result = planner.plan(List.of(user("bob", "bob@example.local", "Bob", false)),
                mailcow(List.of(mailbox("bob@example.local", "Bob", true)), List.of()), state(List.of(), List.of()));
        assertThat(result.changes()).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo(Kind.ADOPT);
            assertThat(c.writesMailcow()).isFalse();
        });
    }

    @Test
    void aManagedMailboxWithoutItsAclGetsItAndNothingElse() {
        var noAcl = new ManagedMailbox("carol@example.local", true, null, null, null, "2026-01-01T00:00:00Z", false);
        var result = planner.plan(List.of(user("carol", "carol@example.local", "Carol", false)),
                mailcow(List.of(mailbox("carol@example.local", "Carol", true)), List.of()),
                state(List.of(noAcl), List.of()));
        assertThat(result.changes()).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo(Kind.UPDATE);
            assertThat(c.setsAcl()).isTrue();
            assertThat(c.editsMailbox()).isFalse();
            assertThat(c).hasToString("mailbox acl carol@example.local: user ACL not applied yet");
        });

        var renamed = planner.plan(List.of(user("carol", "carol@example.local", "Carol Clark", false)),
                mailcow(List.of(mailbox("carol@example.local", "Carol", true)), List.of()),
                state(List.of(noAcl), List.of()));
        assertThat(renamed.changes()).singleElement().satisfies(c -> {
            assertThat(c.label()).isEqualTo("mailbox rename+acl");
            assertThat(c.editsMailbox()).isTrue();
        });

        var applied = planner.plan(List.of(user("carol", "carol@example.local", "Carol", false)),
                mailcow(List.of(mailbox("carol@example.local", "Carol", true)), List.of()),
                state(List.of(managed("carol@example.local", true)), List.of()));
        assertThat(applied.changes()).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo(Kind.KEEP);
            assertThat(c.writesMailcow()).isFalse();
        });
    }

    @Test
    void aMailboxWhoseCreationWasNeverAnsweredIsAdoptedWithItsAcl() {
        var result = planner.plan(List.of(user("ann", "ann@example.local", "Ann", false)),
                mailcow(List.of(mailbox("ann@example.local", "Ann", true)), List.of()),
                SyncState.of(List.of(), List.of(), List.of(), List.of("Ann@example.local")));
        assertThat(result.changes()).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo(Kind.ADOPT);
            assertThat(c.setsAcl()).isTrue();
            assertThat(c.writesMailcow()).isTrue();
            assertThat(c.editsMailbox()).isFalse();
            assertThat(c.label()).isEqualTo("mailbox adopt acl");
        });
    }

    @Test
    void renameEditsOnlyTheName() {
        var result = planner.plan(List.of(user("carol", "carol@example.local", "Carol Clark-Smith", false)),
                mailcow(List.of(mailbox("carol@example.local", "Carol Clark", true)), List.of()),
                state(List.of(managed("carol@example.local", true)), List.of()));
        assertThat(result.changes()).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo(Kind.UPDATE);
            assertThat(c.name()).isEqualTo("Carol Clark-Smith");
            assertThat(c.active()).isNull();
            assertThat(c.label()).isEqualTo("mailbox rename");
        });
    }

    @Test
    void disablingAndReEnablingEditOnlyActive() {
        var disabled = planner.plan(List.of(user("dave", "dave@example.local", "Dave", true)),
                mailcow(List.of(mailbox("dave@example.local", "Dave", true)), List.of()),
                state(List.of(managed("dave@example.local", true)), List.of()));
        assertThat(disabled.changes()).singleElement().satisfies(c -> {
            assertThat(c.active()).isFalse();
            assertThat(c.name()).isNull();
            assertThat(c.label()).isEqualTo("mailbox deactivate");
        });
        var enabled = planner.plan(List.of(user("dave", "dave@example.local", "Dave", false)),
                mailcow(List.of(mailbox("dave@example.local", "Dave", false)), List.of()),
                state(List.of(managed("dave@example.local", false)), List.of()));
        assertThat(enabled.changes()).singleElement().satisfies(c -> {
            assertThat(c.active()).isTrue();
            assertThat(c.label()).isEqualTo("mailbox activate");
        });
    }

    @Test
    void unchangedUserWritesNothing() {
        var result = planner.plan(List.of(user("ivan", "Ivan@Example.local", "Ivan", false)),
                mailcow(List.of(mailbox("ivan@example.local", "Ivan", true)), List.of()),
                state(List.of(managed("Ivan@Example.local", true)), List.of()));
        assertThat(result.changes()).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo(Kind.KEEP);
            assertThat(c.writesMailcow()).isFalse();
        });
    }

    @Test
    void managedMailboxGoneFromDirectoryIsDeactivatedNeverDeleted() {
        var result = planner.plan(List.of(),
                mailcow(List.of(mailbox("gone@example.local", "Gone", true), mailbox("foreign@example.local", "F", true)),
                        List.of()),
                state(List.of(managed("gone@example.local", true)), List.of()));
        assertThat(result.changes()).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo(Kind.DEACTIVATE);
            assertThat(c.email()).isEqualTo("gone@example.local");
            assertThat(c.active()).isFalse();
        });
    }

    @Test
    void alreadyInactiveGoneMailboxIsNotWrittenAgain() {
        var result = planner.plan(List.of(), mailcow(List.of(mailbox("gone@example.local", "Gone", false)), List.of()),
                state(List.of(managed("gone@example.local", false)), List.of()));
        assertThat(result.changes()).isEmpty();
    }

    @Test
    void excludedAddressesAreNeverCreatedChangedOrDeactivated() {
        var planner = new MailboxPlanner(new Exclusions(List.of("svc-*@example.local", "boss@example.local")));
        var result = planner.plan(List.of(user("svc", "svc-backup@example.local", "Svc", false)),
                mailcow(List.of(mailbox("boss@example.local", "Boss", true)), List.of()),
                state(List.of(managed("boss@example.local", true)), List.of()));
        assertThat(result.changes()).isEmpty();
    }

    @Test
    void twoEntriesWithTheSameMailGiveTheMailboxToTheEnabledOne() {
        var result = planner.plan(List.of(user("old", "same@example.local", "Old", true),
                        user("new", "SAME@example.local", "New", false)),
                mailcow(List.of(), List.of()), state(List.of(), List.of()));
        assertThat(result.changes()).singleElement().satisfies(c -> assertThat(c.name()).isEqualTo("New"));
        assertThat(result.skips()).singleElement().satisfies(s -> assertThat(s.reason()).contains("CN=new"));
    }

    @Test
    void managedMailboxDeletedByHandIsCreatedAgain() {
        var result = planner.plan(List.of(user("alice", "alice@example.local", "Alice", false)),
                mailcow(List.of(), List.of()), state(List.of(managed("alice@example.local", true)), List.of()));
        assertThat(result.changes()).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo(Kind.CREATE);
            assertThat(c.reason()).contains("missing from mailcow");
        });
    }
}
