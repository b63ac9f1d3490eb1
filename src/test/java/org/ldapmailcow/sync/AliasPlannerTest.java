package org.ldapmailcow.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ldapmailcow.sync.Fixtures.alias;
import static org.ldapmailcow.sync.Fixtures.group;
import static org.ldapmailcow.sync.Fixtures.mailbox;
import static org.ldapmailcow.sync.Fixtures.mailcow;
import static org.ldapmailcow.sync.Fixtures.managedAlias;
import static org.ldapmailcow.sync.Fixtures.state;
import static org.ldapmailcow.sync.Fixtures.user;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.ldapmailcow.directory.DirectoryGroup;
import org.ldapmailcow.directory.DirectoryUser;
import org.ldapmailcow.mailcow.Alias;
import org.ldapmailcow.mailcow.Mailbox;
import org.ldapmailcow.state.ManagedAlias;
import org.ldapmailcow.model.AliasChange;
import org.ldapmailcow.model.AliasChange.Kind;

class AliasPlannerTest {

    private final AliasPlanner planner = new AliasPlanner(Exclusions.none());

    private AliasPlanner.Result plan(List<DirectoryUser> users, List<DirectoryGroup> groups, List<Mailbox> mailboxes,
                                     List<Alias> aliases, List<ManagedAlias> managed) {
        Map<String, DirectoryUser> owners = new LinkedHashMap<>();
        users.forEach(u -> owners.put(u.mail().toLowerCase(), u));
        return planner.plan(owners, groups, mailcow(mailboxes, aliases), state(List.of(), managed));
    }

    @Test
    void onlySmtpTypeProxyAddressesBecomeAliasesAndTheOwnAddressIsNone() {
        var alice = user("alice", "alice@example.local", "Alice", false, "SMTP:alice@example.local",
                "smtp:alice.anderson@example.local", "X500:/o=ExchangeLabs/ou=x", "sip:alice@example.local",
                "SIP:a@example.local", "X400:c=US;a= ;p=Example", "EUM:123", "Smtp:mixed@example.local");
        var result = plan(List.of(alice), List.of(), List.of(), List.of(), List.of());
        assertThat(result.changes()).extracting(AliasChange::address)
                .containsExactly("alice.anderson@example.local", "mixed@example.local");
        assertThat(result.changes()).allSatisfy(c -> {
            assertThat(c.kind()).isEqualTo(Kind.ADD);
            assertThat(c.gotoList()).containsExactly("alice@example.local");
            assertThat(c.active()).isTrue();
            assertThat(c.aliasKind()).isEqualTo("user");
        });
    }

    @Test
    void primarySmtpDifferingFromMailIsAnAlias() {
        var carol = user("carol", "carol@example.local", "Carol", false, "SMTP:carol.clark@example.local",
                "smtp:carol@example.local");
        var result = plan(List.of(carol), List.of(), List.of(), List.of(), List.of());
        assertThat(result.changes()).extracting(AliasChange::address).containsExactly("carol.clark@example.local");
    }

    @Test
    void disabledUsersAliasesAreInactive() {
        var eve = user("eve", "eve@example.local", "Eve", true, "smtp:eve.evans@example.local");
        var result = plan(List.of(eve), List.of(), List.of(), List.of(), List.of());
        assertThat(result.changes()).singleElement().satisfies(c -> assertThat(c.active()).isFalse());
        var existing = plan(List.of(eve), List.of(), List.of(),
                List.of(alias("7", "eve.evans@example.local", "eve@example.local", true)),
                List.of(managedAlias("eve.evans@example.local", "eve@example.local", "user")));
        assertThat(existing.changes()).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo(Kind.UPDATE);
            assertThat(c.active()).isFalse();
            assertThat(c.gotoList()).isNull();
            assertThat(c.mailcowId()).isEqualTo("7");
        });
    }

    @Test
    void unhostedDomainsAreSkippedWithAWarning() {
        var bob = user("bob", "bob@example.local", "Bob", false, "smtp:bob@example.org");
        var result = plan(List.of(bob), List.of(), List.of(), List.of(), List.of());
        assertThat(result.changes()).isEmpty();
        assertThat(result.skips()).singleElement().satisfies(s -> {
            assertThat(s.entry()).isEqualTo("bob@example.org");
            assertThat(s.reason()).contains("example.org is not hosted");
        });
    }

    @Test
    void anAddressThatIsAMailboxIsLeftAloneNamingBothSides() {
        var bob = user("bob", "bob@example.local", "Bob", false, "smtp:dave@example.local", "smtp:box@example.local");
        var dave = user("dave", "dave@example.local", "Dave", false);
        var result = plan(List.of(bob, dave), List.of(), List.of(mailbox("box@example.local", "Box", true)),
                List.of(), List.of());
        assertThat(result.changes()).isEmpty();
        assertThat(result.skips()).hasSize(2);
        assertThat(result.skips().get(0).reason()).contains("CN=bob").contains("mailbox of CN=dave");
        assertThat(result.skips().get(1).reason()).contains("is a mailbox in mailcow");
    }

    @Test
    void foreignAliasesAreNeverModifiedOrDeleted() {
        var bob = user("bob", "bob@example.local", "Bob", false, "smtp:info@example.local");
        var result = plan(List.of(bob), List.of(), List.of(),
                List.of(alias("3", "info@example.local", "boss@example.local", true),
                        alias("4", "hand@example.local", "bob@example.local", true)), List.of());
        assertThat(result.changes()).isEmpty();
        assertThat(result.skips()).singleElement().satisfies(s -> assertThat(s.reason())
                .contains("CN=bob").contains("boss@example.local").contains("not created by ldap-mailcow"));
    }

    @Test
    void anAddressClaimedByTwoEntriesGoesToNeither() {
        var a = user("a", "a@example.local", "A", false, "smtp:shared@example.local");
        var b = user("b", "b@example.local", "B", false, "smtp:Shared@example.local");
        var result = plan(List.of(a, b), List.of(), List.of(), List.of(), List.of());
        assertThat(result.changes()).isEmpty();
        assertThat(result.skips()).singleElement().satisfies(s -> assertThat(s.reason())
                .contains("CN=a,").contains("CN=b,").contains("neither"));
    }

    @Test
    void conflictedAddressThatWasManagedIsNotDeleted() {
        var a = user("a", "a@example.local", "A", false, "smtp:shared@example.local");
        var g = group("list", "shared@example.local", List.of("b@example.local"));
        var result = plan(List.of(a), List.of(g), List.of(),
                List.of(alias("9", "shared@example.local", "a@example.local", true)),
                List.of(managedAlias("shared@example.local", "a@example.local", "user")));
        assertThat(result.changes()).isEmpty();
    }

    @Test
    void groupBecomesAnAliasOfItsMembersAndItsProxyAddressesShareTheGoto() {
        var sales = group("Sales Team", "sales@example.local", List.of("carol@example.local", "dave@example.local"),
                "SMTP:sales@example.local", "smtp:vertrieb@example.local", "X500:/o=x");
        var result = plan(List.of(), List.of(sales), List.of(), List.of(), List.of());
        assertThat(result.changes()).extracting(AliasChange::address)
                .containsExactly("sales@example.local", "vertrieb@example.local");
        assertThat(result.changes()).allSatisfy(c -> {
            assertThat(c.gotoJoined()).isEqualTo("carol@example.local,dave@example.local");
            assertThat(c.aliasKind()).isEqualTo("group");
            assertThat(c.active()).isTrue();
        });
    }

    @Test
    void groupWithoutMembersWithMailHasNoActiveAliasAndNoEmptyGoto() {
        var empty = group("Empty List", "empty@example.local", List.of());
        var result = plan(List.of(), List.of(empty), List.of(), List.of(), List.of());
        assertThat(result.changes()).isEmpty();
        var emptied = plan(List.of(), List.of(empty), List.of(),
                List.of(alias("5", "empty@example.local", "x@example.local", true)),
                List.of(managedAlias("empty@example.local", "x@example.local", "group")));
        assertThat(emptied.changes()).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo(Kind.UPDATE);
            assertThat(c.active()).isFalse();
            assertThat(c.gotoList()).isNull();
        });
    }

    @Test
    void membershipChangeRewritesGotoButOrderAndCaseAloneDoNot() {
        var g = group("list", "list@example.local", List.of("A@example.local", "b@example.local"));
        var reordered = plan(List.of(), List.of(g), List.of(),
                List.of(alias("5", "list@example.local", "b@example.local,a@example.local", true)),
                List.of(managedAlias("list@example.local", "b@example.local,a@example.local", "group")));
        assertThat(reordered.changes()).singleElement().satisfies(c -> assertThat(c.kind()).isEqualTo(Kind.KEEP));
        var changed = plan(List.of(), List.of(g), List.of(),
                List.of(alias("5", "list@example.local", "a@example.local", true)),
                List.of(managedAlias("list@example.local", "a@example.local", "group")));
        assertThat(changed.changes()).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo(Kind.UPDATE);
            assertThat(c.gotoJoined()).isEqualTo("A@example.local,b@example.local");
        });
    }

    @Test
    void managedAliasWhoseSourceIsGoneIsDeleted() {
        var result = plan(List.of(), List.of(), List.of(),
                List.of(alias("8", "old@example.local", "bob@example.local", true)),
                List.of(managedAlias("old@example.local", "bob@example.local", "user"),
                        managedAlias("vanished@example.local", "bob@example.local", "user")));
        assertThat(result.changes()).hasSize(2);
        assertThat(result.changes().get(0)).satisfies(c -> {
            assertThat(c.kind()).isEqualTo(Kind.DELETE);
            assertThat(c.mailcowId()).isEqualTo("8");
            assertThat(c.writesMailcow()).isTrue();
        });
        assertThat(result.changes().get(1)).satisfies(c -> {
            assertThat(c.kind()).isEqualTo(Kind.DELETE);
            assertThat(c.writesMailcow()).isFalse();
        });
    }

    @Test
    void aliasFromAnInterruptedCycleIsAdoptedNotReportedAsForeign() {
        var bob = user("bob", "bob@example.local", "Bob", false, "smtp:bobby@example.local");
        Map<String, DirectoryUser> owners = Map.of("bob@example.local", bob);
        var result = planner.plan(owners, List.of(),
                mailcow(List.of(), List.of(alias("12", "bobby@example.local", "bob@example.local", true))),
                org.ldapmailcow.state.SyncState.of(List.of(), List.of(), List.of("bobby@example.local")));
        assertThat(result.skips()).isEmpty();
        assertThat(result.changes()).singleElement().satisfies(c -> assertThat(c.kind()).isEqualTo(Kind.KEEP));
    }
}
