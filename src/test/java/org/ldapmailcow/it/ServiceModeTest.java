package org.ldapmailcow.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ldapmailcow.demo.DemoDirectory.NORMAL_ACCOUNT;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ldapmailcow.Launcher;

/** The service as an admin runs it (a separate JVM, no option): a cycle right after start, then every interval. */
class ServiceModeTest {

    /** docker stop's default: after this the container is killed. */
    private static final Duration DOCKER_STOP_GRACE = Duration.ofSeconds(10);

    @TempDir
    Path work;

    @Test
    void firstCycleRightAfterStartThenEveryIntervalAndACleanStop() throws Exception {
        try (SyncHarness h = new SyncHarness(work)) {
            h.directory.addUser("Ann", "ann@example.local", "Ann", NORMAL_ACCOUNT);
            h.set("SYNC_INTERVAL", "1");
            long started = System.nanoTime();
            ServiceProcess service = ServiceProcess.start(h, work.resolve("service.log"));
            try {
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> h.mailcow.mailboxes().containsKey("ann@example.local"));
                assertThat(Duration.ofNanos(System.nanoTime() - started)).as("first cycle right after start")
                        .isLessThan(Duration.ofSeconds(20));

                h.directory.addUser("Ben", "ben@example.local", "Ben", NORMAL_ACCOUNT);
                Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> h.mailcow.mailboxes().containsKey("ben@example.local"));
                Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> service.log().contains("Cycle 3 succeeded"));
                assertThat(service.log()).contains("Cycle 1 succeeded");
            } finally {
                service.stop();
            }
            service.assertStoppedWithin(DOCKER_STOP_GRACE);
            assertThat(service.log()).doesNotContain("Exception");
        }
    }

    /** docker stop during a long first cycle: it ends within the grace period, and loses nothing. */
    @Test
    void stoppedMidCycleItEndsBeforeDockerKillsItAndTheNextStartFinishesTheWork() throws Exception {
        try (SyncHarness h = new SyncHarness(work)) {
            for (int i = 0; i < 300; i++) {
                h.directory.addUser("User " + i, "user" + i + "@example.local", "User " + i, NORMAL_ACCOUNT);
            }
            h.mailcow.setWriteLatency(Duration.ofMillis(50));   // about 8 s of writes at 4 in parallel
            ServiceProcess service = ServiceProcess.start(h, work.resolve("service.log"));
            try {
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> h.mailcow.writeCount() >= 40);
            } finally {
                service.stop();
            }
            service.assertStoppedWithin(DOCKER_STOP_GRACE);

            int created = h.mailcow.mailboxes().size();
            assertThat(created).as("stopped part-way").isBetween(20, 299);
            assertThat(service.log()).contains("Cycle 1 stopped").contains("the service is stopping")
                    .doesNotContain("Exception");
            assertThat(h.rows("SELECT count(*) AS n FROM users").get(0).get("n"))
                    .as("every mailbox mailcow confirmed is recorded").isEqualTo(created);

            h.mailcow.setWriteLatency(Duration.ZERO);
            assertThat(Launcher.exitCode(h.cycle())).isZero();
            assertThat(h.mailcow.mailboxes()).hasSize(300);
            assertThat(h.mailcow.mailboxes().values()).allMatch(m -> m.active());
        }
    }

    /** The service JVM; its output goes to a file, and a stop that hangs is shown with its threads. */
    private record ServiceProcess(Process process, Path logFile, long[] stopTook) {

        static ServiceProcess start(SyncHarness h, Path logFile) throws IOException {
            ProcessBuilder pb = new ProcessBuilder(java("java"), "-cp", System.getProperty("java.class.path"),
                    "org.ldapmailcow.Application");
            pb.environment().putAll(h.env);
            pb.redirectErrorStream(true).redirectOutput(logFile.toFile());
            return new ServiceProcess(pb.start(), logFile, new long[] {-1});
        }

        String log() throws IOException {
            return Files.readString(logFile);
        }

        /** SIGTERM, as docker stop sends; waits up to a minute and remembers how long it took. */
        void stop() throws Exception {
            long t = System.nanoTime();
            process.destroy();
            if (!process.waitFor(DOCKER_STOP_GRACE.toSeconds(), TimeUnit.SECONDS)) {
                Path dump = logFile.resolveSibling("threads.txt");
                new ProcessBuilder(java("jcmd"), Long.toString(process.pid()), "Thread.print")
                        .redirectErrorStream(true).redirectOutput(dump.toFile()).start().waitFor(30, TimeUnit.SECONDS);
                Files.writeString(logFile, "\n--- threads " + DOCKER_STOP_GRACE.toSeconds() + " s after SIGTERM ---\n"
                        + Files.readString(dump), java.nio.file.StandardOpenOption.APPEND);
                if (!process.waitFor(50, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            }
            stopTook[0] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t);
        }

        void assertStoppedWithin(Duration limit) throws IOException {
            assertThat(stopTook[0]).as("ms from SIGTERM to exit; the service's output:%n%s", log())
                    .isBetween(0L, limit.toMillis());
        }

        private static String java(String tool) {
            return Path.of(System.getProperty("java.home"), "bin", tool).toString();
        }
    }
}
