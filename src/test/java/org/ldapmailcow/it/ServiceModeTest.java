package org.ldapmailcow.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ldapmailcow.demo.DemoDirectory.NORMAL_ACCOUNT;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service as an admin runs it (a separate JVM, no option): a cycle right after start, then every interval. */
class ServiceModeTest {

    @TempDir
    Path work;

    @Test
    void firstCycleRightAfterStartThenEveryIntervalAndACleanStop() throws Exception {
        try (SyncHarness h = new SyncHarness(work)) {
            h.directory.addUser("Ann", "ann@example.local", "Ann", NORMAL_ACCOUNT);
            h.set("SYNC_INTERVAL", "2");
            Path log = work.resolve("service.log");
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "org.ldapmailcow.Application");
            pb.environment().putAll(h.env);
            pb.redirectErrorStream(true).redirectOutput(log.toFile());
            long started = System.nanoTime();
            Process service = pb.start();
            try {
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> h.mailcow.mailboxes().containsKey("ann@example.local"));
                assertThat(Duration.ofNanos(System.nanoTime() - started)).as("first cycle right after start")
                        .isLessThan(Duration.ofSeconds(20));

                h.directory.addUser("Ben", "ben@example.local", "Ben", NORMAL_ACCOUNT);
                Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> h.mailcow.mailboxes().containsKey("ben@example.local"));
                Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> Files.readString(log).contains("Cycle 2 succeeded"));
                assertThat(Files.readString(log)).contains("Cycle 1 succeeded");
            } finally {
                service.destroy();   // SIGTERM, as docker stop sends
                assertThat(service.waitFor(30, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
            }
            assertThat(Files.readString(log)).doesNotContain("Exception");
        }
    }
}
