package org.ldapmailcow.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ldapmailcow.demo.DemoDirectory.NORMAL_ACCOUNT;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.ldapmailcow.Launcher;
import org.ldapmailcow.demo.AliasView;
import org.ldapmailcow.sync.Cycles;

/**
 * Issue 14: every applied change is journalled with what undoes it, and {@code --undo <cycle>} restores a mass
 * deactivation forced through by mistake: mailboxes active again, deleted aliases back with their old goto and
 * active, changed gotos set back; {@code --dry-run --undo} shows that plan and writes nothing.
 */
class UndoTest extends EmbeddedSyncTest {

    private static final Pattern CYCLE = Pattern.compile("^Cycle (\\d+) ");

    private static long cycleNumber(LauncherRun run) {
        for (String m : run.messages(Cycles.class)) {
            Matcher matcher = CYCLE.matcher(m);
            if (matcher.find()) {
                return Long.parseLong(matcher.group(1));
            }
        }
        throw new AssertionError("no summary line in\n" + run);
    }

    private long activeMailboxes() {
        return h.mailcow.mailboxes().values().stream().filter(m -> m.active()).count();
    }

    @Test
    void undoRestoresAMassDeactivationForcedThroughByMistake() throws Exception {
        List<String> dns = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            dns.add(h.directory.addUser("User " + i, "user" + i + "@example.local", "User " + i, NORMAL_ACCOUNT,
                    i < 2 ? new String[] {"smtp:alias" + i + "@example.local"} : new String[0]));
        }
        h.directory.addGroup("Team", "team@example.local", List.of(dns.get(0), dns.get(1), dns.get(10)));
        LauncherRun first = LauncherRun.run(h.env, "--once");
        assertThat(first.exitCode()).as(first.toString()).isZero();
        long firstCycle = cycleNumber(first);

        // a wrong OU deleted: 8 users gone, and the admin forces it through
        for (int i = 0; i < 8; i++) {
            h.directory.delete(dns.get(i));
        }
        LauncherRun forced = LauncherRun.run(h.env, "--once", "--force");
        assertThat(forced.exitCode()).as(forced.toString()).isZero();
        long mistake = cycleNumber(forced);
        assertThat(mistake).as("cycle numbers go on across runs").isEqualTo(firstCycle + 1);
        assertThat(activeMailboxes()).isEqualTo(12);
        assertThat(h.mailcow.aliases()).doesNotContainKeys("alias0@example.local", "alias1@example.local");
        assertThat(h.mailcow.aliases().get("team@example.local").gotoList()).isEqualTo("user10@example.local");
        assertThat(h.rows("SELECT change, undo FROM journal WHERE cycle = " + mistake + " ORDER BY seq"))
                .contains(Map.of("change", "mailbox deactivate", "undo", "mailbox activate"),
                        Map.of("change", "alias delete", "undo", "alias add"),
                        Map.of("change", "alias goto", "undo", "alias restore"));

        // the plan first: nothing written, not even a file
        h.mailcow.resetRequests();
        Map<String, String> before = WorkTree.snapshot(work);
        LauncherRun dry = LauncherRun.run(h.env, "--dry-run", "--undo", Long.toString(mistake));
        assertThat(dry.exitCode()).as(dry.toString()).isZero();
        assertThat(WorkTree.snapshot(work)).isEqualTo(before);
        assertThat(h.mailcow.requests()).allMatch(r -> r.method().equals("GET"));
        assertThat(dry.out()).contains("would apply mailbox activate user0@example.local")
                .contains("would apply alias add alias0@example.local -> user0@example.local")
                .contains("would apply alias goto team@example.local");
        assertThat(activeMailboxes()).isEqualTo(12);

        LauncherRun undo = LauncherRun.run(h.env, "--undo", Long.toString(mistake));

        assertThat(undo.exitCode()).as(undo.toString()).isZero();
        assertThat(activeMailboxes()).isEqualTo(20);
        AliasView alias0 = h.mailcow.aliases().get("alias0@example.local");
        assertThat(alias0).isNotNull();
        assertThat(alias0.gotoList()).isEqualTo("user0@example.local");
        assertThat(alias0.active()).as("re-created active, as it was").isTrue();
        assertThat(alias0.sogoVisible()).isTrue();
        assertThat(h.mailcow.aliases().get("team@example.local").gotos())
                .containsExactlyInAnyOrder("user0@example.local", "user1@example.local", "user10@example.local");
        assertThat(h.rows("SELECT count(*) AS n FROM users WHERE active = 1").get(0).get("n")).isEqualTo(20);
        assertThat(h.rows("SELECT count(*) AS n FROM journal WHERE cycle = " + mistake + " AND undone_in IS NULL AND undo IS NOT NULL")
                .get(0).get("n")).isEqualTo(0);

        // undone once: a second undo has nothing left to do
        h.mailcow.resetRequests();
        LauncherRun again = LauncherRun.run(h.env, "--undo", Long.toString(mistake));
        assertThat(again.exitCode()).isZero();
        assertThat(h.mailcow.writeCount()).isZero();
        assertThat(again.out()).contains("undone already");

        LauncherRun nothing = LauncherRun.run(h.env, "--undo", "999");
        assertThat(nothing.exitCode()).isEqualTo(Launcher.BAD_CONFIGURATION);
        assertThat(nothing.err()).contains("cycle 999");
    }
}
