package org.ldapmailcow.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ldapmailcow.demo.DemoDirectory.NORMAL_ACCOUNT;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ldapmailcow.Launcher;

/**
 * Two service JVMs on one state file (a second container started by mistake, or a standby on a shared volume):
 * one cycles, the other waits and takes over when the first dies; {@code --once} refuses to run beside a service.
 */
class OneInstanceTest {

    private static final Pattern CYCLE_LINE = Pattern.compile("(Cycle|Dry run of cycle) \\d+ (succeeded|FAILED|stopped|in)");
    private static final Duration INTERVAL = Duration.ofSeconds(4);

    @TempDir
    Path work;

    private final List<ChildService> started = new ArrayList<>();

    @AfterEach
    void stopProcesses() throws InterruptedException {
        for (ChildService service : started) {
            service.close();
        }
    }

    @Test
    void ofTwoServicesOnOneStateFileOnlyOneCyclesAndTheStandbyTakesOverWithinAnIntervalWhenTheLeaderIsKilled()
            throws Exception {
        try (SyncHarness h = new SyncHarness(work)) {
            ChildService first = leader(h, INTERVAL);
            ChildService second = start(h, "second.log");

            // the second one starts up and waits while the first keeps cycling, interval after interval
            Awaitility.await().atMost(Duration.ofSeconds(60))
                    .until(() -> second.log().contains("Standby") || cycles(second) > 0);
            int firstCycles = cycles(first);
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> cycles(first) >= firstCycles + 4);
            assertThat(cycles(second)).as("the standby runs no cycle; its output:%n%s", second.log()).isZero();
            HttpResponse<String> health = health(second);
            assertThat(health.statusCode()).as("a standby waiting for more than three intervals is healthy: %s", health.body())
                    .isEqualTo(200);
            assertThat(health.body()).contains("standby");
            assertThat(first.log()).contains("leads").doesNotContain("FAILED").doesNotContain("object_exists");
            assertThat(second.log()).containsPattern("Standby: .*ldap-mailcow\\.sqlite3\\.lock");

            // the leader dies without a word; the standby takes the lead and cycles within about one interval
            h.directory.addUser("Ben", "ben@example.local", "Ben", NORMAL_ACCOUNT);
            long killed = System.nanoTime();
            assertThat(first.kill(Duration.ofSeconds(10))).isTrue();
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> h.mailcow.mailboxes().containsKey("ben@example.local"));
            Duration takeover = Duration.ofNanos(System.nanoTime() - killed);
            assertThat(takeover).as("from kill -9 to the standby's first cycle; its output:%n%s", second.log())
                    .isLessThan(INTERVAL.plusSeconds(4));
            // cycle numbers go on from the state file: the standby's first cycle follows the leader's last
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> second.log().matches("(?s).*Cycle \\d+ succeeded.*"));
            assertThat(second.log()).contains("leads").doesNotContain("FAILED").doesNotContain("Exception");
            assertThat(second.isAlive()).isTrue();
        }
    }

    /** SIGSTOP: the heartbeat stops but the OS lock stays with the frozen process, so the standby must not cycle. */
    @Test
    void aFrozenLeaderKeepsItsLockSoTheStandbyRunsNoCycleBesideIt() throws Exception {
        try (SyncHarness h = new SyncHarness(work)) {
            ChildService first = leader(h, INTERVAL);
            ChildService second = start(h, "second.log");
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> second.log().contains("Standby"));

            first.signal("STOP");
            try {
                // longer than a standby waits for a dead leader's heartbeat, and two intervals more
                Thread.sleep(INTERVAL.multipliedBy(3).toMillis());
                assertThat(cycles(second)).as("no cycle beside a frozen leader; its output:%n%s", second.log()).isZero();
            } finally {
                first.signal("CONT");
            }

            // thawed, it finds its heartbeat stale and gives the lock up, or keeps it: either way one cycles
            Thread.sleep(INTERVAL.multipliedBy(3).toMillis());
            int firstBefore = cycles(first);
            int secondBefore = cycles(second);
            Thread.sleep(INTERVAL.multipliedBy(3).toMillis());
            int firstMore = cycles(first) - firstBefore;
            int secondMore = cycles(second) - secondBefore;
            assertThat(firstMore + secondMore).as("cycles go on").isGreaterThanOrEqualTo(2);
            assertThat(Math.min(firstMore, secondMore)).as("only one of them cycles: %d and %d", firstMore, secondMore)
                    .isZero();
            assertThat(first.log() + second.log()).doesNotContain("FAILED").doesNotContain("object_exists");
        }
    }

    @Test
    void onceBesideARunningServiceExitsWithItsOwnCodeAndOneLineAndWritesNothing() throws Exception {
        try (SyncHarness h = new SyncHarness(work)) {
            leader(h, Duration.ofSeconds(300));

            h.directory.addUser("Ben", "ben@example.local", "Ben", NORMAL_ACCOUNT);
            long writes = h.mailcow.writeCount();
            ChildService once = ChildService.start(h.env, work.resolve("once"), "--once");
            started.add(once);
            assertThat(once.waitFor(Duration.ofSeconds(60))).as(once.output()).isTrue();

            assertThat(once.exitValue()).as(once.output()).isEqualTo(Launcher.ANOTHER_INSTANCE);
            assertThat(once.errors().strip()).doesNotContain("\n").contains("another instance")
                    .contains(work.resolve("db/ldap-mailcow.sqlite3.lock").toString());
            assertThat(CYCLE_LINE.matcher(once.log()).find()).as("no cycle ran").isFalse();
            assertThat(h.mailcow.writeCount()).isEqualTo(writes);
            assertThat(h.mailcow.mailboxes()).doesNotContainKey("ben@example.local");
        }
    }

    @Test
    void aDryRunTakesNoLockAndCreatesNoLockFile() throws Exception {
        try (SyncHarness h = new SyncHarness(work)) {
            h.directory.addUser("Ann", "ann@example.local", "Ann", NORMAL_ACCOUNT);
            h.set("SYNC_INTERVAL", "1").set("DRY_RUN", "true");
            ChildService service = start(h, "dry-run.log");
            Awaitility.await().atMost(Duration.ofSeconds(40)).until(() -> cycles(service) >= 2);

            try (Stream<Path> files = Files.walk(work)) {
                assertThat(files.map(f -> f.getFileName().toString())).noneMatch(name -> name.contains(".lock"));
            }
            assertThat(h.mailcow.mailboxes()).isEmpty();
        }
    }

    /** Ann in the directory and a service, its output in first.log, that has run its first cycle. */
    private ChildService leader(SyncHarness h, Duration interval) throws Exception {
        h.directory.addUser("Ann", "ann@example.local", "Ann", NORMAL_ACCOUNT);
        h.set("SYNC_INTERVAL", Long.toString(interval.toSeconds()));
        ChildService first = start(h, "first.log");
        Awaitility.await().atMost(Duration.ofSeconds(40)).until(() -> first.log().contains("Cycle 1 succeeded"));
        return first;
    }

    /** A service whose output, standard error too, goes to {@code logName} in the work directory. */
    private ChildService start(SyncHarness h, String logName) throws Exception {
        ChildService service = ChildService.startWithLog(h.env, work.resolve(logName));
        started.add(service);
        return service;
    }

    /** The instance's /observe/health, at the port its log names (each picks a free one). */
    private static HttpResponse<String> health(ChildService service) throws Exception {
        Matcher port = Pattern.compile("Health at (http://[\\w.]+:\\d+/observe/health)").matcher(service.log());
        assertThat(port.find()).as(service.log()).isTrue();
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(port.group(1))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int cycles(ChildService service) throws IOException {
        Matcher m = CYCLE_LINE.matcher(service.log());
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
