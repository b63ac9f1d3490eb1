package org.ldapmailcow.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ldapmailcow.demo.DemoDirectory.NORMAL_ACCOUNT;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.ldapmailcow.Launcher;
import org.ldapmailcow.demo.MailboxView;
import org.ldapmailcow.model.CycleRun;

/** Issue 5: a mistyped filter or a dead directory deactivates nothing; faults are survived. */
class SafetyTest extends EmbeddedSyncTest {

    private List<String> addUsers(int n) {
        List<String> dns = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            dns.add(h.directory.addUser("User " + i, "user" + i + "@example.local", "User " + i, NORMAL_ACCOUNT));
        }
        return dns;
    }

    private long activeMailboxes() {
        return h.mailcow.mailboxes().values().stream().filter(MailboxView::active).count();
    }

    @Test
    void aFilterMatchingNothingDeactivatesNothing() throws Exception {
        addUsers(8);
        h.cycle();
        h.restart();
        h.set("LDAP_FILTER", "(&(objectClass=user)(department=does-not-exist))")
                .set("SOGO_LDAP_FILTER", "objectClass='user' AND department='does-not-exist'");
        h.mailcow.resetRequests();

        CycleRun run = h.cycle();

        assertThat(Launcher.exitCode(run)).isEqualTo(Launcher.CYCLE_ABORTED);
        assertThat(run.error()).contains("no user");
        assertThat(h.mailcow.writeCount()).isZero();
        assertThat(activeMailboxes()).isEqualTo(8);
    }

    @Test
    void aDirectoryThatDiesDeactivatesNothing() throws Exception {
        addUsers(8);
        h.cycle();
        h.directory.server().shutDown(true);
        h.mailcow.resetRequests();

        CycleRun run = h.cycle();

        assertThat(Launcher.exitCode(run)).isEqualTo(Launcher.CYCLE_ABORTED);
        assertThat(h.mailcow.writeCount()).isZero();
        assertThat(h.rows("SELECT count(*) AS n FROM users WHERE active = 1").get(0).get("n")).isEqualTo(8);
    }

    @Test
    void aSearchFailingHalfwayDeactivatesNothing() throws Exception {
        h.directory.addUsers(1200, "bulk");
        h.cycle();
        h.restart();
        // a page larger than the server's size limit: the search fails after 1000 entries
        h.set("LDAP_PAGE_SIZE", "5000");
        h.mailcow.resetRequests();

        CycleRun run = h.cycle();

        assertThat(Launcher.exitCode(run)).isEqualTo(Launcher.CYCLE_ABORTED);
        assertThat(h.mailcow.writeCount()).isZero();
        assertThat(activeMailboxes()).isEqualTo(1200);
    }

    @Test
    void tooManyDeactivationsAreHeldBackByCountOrPercentageUnlessForced() throws Exception {
        List<String> dns = addUsers(20);
        h.cycle();
        for (int i = 0; i < 8; i++) {
            h.directory.delete(dns.get(i));
        }
        h.directory.addUser("Newcomer", "new@example.local", "Newcomer", NORMAL_ACCOUNT);

        CycleRun limited = h.cycle();   // default 10% of 20 = 2, raised to the floor of 5: 8 is too many
        assertThat(Launcher.exitCode(limited)).isEqualTo(Launcher.CYCLE_FAILED);
        assertThat(limited.error()).contains("LDAP_MAILCOW_MAX_DEACTIVATIONS").contains("8 deactivations");
        assertThat(activeMailboxes()).isEqualTo(21);
        assertThat(h.mailcow.mailboxes()).containsKey("new@example.local");

        h.restart();
        h.set("MAX_DEACTIVATIONS", "50%");
        assertThat(Launcher.exitCode(h.cycle())).isZero();
        assertThat(activeMailboxes()).isEqualTo(13);

        for (int i = 8; i < 16; i++) {
            h.directory.delete(dns.get(i));
        }
        h.restart();
        h.set("MAX_DEACTIVATIONS", "3");
        assertThat(Launcher.exitCode(h.cycle())).isEqualTo(Launcher.CYCLE_FAILED);
        assertThat(activeMailboxes()).isEqualTo(13);
        h.restart();
        h.set("FORCE_DEACTIVATIONS", "true");
        assertThat(Launcher.exitCode(h.cycle())).isZero();
        assertThat(activeMailboxes()).isEqualTo(5);
    }

    @Test
    void anUnreadableEntryIsNotTakenForAGoneOne() throws Exception {
        List<String> dns = addUsers(3);
        h.cycle();
        h.directory.setAttribute(dns.get(0), "userAccountControl", "not-a-number");
        h.directory.addUser("Newcomer", "new@example.local", "Newcomer", NORMAL_ACCOUNT);

        CycleRun run = h.cycle();

        assertThat(Launcher.exitCode(run)).isEqualTo(Launcher.CYCLE_FAILED);
        assertThat(run.error()).contains("could not be read");
        assertThat(h.mailcow.mailboxes().get("user0@example.local").active()).isTrue();
        assertThat(h.mailcow.mailboxes()).containsKey("new@example.local");
    }

    @Test
    void dryRunPrintsThePlanAndWritesNothing() throws Exception {
        h.directory.seedSample();
        h.set("DRY_RUN", "true").set("AUTH_MODE", "templates");

        CycleRun run = h.cycle();

        assertThat(Launcher.exitCode(run)).isZero();
        assertThat(run.plan().describeWrites()).anySatisfy(l -> assertThat(l).startsWith("mailbox create alice@example.local"))
                .anySatisfy(l -> assertThat(l).startsWith("alias add sales@example.local"));
        assertThat(h.mailcow.writeCount()).isZero();
        // no row recorded: there is not even a state file (DryRunTest checks every file)
        assertThat(work.resolve("db/ldap-mailcow.sqlite3")).as("no state recorded").doesNotExist();
        assertThat(Files.exists(work.resolve("conf"))).as("no config file written").isFalse();
    }

    @Test
    void startsBeforeMailcowAndSyncsOnceItAnswers() throws Exception {
        addUsers(3);
        h.mailcow.setAvailable(false);
        ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
        try {
            later.schedule(() -> h.mailcow.setAvailable(true), 2, TimeUnit.SECONDS);
            h.set("STARTUP_TIMEOUT", "60");
            CycleRun run = h.cycle();
            assertThat(Launcher.exitCode(run)).isZero();
            assertThat(h.mailcow.mailboxes()).hasSize(3);
        } finally {
            later.shutdownNow();
        }
    }

    @Test
    void serverErrorsAreRetriedAndTheCycleSucceeds() throws Exception {
        addUsers(3);
        h.cycle();
        h.directory.addUser("Late", "late@example.local", "Late", NORMAL_ACCOUNT);
        h.mailcow.failNextRequests(2, 503);

        CycleRun run = h.cycle();

        assertThat(Launcher.exitCode(run)).isZero();
        assertThat(h.mailcow.mailboxes()).containsKey("late@example.local");
    }

    @Test
    void aListingSlowerThanTheApiTimeoutIsWaitedFor() throws Exception {
        // mailcow lists mailboxes at milliseconds each: a large install answers after the write timeout
        addUsers(3);
        h.set("API_TIMEOUT", "1").set("API_READ_TIMEOUT", "20").set("FULL_SYNC_EVERY", "1");
        h.cycle();
        h.mailcow.setListingLatencyPerItem(Duration.ofMillis(600));
        h.mailcow.resetRequests();

        long t0 = System.nanoTime();
        CycleRun run = h.cycle();

        assertThat(run.full).isTrue();
        assertThat(Launcher.exitCode(run)).isZero();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("the listing of 3 mailboxes took 1.8 s")
                .isGreaterThan(Duration.ofMillis(1800));
        assertThat(h.mailcow.countByEndpoint()).containsEntry("GET get/mailbox/reduced", 1L);
        assertThat(activeMailboxes()).isEqualTo(3);
    }

    @Test
    void aWriteWhoseAnswerIsLostConvergesOnTheNextCycle() throws Exception {
        h.directory.addUser("Ann", "ann@example.local", "Ann", NORMAL_ACCOUNT, "smtp:annie@example.local");
        // mailcow applies both writes but the answers never arrive, as when the process dies right after them
        h.mailcow.emptyBodyOnce(r -> r.endpoint().equals("POST add/alias"), true);
        h.mailcow.emptyBodyOnce(r -> r.endpoint().equals("POST add/mailbox"), true);

        CycleRun first = h.cycle();
        assertThat(Launcher.exitCode(first)).isEqualTo(Launcher.CYCLE_FAILED);
        assertThat(h.rows("SELECT email FROM users")).isEmpty();
        assertThat(h.rows("SELECT address FROM aliases")).isEmpty();

        h.restart();
        h.mailcow.resetRequests();
        CycleRun second = h.cycle();
        assertThat(Launcher.exitCode(second)).isZero();
        assertThat(h.rows("SELECT email FROM users")).hasSize(1);
        assertThat(h.rows("SELECT address FROM aliases")).hasSize(1);
        assertThat(h.mailcow.requests()).noneMatch(r -> r.endpoint().equals("POST add/mailbox"));
        assertThat(second.plan().skips()).noneMatch(s -> s.reason().contains("not created by ldap-mailcow"));
        assertThat(h.rows("SELECT address FROM pending_aliases")).isEmpty();

        // and it is this tool's own: removing the source deletes it
        h.directory.setAttribute(h.directory.addUser("Tmp", "tmp@example.local", "Tmp", NORMAL_ACCOUNT), "mail");
        h.directory.setAttribute("CN=Ann,OU=Mail Users,DC=example,DC=local", "proxyAddresses");
        h.cycle();
        assertThat(h.mailcow.aliases()).doesNotContainKey("annie@example.local");
    }

    @Test
    void killedMidCycleLosesNothingAndTheNextCycleConverges() throws Exception {
        for (int i = 0; i < 24; i++) {
            h.directory.addUser("User " + i, "user" + i + "@example.local", "User " + i, NORMAL_ACCOUNT,
                    "smtp:alias" + i + "@example.local");
        }
        h.mailcow.setWriteLatency(java.time.Duration.ofMillis(60));
        ChildService service = ChildService.startWithLog(h.env, work.resolve("killed.log"), "--once");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (h.mailcow.writeCount() < 20 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        service.kill();   // SIGKILL, mid-cycle
        assertThat(h.mailcow.writeCount()).as("killed part-way").isBetween(20L, 70L);

        h.mailcow.setWriteLatency(java.time.Duration.ZERO);
        CycleRun run = h.cycle();

        assertThat(Launcher.exitCode(run)).isZero();
        assertThat(h.mailcow.mailboxes()).hasSize(24);
        assertThat(h.mailcow.aliases()).hasSize(24);
        assertThat(h.rows("SELECT count(*) AS n FROM users").get(0).get("n")).isEqualTo(24);
        assertThat(h.rows("SELECT count(*) AS n FROM aliases").get(0).get("n")).isEqualTo(24);
        assertThat(run.plan().skips()).noneMatch(s -> s.reason().contains("not created by ldap-mailcow"));
    }

    @Test
    void excludedAddressesAreNeverTouched() throws Exception {
        String svc = h.directory.addUser("Svc", "svc-backup@example.local", "Service", NORMAL_ACCOUNT);
        h.directory.addUser("Ann", "ann@example.local", "Ann", NORMAL_ACCOUNT);
        h.mailcow.addMailbox("boss@example.local", "Boss", true);
        h.set("EXCLUDE", "svc-*@example.local, boss@example.local");
        h.cycle();
        assertThat(h.mailcow.mailboxes()).doesNotContainKey("svc-backup@example.local");
        h.directory.delete(svc);
        h.cycle();
        assertThat(h.mailcow.mailboxes().get("boss@example.local").active()).isTrue();
    }
}
