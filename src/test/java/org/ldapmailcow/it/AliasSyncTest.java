package org.ldapmailcow.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ldapmailcow.demo.DemoDirectory.NORMAL_ACCOUNT;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.ldapmailcow.Launcher;
import org.ldapmailcow.demo.AliasView;
import org.ldapmailcow.model.CycleRun;

/** Issue 3: proxyAddresses and mail-enabled groups become aliases and follow the directory. */
class AliasSyncTest extends EmbeddedSyncTest {

    private AliasView alias(String address) {
        return h.mailcow.aliases().get(address.toLowerCase());
    }

    private long aliasWrites() {
        return h.mailcow.requests().stream().filter(r -> r.isWrite() && r.endpoint().contains("alias")).count();
    }

    @Test
    void sampleDirectoryAliasesMatchTheRulesAndAnUnchangedCycleWritesNoAlias() throws Exception {
        h.directory.seedSample();
        CycleRun run = h.cycle();
        assertThat(Launcher.exitCode(run)).isZero();

        // SMTP/smtp values only; the own address is no alias; X500, SIP, X400 ignored
        assertThat(alias("alice.anderson@example.local").gotoList()).isEqualTo("alice@example.local");
        assertThat(h.mailcow.aliases()).doesNotContainKey("alice@example.local");
        assertThat(h.mailcow.aliases().keySet()).noneMatch(a -> a.startsWith("x500") || a.startsWith("sip") || a.contains("/"));
        // a primary SMTP address that differs from mail is an alias
        assertThat(alias("carol.clark@example.local").gotoList()).isEqualTo("carol@example.local");
        // unhosted alias domain skipped
        assertThat(h.mailcow.aliases()).doesNotContainKey("bob@example.org");
        // the disabled user's alias exists, inactive; active ones are visible in SOGo
        assertThat(alias("eve.evans@example.local").active()).isFalse();
        assertThat(alias("bobby@example.local").active()).isTrue();
        assertThat(alias("bobby@example.local").sogoVisible()).isTrue();
        // nested groups expanded; members without mail skipped
        assertThat(alias("allstaff@example.local").gotos()).containsExactlyInAnyOrder("alice@example.local",
                "bob@example.local", "carol@example.local", "dave@example.local", "ivan@example.local");
        assertThat(alias("sales@example.local").gotos()).containsExactlyInAnyOrder("carol@example.local",
                "dave@example.local", "ivan@example.local");
        assertThat(alias("vertrieb@example.local").gotos()).isEqualTo(alias("sales@example.local").gotos());
        // the mail-enabled security group leaves its disabled member out
        assertThat(alias("support@example.local").gotos()).extracting(String::toLowerCase)
                .containsExactlyInAnyOrder("grace.green@example.local", "heidi.mueller@example.local");
        // an empty group has no alias and causes no API error
        assertThat(h.mailcow.aliases()).doesNotContainKey("empty@example.local");
        assertThat(h.mailcow.requests()).allSatisfy(r -> assertThat(r.responseBody()).doesNotContain("danger"));
        assertThat(h.rows("SELECT kind, count(*) AS n FROM aliases GROUP BY kind ORDER BY kind"))
                .extracting(r -> r.get("kind")).containsExactly("group", "user");

        h.mailcow.resetRequests();
        h.restart();
        assertThat(Launcher.exitCode(h.cycle())).isZero();
        assertThat(aliasWrites()).isZero();
    }

    @Test
    void conflictsAndForeignAliasesAreLeftAlone() throws Exception {
        h.directory.addUser("A", "a@example.local", "A", NORMAL_ACCOUNT, "smtp:shared@example.local", "smtp:info@example.local");
        h.directory.addUser("B", "b@example.local", "B", NORMAL_ACCOUNT, "smtp:shared@example.local", "smtp:c@example.local");
        h.directory.addUser("C", "c@example.local", "C", NORMAL_ACCOUNT);
        h.mailcow.addAlias("info@example.local", "boss@example.local", true);
        h.mailcow.addAlias("handmade@example.local", "a@example.local", true);

        CycleRun run = h.cycle();

        assertThat(h.mailcow.aliases()).doesNotContainKey("shared@example.local");
        assertThat(alias("info@example.local").gotoList()).isEqualTo("boss@example.local");
        assertThat(run.plan().skips()).extracting(Object::toString)
                .anySatisfy(s -> assertThat(s).contains("shared@example.local").contains("CN=A,").contains("CN=B,"))
                .anySatisfy(s -> assertThat(s).contains("info@example.local").contains("boss@example.local"))
                .anySatisfy(s -> assertThat(s).contains("c@example.local").contains("mailbox of"));

        // foreign aliases survive even when this tool's own ones are removed
        h.directory.setAttribute(h.directory.addUser("D", "d@example.local", "D", NORMAL_ACCOUNT, "smtp:dd@example.local"),
                "proxyAddresses");
        h.cycle();
        assertThat(h.mailcow.aliases()).containsKeys("info@example.local", "handmade@example.local");
    }

    @Test
    void cyclicNestedGroupsResolveAndLargeGroupsServedInRangesKeepAllMembers() throws Exception {
        List<String> bulk = h.directory.addUsers(1600, "member");
        for (int i = 1; i <= bulk.size(); i++) {
            String name = String.format("member%05d", i);
            h.mailcow.addMailbox(name + "@example.local", "Bulk User " + name, true);
            h.mailcow.addAlias(name + ".alias@example.local", name + "@example.local", true);
        }
        String solo = h.directory.addUser("Solo", "solo@example.local", "Solo", NORMAL_ACCOUNT);
        String big = h.directory.addGroup("Big List", "big@example.local", bulk);
        String loopA = h.directory.addGroup("Loop A", "loop-a@example.local", List.of(solo));
        String loopB = h.directory.addGroup("Loop B", null, List.of(loopA));
        h.directory.setAttribute(loopA, "member", solo, loopB);

        CycleRun run = h.cycle();

        assertThat(run.aborted()).isFalse();
        assertThat(alias("big@example.local").gotos()).hasSize(1600);
        assertThat(alias("loop-a@example.local").gotos()).containsExactly("solo@example.local");
        assertThat(big).isNotNull();
    }

    @Test
    void membershipChangesRewriteGotoAndRemovedSourcesDeleteTheirAliases() throws Exception {
        String ann = h.directory.addUser("Ann", "ann@example.local", "Ann", NORMAL_ACCOUNT, "smtp:annie@example.local");
        String ben = h.directory.addUser("Ben", "ben@example.local", "Ben", NORMAL_ACCOUNT);
        String team = h.directory.addGroup("Team", "team@example.local", List.of(ann, ben), "smtp:crew@example.local");
        h.cycle();
        assertThat(alias("team@example.local").gotos()).containsExactlyInAnyOrder("ann@example.local", "ben@example.local");

        // order alone is no change
        h.directory.setAttribute(team, "member", ben, ann);
        h.mailcow.resetRequests();
        h.cycle();
        assertThat(aliasWrites()).isZero();

        // a member leaves, another is disabled
        String cat = h.directory.addUser("Cat", "cat@example.local", "Cat", NORMAL_ACCOUNT);
        h.directory.setAttribute(team, "member", ann, cat);
        h.cycle();
        assertThat(alias("team@example.local").gotos()).containsExactlyInAnyOrder("ann@example.local", "cat@example.local");
        assertThat(alias("crew@example.local").gotos()).containsExactlyInAnyOrder("ann@example.local", "cat@example.local");
        h.directory.setAttribute(cat, "userAccountControl", "514");
        h.cycle();
        assertThat(alias("team@example.local").gotos()).containsExactly("ann@example.local");

        // the proxy value goes, then the group goes
        h.directory.setAttribute(ann, "proxyAddresses");
        h.directory.delete(team);
        h.mailcow.resetRequests();
        CycleRun run = h.cycle();
        assertThat(Launcher.exitCode(run)).isZero();
        assertThat(h.mailcow.aliases()).doesNotContainKeys("annie@example.local", "team@example.local", "crew@example.local");
        assertThat(h.rows("SELECT address FROM aliases")).isEmpty();
        List<String> deletes = new ArrayList<>();
        h.mailcow.requests().stream().filter(r -> r.endpoint().equals("POST delete/alias")).forEach(r -> deletes.add(r.body()));
        assertThat(deletes).as("one bulk delete").hasSize(1);
    }

    @Test
    void emptiedGroupDeactivatesItsAliasWithoutAnApiError() throws Exception {
        String ann = h.directory.addUser("Ann", "ann@example.local", "Ann", NORMAL_ACCOUNT);
        String team = h.directory.addGroup("Team", "team@example.local", List.of(ann));
        h.cycle();
        h.directory.setAttribute(team, "member");
        h.mailcow.resetRequests();
        CycleRun run = h.cycle();
        assertThat(Launcher.exitCode(run)).isZero();
        assertThat(alias("team@example.local").active()).isFalse();
        assertThat(h.mailcow.requests()).allSatisfy(r -> assertThat(r.responseBody()).doesNotContain("danger"));
    }
}
