package org.ldapmailcow.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ldapmailcow.demo.DemoDirectory.NORMAL_ACCOUNT;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.ldapmailcow.Launcher;
import org.ldapmailcow.config.Settings;
import org.ldapmailcow.demo.RecordedRequest;
import org.ldapmailcow.model.CycleRun;

/**
 * Issue 12: every managed mailbox ends up with LDAP_MAILCOW_USER_ACL, even when the ACL call was refused or the
 * creation's answer was lost; a mail with surrounding spaces or odd case is sent in one spelling everywhere.
 */
class AclConvergenceTest extends EmbeddedSyncTest {

    private static final String ANN = "ann@example.local";

    private List<String> acl(String mailbox) {
        return h.mailcow.mailboxes().get(mailbox).userAcl();
    }

    private List<RecordedRequest> requests(String endpoint) {
        return h.mailcow.requests().stream().filter(r -> r.endpoint().equals(endpoint)).toList();
    }

    @Test
    void aRefusedUserAclIsAppliedByTheNextCycle() throws Exception {
        h.directory.addUser("Ann", ANN, "Ann", NORMAL_ACCOUNT);
        h.mailcow.refuse(r -> r.endpoint().equals("POST edit/user-acl"), "access_denied");

        CycleRun first = h.cycle();
        assertThat(Launcher.exitCode(first)).isEqualTo(Launcher.CYCLE_FAILED);
        assertThat(acl(ANN)).as("mailcow's defaults after the refusal").contains("app_passwds");
        assertThat(h.rows("SELECT email, acl_applied FROM users"))
                .containsExactly(Map.of("email", ANN, "acl_applied", 0));

        h.mailcow.clearFaults();
        h.restart();
        h.set("DRY_RUN", "true");
        CycleRun dryRun = h.cycle();
        assertThat(dryRun.plan().describeWrites()).containsExactly(
                "mailbox acl " + ANN + ": user ACL not applied yet");
        assertThat(acl(ANN)).contains("app_passwds");

        h.restart();
        h.set("DRY_RUN", "false");
        h.mailcow.resetRequests();
        CycleRun second = h.cycle();
        assertThat(Launcher.exitCode(second)).as(String.join("\n", second.failures())).isZero();
        assertThat(acl(ANN)).containsExactlyInAnyOrderElementsOf(Settings.DEFAULT_USER_ACL);
        assertThat(second.plan().describeWrites()).containsExactly(
                "mailbox acl " + ANN + ": user ACL not applied yet");
        assertThat(second.appliedCounts()).containsEntry("mailbox acl", 1);
        assertThat(requests("POST add/mailbox")).isEmpty();
        assertThat(requests("POST edit/user-acl")).hasSize(1);
        assertThat(h.rows("SELECT email, acl_applied FROM users"))
                .containsExactly(Map.of("email", ANN, "acl_applied", 1));

        h.mailcow.resetRequests();
        assertThat(Launcher.exitCode(h.cycle())).isZero();
        assertThat(h.mailcow.writeCount()).as("converged").isZero();
    }

    @Test
    void aCreationWhoseAnswerIsLostGetsItsAclOnTheNextCycle() throws Exception {
        h.directory.addUser("Ann", ANN, "Ann", NORMAL_ACCOUNT);
        // mailcow creates the mailbox, but its answer is an empty body
        h.mailcow.emptyBodyOnce(r -> r.endpoint().equals("POST add/mailbox"), true);

        CycleRun first = h.cycle();
        assertThat(Launcher.exitCode(first)).isEqualTo(Launcher.CYCLE_FAILED);
        assertThat(acl(ANN)).contains("app_passwds");

        h.mailcow.resetRequests();
        CycleRun second = h.cycle();
        assertThat(Launcher.exitCode(second)).as(String.join("\n", second.failures())).isZero();
        assertThat(requests("POST add/mailbox")).isEmpty();
        assertThat(acl(ANN)).containsExactlyInAnyOrderElementsOf(Settings.DEFAULT_USER_ACL);
        assertThat(second.plan().describeWrites()).singleElement().asString()
                .startsWith("mailbox adopt acl " + ANN + ": ");
        assertThat(h.rows("SELECT email, acl_applied FROM users"))
                .containsExactly(Map.of("email", ANN, "acl_applied", 1));
        assertThat(h.rows("SELECT email FROM pending_mailboxes")).isEmpty();
    }

    @Test
    void aCreationCutShortByKill9GetsItsAclOnTheNextCycle() throws Exception {
        h.directory.addUser("Ann", ANN, "Ann", NORMAL_ACCOUNT);
        // every write waits before mailcow applies it: the kill lands after add/mailbox, before edit/user-acl
        h.mailcow.setWriteLatency(Duration.ofSeconds(3));
        try (ChildService service = ChildService.startWithLog(h.env, work.resolve("killed.log"), "--once")) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!h.mailcow.mailboxes().containsKey(ANN) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            service.kill();   // SIGKILL
        }
        assertThat(h.mailcow.mailboxes()).as("created before the kill").containsKey(ANN);
        assertThat(acl(ANN)).as("the ACL call never applied").contains("app_passwds");

        h.mailcow.setWriteLatency(Duration.ZERO);
        h.mailcow.resetRequests();
        CycleRun next = h.cycle();
        assertThat(Launcher.exitCode(next)).as(String.join("\n", next.failures())).isZero();
        assertThat(requests("POST add/mailbox")).isEmpty();
        assertThat(acl(ANN)).containsExactlyInAnyOrderElementsOf(Settings.DEFAULT_USER_ACL);
        assertThat(h.rows("SELECT email, acl_applied FROM users"))
                .containsExactly(Map.of("email", ANN, "acl_applied", 1));
    }

    @Test
    void aMailboxThatExistedBeforeIsAdoptedWithTheAclItHas() throws Exception {
        h.directory.addUser("Bob", "bob@example.local", "Bob", NORMAL_ACCOUNT);
        h.mailcow.addMailbox("bob@example.local", "Bob", true);

        assertThat(Launcher.exitCode(h.cycle())).isZero();
        assertThat(requests("POST edit/user-acl")).isEmpty();
        assertThat(acl("bob@example.local")).contains("app_passwds");
        assertThat(h.rows("SELECT acl_applied FROM users")).containsExactly(Map.of("acl_applied", 1));
    }

    @Test
    void aStateFileOfTheFirstSchemaIsUpgradedInPlace() throws Exception {
        h.directory.addUser("Ann", ANN, "Ann", NORMAL_ACCOUNT);
        h.directory.addUser("Grace Green", "Grace.Green@Example.Local", "Grace Green", NORMAL_ACCOUNT);
        h.mailcow.addMailbox(ANN, "Ann", true);
        h.mailcow.addMailbox("grace.green@example.local", "Grace Green", true);
        // the state file as schema 1 left it, with the directory's spelling of grace's mail
        Path db = work.resolve("db/ldap-mailcow.sqlite3");
        Files.createDirectories(db.getParent());
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE users (email VARCHAR NOT NULL COLLATE NOCASE PRIMARY KEY, active BOOLEAN NOT NULL, "
                    + "last_seen DATETIME NOT NULL, name TEXT, source_dn TEXT, object_guid TEXT)");
            s.execute("CREATE TABLE aliases (address VARCHAR NOT NULL COLLATE NOCASE PRIMARY KEY, goto VARCHAR NOT NULL, "
                    + "active BOOLEAN NOT NULL, last_seen DATETIME NOT NULL, kind TEXT, source_dn TEXT)");
            s.execute("CREATE TABLE pending_aliases (address VARCHAR NOT NULL COLLATE NOCASE PRIMARY KEY, "
                    + "since DATETIME NOT NULL)");
            s.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)");
            s.execute("INSERT INTO meta VALUES ('schema_version', '1')");
            s.execute("INSERT INTO users VALUES ('" + ANN + "', 1, '2026-12-01T00:00:00Z', 'Ann', NULL, NULL)");
            s.execute("INSERT INTO users VALUES ('Grace.Green@Example.Local', 1, '2026-12-01T00:00:00Z', 'Grace Green', "
                    + "NULL, NULL)");
        }

        CycleRun run = h.cycle();

        assertThat(Launcher.exitCode(run)).as(String.join("\n", run.failures())).isZero();
        assertThat(h.mailcow.writeCount()).as("its rows count as having their ACL").isZero();
        assertThat(h.rows("SELECT email, acl_applied FROM users ORDER BY email")).containsExactly(
                Map.of("email", ANN, "acl_applied", 1), Map.of("email", "grace.green@example.local", "acl_applied", 1));
        assertThat(h.rows("SELECT value FROM meta WHERE key = 'schema_version'"))
                .containsExactly(Map.of("value", "3"));
        // schema 3's offboarding columns, added in place: nobody is offboarding
        assertThat(h.rows("SELECT count(*) AS n FROM users WHERE offboarding_stage IS NULL AND missed_cycles = 0"))
                .containsExactly(Map.of("n", 2));
    }

    @Test
    void aMailWithSpacesAndOddCaseIsSentInOneSpellingEverywhere() throws Exception {
        String dn = h.directory.addUser("Grace Green", " Grace.Green@Example.Local ", "Grace Green", NORMAL_ACCOUNT,
                "smtp:GGreen@example.local");
        h.directory.addGroup("Support", "support@example.local", List.of(dn));
        String grace = "grace.green@example.local";

        CycleRun first = h.cycle();
        assertThat(Launcher.exitCode(first)).as(String.join("\n", first.failures())).isZero();
        assertThat(h.mailcow.mailboxes()).containsOnlyKeys(grace);
        assertThat(acl(grace)).containsExactlyInAnyOrderElementsOf(Settings.DEFAULT_USER_ACL);

        RecordedRequest add = requests("POST add/mailbox").get(0);
        assertThat(add.json().get("local_part").asText() + "@" + add.json().get("domain").asText()).isEqualTo(grace);
        assertThat(requests("POST edit/user-acl")).singleElement()
                .satisfies(r -> assertThat(r.json().get("items").get(0).asText()).isEqualTo(grace));
        assertThat(requests("POST add/alias")).extracting(r -> r.json().get("goto").asText())
                .containsOnly(grace);
        assertThat(h.rows("SELECT email, acl_applied FROM users"))
                .containsExactly(Map.of("email", grace, "acl_applied", 1));

        // a rename later goes to the same spelling, and an unchanged entry writes nothing
        h.directory.setAttribute(dn, "displayName", "Grace Green-White");
        h.mailcow.resetRequests();
        CycleRun second = h.cycle();
        assertThat(Launcher.exitCode(second)).isZero();
        assertThat(requests("POST edit/mailbox")).singleElement()
                .satisfies(r -> assertThat(r.json().get("items").get(0).asText()).isEqualTo(grace));
        h.mailcow.resetRequests();
        assertThat(Launcher.exitCode(h.cycle())).isZero();
        assertThat(h.mailcow.writeCount()).isZero();
    }
}
