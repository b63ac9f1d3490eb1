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
import java.util.concurrent.TimeUnit;
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

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopProcesses() throws InterruptedException {
        for (Process p : started) {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void ofTwoServicesOnOneStateFileOnlyOneCyclesAndTheStandbyTakesOverWithinAnIntervalWhenTheLeaderIsKilled()
            throws Exception {
        try (SyncHarness h = new SyncHarness(work)) {
            h.directory.addUser("Ann", "ann@example.local", "Ann", NORMAL_ACCOUNT);
            h.set("SYNC_INTERVAL", Long.toString(INTERVAL.toSeconds()));
            Path firstLog = work.resolve("first.log");
            Path secondLog = work.resolve("second.log");
            Process first = start(h, firstLog);
            Awaitility.await().atMost(Duration.ofSeconds(40)).until(() -> log(firstLog).contains("Cycle 1 succeeded"));
            Process second = start(h, secondLog);

            // the second one starts up and waits while the first keeps cycling, interval after interval
            Awaitility.await().atMost(Duration.ofSeconds(60))
                    .until(() -> log(secondLog).contains("Standby") || cycles(secondLog) > 0);
            int firstCycles = cycles(firstLog);
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> cycles(firstLog) >= firstCycles + 4);
            assertThat(cycles(secondLog)).as("the standby runs no cycle; its output:%n%s", log(secondLog)).isZero();
            HttpResponse<String> health = health(secondLog);
            assertThat(health.statusCode()).as("a standby waiting for more than three intervals is healthy: %s", health.body())
                    .isEqualTo(200);
            assertThat(health.body()).contains("standby");
            assertThat(log(firstLog)).contains("leads").doesNotContain("FAILED").doesNotContain("object_exists");
            assertThat(log(secondLog)).containsPattern("Standby: .*ldap-mailcow\\.sqlite3\\.lock");

            // the leader dies without a word; the standby takes the lead and cycles within about one interval
            h.directory.addUser("Ben", "ben@example.local", "Ben", NORMAL_ACCOUNT);
            long killed = System.nanoTime();
            first.destroyForcibly();
            assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> h.mailcow.mailboxes().containsKey("ben@example.local"));
            Duration takeover = Duration.ofNanos(System.nanoTime() - killed);
            assertThat(takeover).as("from kill -9 to the standby's first cycle; its output:%n%s", log(secondLog))
                    .isLessThan(INTERVAL.plusSeconds(4));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> log(secondLog).contains("Cycle 1 succeeded"));
            assertThat(log(secondLog)).contains("leads").doesNotContain("FAILED").doesNotContain("Exception");
            assertThat(second.isAlive()).isTrue();
        }
    }

    /** SIGSTOP: the heartbeat stops but the OS lock stays with the frozen process, so the standby must not cycle. */
    @Test
    void aFrozenLeaderKeepsItsLockSoTheStandbyRunsNoCycleBesideIt() throws Exception {
        try (SyncHarness h = new SyncHarness(work)) {
            h.directory.addUser("Ann", "ann@example.local", "Ann", NORMAL_ACCOUNT);
            h.set("SYNC_INTERVAL", Long.toString(INTERVAL.toSeconds()));
            Path firstLog = work.resolve("first.log");
            Path secondLog = work.resolve("second.log");
            Process first = start(h, firstLog);
            Awaitility.await().atMost(Duration.ofSeconds(40)).until(() -> log(firstLog).contains("Cycle 1 succeeded"));
            start(h, secondLog);
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> log(secondLog).contains("Standby"));

            signal("STOP", first);
            try {
                // longer than a standby waits for a dead leader's heartbeat, and two intervals more
                Thread.sleep(INTERVAL.multipliedBy(3).toMillis());
                assertThat(cycles(secondLog)).as("no cycle beside a frozen leader; its output:%n%s", log(secondLog)).isZero();
            } finally {
                signal("CONT", first);
            }

            // thawed, it finds its heartbeat stale and gives the lock up, or keeps it: either way one cycles
            Thread.sleep(INTERVAL.multipliedBy(3).toMillis());
            int firstBefore = cycles(firstLog);
            int secondBefore = cycles(secondLog);
            Thread.sleep(INTERVAL.multipliedBy(3).toMillis());
            int firstMore = cycles(firstLog) - firstBefore;
            int secondMore = cycles(secondLog) - secondBefore;
            assertThat(firstMore + secondMore).as("cycles go on").isGreaterThanOrEqualTo(2);
            assertThat(Math.min(firstMore, secondMore)).as("only one of them cycles: %d and %d", firstMore, secondMore)
                    .isZero();
            assertThat(log(firstLog) + log(secondLog)).doesNotContain("FAILED").doesNotContain("object_exists");
        }
    }

    private static void signal(String name, Process process) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start().waitFor()).isZero();
    }

    @Test
    void onceBesideARunningServiceExitsWithItsOwnCodeAndOneLineAndWritesNothing() throws Exception {
        try (SyncHarness h = new SyncHarness(work)) {
            h.directory.addUser("Ann", "ann@example.local", "Ann", NORMAL_ACCOUNT);
            h.set("SYNC_INTERVAL", "300");
            Path serviceLog = work.resolve("service.log");
            start(h, serviceLog);
            Awaitility.await().atMost(Duration.ofSeconds(40)).until(() -> log(serviceLog).contains("Cycle 1 succeeded"));

            h.directory.addUser("Ben", "ben@example.local", "Ben", NORMAL_ACCOUNT);
            long writes = h.mailcow.writeCount();
            Path out = work.resolve("once.out");
            Path err = work.resolve("once.err");
            Process once = builder(h, "--once").redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            started.add(once);
            assertThat(once.waitFor(60, TimeUnit.SECONDS)).as(log(out) + log(err)).isTrue();

            assertThat(once.exitValue()).as(log(out) + log(err)).isEqualTo(Launcher.ANOTHER_INSTANCE);
            assertThat(log(err).strip()).doesNotContain("\n").contains("another instance")
                    .contains(work.resolve("db/ldap-mailcow.sqlite3.lock").toString());
            assertThat(CYCLE_LINE.matcher(log(out)).find()).as("no cycle ran").isFalse();
            assertThat(h.mailcow.writeCount()).isEqualTo(writes);
            assertThat(h.mailcow.mailboxes()).doesNotContainKey("ben@example.local");
        }
    }

    @Test
    void aDryRunTakesNoLockAndCreatesNoLockFile() throws Exception {
        try (SyncHarness h = new SyncHarness(work)) {
            h.directory.addUser("Ann", "ann@example.local", "Ann", NORMAL_ACCOUNT);
            h.set("SYNC_INTERVAL", "1").set("DRY_RUN", "true");
            Path log = work.resolve("dry-run.log");
            start(h, log);
            Awaitility.await().atMost(Duration.ofSeconds(40)).until(() -> cycles(log) >= 2);

            try (Stream<Path> files = Files.walk(work)) {
                assertThat(files.map(f -> f.getFileName().toString())).noneMatch(name -> name.contains(".lock"));
            }
            assertThat(h.mailcow.mailboxes()).isEmpty();
        }
    }

    private Process start(SyncHarness h, Path logFile) throws IOException {
        Process p = builder(h).redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
        started.add(p);
        return p;
    }

    private static ProcessBuilder builder(SyncHarness h, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.ldapmailcow.Application"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(h.env);
        return pb;
    }

    /** The instance's /observe/health, at the port its log names (each picks a free one). */
    private static HttpResponse<String> health(Path logFile) throws Exception {
        Matcher port = Pattern.compile("Health at (http://[\\w.]+:\\d+/observe/health)").matcher(log(logFile));
        assertThat(port.find()).as(log(logFile)).isTrue();
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(port.group(1))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String log(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }

    private static int cycles(Path logFile) throws IOException {
        Matcher m = CYCLE_LINE.matcher(log(logFile));
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
