package org.ldapmailcow.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ldapmailcow.demo.DemoDirectory.NORMAL_ACCOUNT;
import static org.ldapmailcow.it.Observe.get;
import static org.ldapmailcow.it.Observe.metric;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.ldapmailcow.Launcher;
import org.ldapmailcow.config.Settings;
import org.ldapmailcow.SyncService;
import org.ldapmailcow.ops.Operations;
import org.ldapmailcow.model.CycleRun;

/**
 * Issue 12: every cycle ends and tells the truth, whatever mailcow does: killed (connection refused from then on)
 * or frozen (connections accepted, never answered) in the middle of a cycle. mailcow runs in a JVM of its own.
 */
class CycleEndsTest extends EmbeddedSyncTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Ten managed users, two of them gone from the directory and one alias source removed (so the cycle plans
     * removals), and 200 new users: a cycle of about 400 writes, long enough for a fault to land in its middle.
     */
    private void directoryWithRemovalsAndManyCreations(MailcowProcess mailcow) throws Exception {
        h.set("API_HOST", mailcow.baseUrl());
        List<String> kept = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            kept.add(h.directory.addUser("Keep " + i, "keep" + i + "@example.local", "Keep " + i, NORMAL_ACCOUNT,
                    "smtp:k" + i + "@example.local"));
        }
        assertThat(Launcher.exitCode(h.cycle())).isZero();
        h.restart();
        h.directory.delete(kept.get(0));
        h.directory.delete(kept.get(1));
        h.directory.setAttribute(kept.get(2), "proxyAddresses");
        for (int i = 0; i < 200; i++) {
            h.directory.addUser("New " + i, "new" + i + "@example.local", "New " + i, NORMAL_ACCOUNT);
        }
    }

    @Test
    void mailcowKilledMidCycleEndsTheCycleEarlyWithExit3AndNoRemoval() throws Exception {
        try (MailcowProcess mailcow = MailcowProcess.start(SyncHarness.API_KEY, "example.local", 20)) {
            directoryWithRemovalsAndManyCreations(mailcow);
            long before = mailcow.answered("POST add/mailbox");
            CompletableFuture<CycleRun> cycle = CompletableFuture.supplyAsync(() -> {
                try {
                    return h.cycle();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> mailcow.answered("POST add/mailbox") >= before + 20);
            mailcow.kill();
            long killed = System.nanoTime();

            CycleRun run = cycle.get(60, TimeUnit.SECONDS);

            assertThat(Duration.ofNanos(System.nanoTime() - killed)).as("the cycle ends soon after mailcow is gone")
                    .isLessThan(Duration.ofSeconds(20));
            assertThat(Launcher.exitCode(run)).as("--once exits 3").isEqualTo(Launcher.CYCLE_ABORTED);
            assertThat(run.error()).contains("5 times in a row");
            JsonNode report = newestReport();
            assertThat(report.get("result").asText()).isEqualTo("aborted");
            assertRemovalsNotSent(report);
        }
    }

    @Test
    void mailcowFrozenMidCycleEndsTheCycleWithinFiveTimeoutsAndTheServiceGoesOn() throws Exception {
        try (MailcowProcess mailcow = MailcowProcess.start(SyncHarness.API_KEY, "example.local", 20)) {
            h.set("API_TIMEOUT", "2").set("API_READ_TIMEOUT", "5").set("SYNC_INTERVAL", "3");
            directoryWithRemovalsAndManyCreations(mailcow);
            SyncService service = h.startedAsService();
            List<CycleRun> finished = new CopyOnWriteArrayList<>();
            service.cycles().onFinish(finished::add);
            long before = mailcow.answered("POST add/mailbox");
            CompletableFuture.runAsync(() -> {
                try {
                    service.startSchedule();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> mailcow.answered("POST add/mailbox") >= before + 20);
            mailcow.freeze();
            long frozen = System.nanoTime();
            int linesBeforeFreeze = mailcow.lines().size();

            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> !finished.isEmpty());
            assertThat(Duration.ofNanos(System.nanoTime() - frozen))
                    .as("five API timeouts of 2 s and the backoff between retries").isLessThan(Duration.ofSeconds(20));
            CycleRun first = finished.get(0);
            assertThat(Launcher.exitCode(first)).isEqualTo(Launcher.CYCLE_ABORTED);
            assertThat(first.error()).contains("5 times in a row");
            int port = Operations.managementPort(service.context());
            HttpResponse<String> health = get(port, "/observe/health");
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.body()).contains("5 times in a row");
            assertThat(metric(get(port, "/observe/metrics").body(), "ldap_mailcow_cycles_total", "result=\"aborted\""))
                    .isEqualTo(1);
            JsonNode report = newestReport();
            assertThat(report.get("result").asText()).isEqualTo("aborted");
            assertRemovalsNotSent(report);

            mailcow.thaw();
            Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> finished.stream().anyMatch(CycleRun::succeeded));
            assertThat(get(port, "/observe/health").statusCode()).as("the next cycle, on schedule, succeeded").isEqualTo(200);
            // what cycle 1 sent while mailcow was frozen is answered once it runs again: no removal among it,
            // up to the listings of the next cycle (which plans the removals again)
            List<String> sinceFreeze = mailcow.lines().subList(linesBeforeFreeze, mailcow.lines().size());
            int nextListing = sinceFreeze.indexOf(sinceFreeze.stream().filter(l -> l.startsWith("request GET get/alias/all"))
                    .findFirst().orElseThrow());
            assertThat(sinceFreeze.subList(0, nextListing))
                    .noneMatch(l -> l.startsWith("request POST edit/mailbox") || l.startsWith("request POST delete/alias"));
            assertThat(h.rows("SELECT count(*) AS n FROM users WHERE active = 1").get(0).get("n")).isEqualTo(208);
        }
    }

    /** Frozen before the cycle reads its listings: one read timeout ends it; trying again would only multiply it. */
    @Test
    void mailcowFrozenBeforeTheListingsEndsTheCycleAfterOneReadTimeout() throws Exception {
        try (MailcowProcess mailcow = MailcowProcess.start(SyncHarness.API_KEY, "example.local", 0)) {
            h.set("API_HOST", mailcow.baseUrl()).set("API_TIMEOUT", "2").set("API_READ_TIMEOUT", "3");
            h.directory.addUser("Ann", "ann@example.local", "Ann", NORMAL_ACCOUNT);
            h.started();
            mailcow.freeze();
            long frozen = System.nanoTime();
            CycleRun run;
            try {
                run = h.cycle();
            } finally {
                mailcow.thaw();
            }

            assertThat(Duration.ofNanos(System.nanoTime() - frozen)).as("one read timeout of 3 s, not four and backoff")
                    .isLessThan(Duration.ofSeconds(8));
            assertThat(Launcher.exitCode(run)).isEqualTo(Launcher.CYCLE_ABORTED);
            assertThat(run.error()).containsIgnoringCase("timed out");
        }
    }

    @Test
    void aCreationWhoseAnswerWasLostCountsAsCreatedWhenTheNextCycleFindsIt() throws Exception {
        h.directory.addUser("Ann", "ann@example.local", "Ann", NORMAL_ACCOUNT, "smtp:annie@example.local");
        h.directory.addUser("Bob", "bob@example.local", "Bob", NORMAL_ACCOUNT);
        // mailcow applies both creations, their answers are lost
        h.mailcow.emptyBodyOnce(r -> r.endpoint().equals("POST add/alias"), true);
        h.mailcow.emptyBodyOnce(r -> r.endpoint().equals("POST add/mailbox") && r.body().contains("\"ann\""), true);
        assertThat(Launcher.exitCode(h.cycle())).isEqualTo(Launcher.CYCLE_FAILED);

        // the next cycle reads mailcow fully, finds both and takes them as its own: nothing is reported as failed
        h.mailcow.resetRequests();
        CycleRun next = h.cycle();

        assertThat(next.full).as("after a creation without an answer, mailcow is read fully").isTrue();
        assertThat(h.mailcow.countByEndpoint()).doesNotContainKey("POST add/mailbox").doesNotContainKey("POST add/alias");
        assertThat(Launcher.exitCode(next)).isZero();
        assertThat(next.failures()).isEmpty();
        assertThat(h.mailcow.mailboxes().get("ann@example.local").userAcl()).as("and it gets its user ACL")
                .containsExactlyInAnyOrderElementsOf(Settings.DEFAULT_USER_ACL);
        assertThat(h.rows("SELECT email FROM users")).hasSize(2);
        assertThat(h.rows("SELECT address FROM aliases")).hasSize(1);
        assertThat(h.rows("SELECT address FROM pending_aliases")).isEmpty();

        // an alias mailcow has that this tool never sent is still not taken for its own
        h.mailcow.addAlias("other@example.local", "bob@example.local", true);
        h.directory.setAttribute("CN=Bob,OU=Mail Users,DC=example,DC=local", "proxyAddresses", "smtp:other@example.local");
        h.set("FULL_SYNC_EVERY", "1000").restart();
        h.cycle();
        CycleRun trusting = h.cycle();
        assertThat(trusting.full).isFalse();
        assertThat(trusting.failures()).singleElement().satisfies(f -> assertThat(f).contains("is_alias_or_mailbox"));
        assertThat(h.rows("SELECT address FROM aliases")).hasSize(1);
    }

    /** The report lists the planned deactivations and alias deletions (the gone users' aliases too) as never sent. */
    private static void assertRemovalsNotSent(JsonNode report) {
        List<JsonNode> removals = new java.util.ArrayList<>();
        report.get("changes").forEach(c -> {
            if (c.get("change").asText().equals("mailbox deactivate") || c.get("change").asText().equals("alias delete")) {
                removals.add(c);
            }
        });
        assertThat(removals).extracting(c -> c.get("change").asText())
                .contains("mailbox deactivate", "alias delete");
        assertThat(removals).allSatisfy(c -> assertThat(c.get("outcome").asText())
                .isEqualTo("not applied (cycle stopped early)"));
    }

    private JsonNode newestReport() throws Exception {
        try (var files = Files.list(work.resolve("db/reports"))) {
            List<Path> reports = files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList();
            return JSON.readTree(reports.get(reports.size() - 1).toFile());
        }
    }
}
