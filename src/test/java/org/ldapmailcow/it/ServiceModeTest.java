package org.ldapmailcow.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ldapmailcow.demo.DemoDirectory.NORMAL_ACCOUNT;

import java.nio.file.Path;
import java.time.Duration;

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
            ChildService service = ChildService.startWithLog(h.env, work.resolve("service.log"));
            Duration stopTook;
            try {
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> h.mailcow.mailboxes().containsKey("ann@example.local"));
                assertThat(Duration.ofNanos(System.nanoTime() - started)).as("first cycle right after start")
                        .isLessThan(Duration.ofSeconds(20));

                h.directory.addUser("Ben", "ben@example.local", "Ben", NORMAL_ACCOUNT);
                Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> h.mailcow.mailboxes().containsKey("ben@example.local"));
                Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> service.log().contains("Cycle 3 succeeded"));
                assertThat(service.log()).contains("Cycle 1 succeeded");
            } finally {
                stopTook = service.terminate(DOCKER_STOP_GRACE);
            }
            assertStoppedWithin(stopTook, DOCKER_STOP_GRACE, service);
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
            ChildService service = ChildService.startWithLog(h.env, work.resolve("service.log"));
            Duration stopTook;
            try {
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> h.mailcow.writeCount() >= 40);
            } finally {
                stopTook = service.terminate(DOCKER_STOP_GRACE);
            }
            assertStoppedWithin(stopTook, DOCKER_STOP_GRACE, service);

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

    private static void assertStoppedWithin(Duration took, Duration limit, ChildService service) throws Exception {
        assertThat(took.toMillis()).as("ms from SIGTERM to exit; the service's output:%n%s", service.log())
                .isBetween(0L, limit.toMillis());
    }
}
