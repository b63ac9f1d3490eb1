package org.ldapmailcow.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ldapmailcow.demo.DemoDirectory.NORMAL_ACCOUNT;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.ldapmailcow.Launcher;
import org.ldapmailcow.sync.Cycles;

/**
 * Issue 14: removals the mass-change limit held back are listed with a plan id, and {@code --approve <id>}
 * applies exactly those that are still due, re-checked against the directory, without lifting the limit for
 * anything else.
 */
class ApproveTest extends EmbeddedSyncTest {

    private boolean active(String address) {
        return h.mailcow.mailboxes().get(address).active();
    }

    private JsonNode lastReport() throws Exception {
        try (Stream<Path> files = Files.list(work.resolve("db/reports"))) {
            Path last = files.filter(f -> f.getFileName().toString().startsWith("cycle-")).sorted().reduce((a, b) -> b).orElseThrow();
            return new ObjectMapper().readTree(last.toFile());
        }
    }

    @Test
    void approveAppliesExactlyTheHeldBackRemovalsStillDueAndNothingElse() throws Exception {
        List<String> dns = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            dns.add(h.directory.addUser("User " + i, "user" + i + "@example.local", "User " + i, NORMAL_ACCOUNT,
                    i == 0 ? new String[] {"smtp:first@example.local"} : new String[0]));
        }
        assertThat(LauncherRun.run(h.env, "--once").exitCode()).isZero();

        // a mass departure: 8 users (and user0's alias) gone, above the limit of 5
        for (int i = 0; i < 8; i++) {
            h.directory.delete(dns.get(i));
        }
        LauncherRun held = LauncherRun.run(h.env, "--once");
        assertThat(held.exitCode()).as(held.toString()).isEqualTo(Launcher.CYCLE_FAILED);
        JsonNode report = lastReport();
        String planId = report.path("heldBack").path("planId").asText();
        assertThat(planId).isNotBlank();
        assertThat(report.path("heldBack").path("removals")).hasSize(9);
        assertThat(report.path("heldBack").path("removals").findValuesAsText("address"))
                .contains("user0@example.local", "user7@example.local", "first@example.local");
        String summary = held.messages(Cycles.class).stream().filter(m -> m.startsWith("Cycle ")).findFirst().orElseThrow();
        assertThat(summary).contains("--approve " + planId).contains("user0@example.local").contains("first@example.local");
        for (int i = 0; i < 8; i++) {
            assertThat(active("user" + i + "@example.local")).isTrue();
        }

        // since then: user3 is back, and six more users left (not approved by anyone)
        h.directory.addUser("User 3", "user3@example.local", "User 3", NORMAL_ACCOUNT);
        for (int i = 8; i < 14; i++) {
            h.directory.delete(dns.get(i));
        }
        LauncherRun approve = LauncherRun.run(h.env, "--approve", planId);

        // the approved removals went through; the six new ones are held back by the limit as before
        assertThat(approve.exitCode()).as(approve.toString()).isEqualTo(Launcher.CYCLE_FAILED);
        for (int i : new int[] {0, 1, 2, 4, 5, 6, 7}) {
            assertThat(active("user" + i + "@example.local")).as("user" + i).isFalse();
        }
        assertThat(h.mailcow.aliases()).doesNotContainKey("first@example.local");
        assertThat(active("user3@example.local")).as("back in the directory").isTrue();
        for (int i = 8; i < 14; i++) {
            assertThat(active("user" + i + "@example.local")).as("not approved: user" + i).isTrue();
        }
        assertThat(approve.log()).anySatisfy(l -> assertThat(l).contains("user3@example.local").contains("back in the directory"));
        JsonNode approved = lastReport();
        assertThat(approved.path("heldBack").path("removals")).hasSize(6);
        assertThat(approved.path("heldBack").path("planId").asText()).isNotEqualTo(planId);
        assertThat(h.rows("SELECT count(*) AS n FROM users WHERE active = 0").get(0).get("n")).isEqualTo(7);

        // approved again: nothing is due any more, and it says so
        h.mailcow.resetRequests();
        LauncherRun again = LauncherRun.run(h.env, "--approve", planId);
        assertThat(h.mailcow.requests()).noneMatch(r -> r.endpoint().equals("POST edit/mailbox"));
        assertThat(again.log()).anySatisfy(l -> assertThat(l).contains("user0@example.local").contains("already"));

        LauncherRun unknown = LauncherRun.run(h.env, "--approve", "no-such-plan");
        assertThat(unknown.exitCode()).isEqualTo(Launcher.BAD_CONFIGURATION);
        assertThat(unknown.err()).contains("no-such-plan");
    }
}
