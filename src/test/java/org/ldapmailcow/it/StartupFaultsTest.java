package org.ldapmailcow.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;

import org.apache.logging.log4j.Level;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ldapmailcow.Launcher;
import org.ldapmailcow.auth.LogCapture;
import org.ldapmailcow.demo.MailcowEmulator;
import org.ldapmailcow.ops.Operations;

/** Issue 12: start-up and shutdown when a peer, the management port or the state file is not as expected. */
class StartupFaultsTest {

    /** docker stop sends SIGTERM and kills after 10 s; the service must be gone well before. */
    private static final Duration STOP_LIMIT = Duration.ofSeconds(2);

    @TempDir
    Path work;

    @Test
    void sigtermWhileWaitingForADirectoryThatIsDownEndsTheServiceAtOnce() throws Exception {
        try (SyncHarness h = new SyncHarness(work)) {
            h.set("LDAP_URI", "ldap://127.0.0.1:" + closedPort());
            try (ChildService service = ChildService.start(h.env, work.resolve("run"))) {
                Awaitility.await().atMost(Duration.ofSeconds(40))
                        .until(() -> service.log().contains("Waiting for the directory (attempt 2)"));
                assertSigtermEndsItAtOnce(service);
            }
        }
    }

    @Test
    void sigtermWhileWaitingForAFrozenMailcowEndsTheServiceAtOnce() throws Exception {
        // a listening socket nobody accepts from: the kernel completes the connection, no answer ever comes,
        // as from a SIGSTOPped mailcow
        try (SyncHarness h = new SyncHarness(work);
             ServerSocket frozen = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            h.set("API_HOST", "http://127.0.0.1:" + frozen.getLocalPort());
            try (ChildService service = ChildService.start(h.env, work.resolve("run"))) {
                Awaitility.await().atMost(Duration.ofSeconds(40))
                        .until(() -> service.log().contains("The directory answers"));
                Thread.sleep(1000);   // the probe of mailcow is under way and waits for its answer
                assertSigtermEndsItAtOnce(service);
            }
        }
    }

    @Test
    void theManagementServerListensOnLoopbackUnlessWidened() throws Exception {
        Optional<InetAddress> external = nonLoopbackAddress();
        try (SyncHarness h = new SyncHarness(work)) {
            int port = Operations.managementPort(h.started().context());
            assertThat(reachable(InetAddress.getLoopbackAddress(), port)).isTrue();
            external.ifPresent(a -> assertThat(reachable(a, port)).as("from %s", a).isFalse());

            h.restart();
            h.set("MANAGEMENT_HOST", "0.0.0.0");
            int widened = Operations.managementPort(h.started().context());
            assertThat(reachable(InetAddress.getLoopbackAddress(), widened)).isTrue();
            external.ifPresent(a -> assertThat(reachable(a, widened)).as("from %s", a).isTrue());
        }
    }

    @Test
    void aManagementPortInUseStopsStartUpWithOneLineNamingTheVariable() throws Exception {
        try (SyncHarness h = new SyncHarness(work); ServerSocket busy = new ServerSocket(0)) {
            h.set("MANAGEMENT_PORT", Integer.toString(busy.getLocalPort()));
            try (ChildService service = ChildService.start(h.env, work.resolve("run"))) {
                assertThat(service.exitCode(Duration.ofSeconds(60))).as(service.output()).isEqualTo(Launcher.STARTUP_FAILED);
                assertThat(service.errors().lines().toList()).as(service.output()).singleElement().satisfies(line ->
                        assertThat(line).contains("LDAP_MAILCOW_MANAGEMENT_PORT")
                                .contains(Integer.toString(busy.getLocalPort())).contains("in use"));
                assertThat(service.log()).doesNotContain("Health at");
                assertThat(h.mailcow.requests()).as("no cycle ran").isEmpty();
            }
        }
    }

    @Test
    void aStateFileThatIsNotADatabaseStopsStartUpWithOneLineSayingHowToRecover() throws Exception {
        byte[] random = new byte[8192];
        new SecureRandom().nextBytes(random);
        byte[][] contents = {"users: ann, ben\nnot a database\n".getBytes(StandardCharsets.UTF_8), random};
        for (byte[] content : contents) {
            Path dir = Files.createTempDirectory(work, "state");
            try (SyncHarness h = new SyncHarness(dir)) {
                Path db = Files.createDirectories(dir.resolve("db")).resolve("ldap-mailcow.sqlite3");
                Files.write(db, content);
                Once once = once(h);
                assertThat(once.exit()).as(once.errors()).isEqualTo(Launcher.STARTUP_FAILED);
                assertThat(once.errors().lines().toList()).singleElement().satisfies(line ->
                        assertThat(line).contains(db.toString()).contains("not an SQLite database")
                                .contains("backup").contains("move it away"));
                assertThat(Files.readAllBytes(db)).as("the file is left as it was").isEqualTo(content);
                assertThat(h.mailcow.requests()).as("no cycle ran").isEmpty();
            }
        }
    }

    @Test
    void aWrongApiKeyIsOneLineWithMailcowsAnswerAndWhatToCheck() throws Exception {
        try (LogCapture log = LogCapture.open(Level.INFO);
             SyncHarness h = new SyncHarness(work);
             MailcowEmulator otherMailcow = new MailcowEmulator("another-key").start()) {
            h.set("API_HOST", otherMailcow.baseUrl());
            Once once = once(h);
            assertThat(once.exit()).as(once.errors()).isEqualTo(Launcher.STARTUP_FAILED);
            assertThat(otherMailcow.requests()).as("mailcow was asked").isNotEmpty();
            assertThat(once.errors().lines().toList()).singleElement().satisfies(line ->
                    assertThat(line).contains("mailcow refused the API key").contains("HTTP 401")
                            .contains("authentication failed").contains("LDAP_MAILCOW_API_KEY")
                            .contains("allowed IPs"));
            assertThat(log.lines()).noneMatch(l -> l.contains("Message History"))
                    .noneMatch(l -> l.contains("Exchange[")).noneMatch(l -> l.contains("\tat "));
        }
    }

    @Test
    void aRightKeyFromAnAddressTheApiDoesNotAllowIsOneLineWithMailcowsAnswer() throws Exception {
        try (LogCapture log = LogCapture.open(Level.INFO); SyncHarness h = new SyncHarness(work)) {
            h.mailcow.setAllowedIps(java.util.Set.of("192.0.2.99"));
            Once once = once(h);
            assertThat(once.exit()).as(once.errors()).isEqualTo(Launcher.STARTUP_FAILED);
            assertThat(once.errors().lines().toList()).singleElement().satisfies(line ->
                    assertThat(line).contains("mailcow refused the API key")
                            .contains("HTTP 401: api access denied for ip 127.0.0.1").contains("allowed IPs"));
            assertThat(log.lines()).noneMatch(l -> l.contains("Message History"));
        }
    }

    private static void assertSigtermEndsItAtOnce(ChildService service) throws Exception {
        Duration took = service.terminate(Duration.ofSeconds(15));
        assertThat(took).as("SIGTERM to exit%n%s", service.output()).isLessThan(STOP_LIMIT);
        assertThat(service.output()).doesNotContain("Forcing").doesNotContain("Timeout occurred")
                .doesNotContain("start-up failed");
    }

    /** {@code --once} in this JVM: its exit code and what it printed on standard error. */
    private record Once(int exit, String errors) {
    }

    private static Once once(SyncHarness h) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new Launcher(h.env, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(new String[] {"--once"});
        return new Once(exit, err.toString(StandardCharsets.UTF_8));
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static boolean reachable(InetAddress address, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), 2000);
            return true;
        } catch (Exception refused) {
            return false;
        }
    }

    /** An address of this machine other people could reach it on, when it has one. */
    private static Optional<InetAddress> nonLoopbackAddress() throws Exception {
        return NetworkInterface.networkInterfaces().filter(i -> {
            try {
                return i.isUp() && !i.isLoopback();
            } catch (Exception e) {
                return false;
            }
        }).flatMap(NetworkInterface::inetAddresses).filter(a -> a instanceof Inet4Address).findFirst();
    }
}
