package org.ldapmailcow.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ldapmailcow.demo.DemoDirectory.NORMAL_ACCOUNT;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ldapmailcow.Launcher;
import org.ldapmailcow.auth.ConfigFileWriter;
import org.ldapmailcow.demo.DemoApplication;
import org.ldapmailcow.demo.RecordedRequest;

/**
 * Issues 12 and 17: {@code --dry-run} writes nothing at all (no state file, no report, no config file, not even
 * a directory), still plans from the state as it is, and ends with the plan's totals.
 */
class DryRunTest extends EmbeddedSyncTest {

    static final List<String> CONFIG_FILES = List.of("dovecot/ldap/passdb.conf", "dovecot/extra.conf",
            "sogo/plist_ldap", "sogo/plist_ldap.sh");

    @BeforeEach
    void renderTheAuthConfig() {
        h.set("AUTH_MODE", "templates");
    }

    @Test
    void onAFreshMachineNothingIsCreatedAndTheLastLineGivesThePlansTotals() throws Exception {
        h.directory.seedSample();
        Map<String, String> before = WorkTree.snapshot(work);

        DryRunLauncher run = DryRunLauncher.run(h.env);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(WorkTree.snapshot(work)).as("no state file, db directory, report or config file")
                .isEqualTo(before).containsOnlyKeys(".");
        assertThat(run.plannedChanges()).anySatisfy(c -> assertThat(c).startsWith("mailbox create alice@example.local"))
                .anySatisfy(c -> assertThat(c).startsWith("alias add sales@example.local"));
        onlyReadsFromMailcow();
        for (String file : CONFIG_FILES) {
            assertThat(run.messages(ConfigFileWriter.class))
                    .contains("Dry run: " + work.resolve("conf").resolve(file) + " would be created (not written)");
        }
        claimsNothingWritten(run);
        assertLastLine(run, "would create 9 mailboxes, edit 0, deactivate 0, add 14 aliases, edit 0, delete 0; "
                + "held back: none; skipped 5; read 11 users, 5 groups; nothing written");
    }

    @Test
    void anExistingStateFileIsReadAsItIsAndTheDryRunPlansFromIt() throws Exception {
        String ann = h.directory.addUser("Ann", "ann@example.local", "Ann A", NORMAL_ACCOUNT, "smtp:annie@example.local");
        String ben = h.directory.addUser("Ben", "ben@example.local", "Ben B", NORMAL_ACCOUNT);
        String cid = h.directory.addUser("Cid", "cid@example.local", "Cid C", NORMAL_ACCOUNT);
        String dan = h.directory.addUser("Dan", "dan@example.local", "Dan D", NORMAL_ACCOUNT, "smtp:danny@example.local");
        assertThat(Launcher.exitCode(h.cycle())).isZero();
        h.restart();
        // since the last cycle: Eve joined, Ben was renamed, Cid left, Ann got a second address, Dan lost his
        h.directory.addUser("Eve", "eve@example.local", "Eve E", NORMAL_ACCOUNT);
        h.directory.setAttribute(ben, "displayName", "Ben Bauer");
        h.directory.delete(cid);
        h.directory.setAttribute(ann, "proxyAddresses", "smtp:annie@example.local", "smtp:ann.a@example.local");
        h.directory.setAttribute(dan, "proxyAddresses");
        Path extra = work.resolve("conf/dovecot/extra.conf");
        Files.writeString(extra, "# a local edit\n", StandardOpenOption.APPEND);
        h.mailcow.resetRequests();
        Map<String, String> before = WorkTree.snapshot(work);
        assertThat(before).containsKeys("db/ldap-mailcow.sqlite3", "db/reports", "conf/dovecot/extra.conf")
                .doesNotContainKeys("db/ldap-mailcow.sqlite3-wal", "db/ldap-mailcow.sqlite3-shm");

        DryRunLauncher run = DryRunLauncher.run(h.env);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(WorkTree.snapshot(work)).as("state file, reports and config files as they were").isEqualTo(before);
        onlyReadsFromMailcow();
        assertThat(run.plannedChanges()).extracting(c -> c.substring(0, c.indexOf(':')))
                .containsExactlyInAnyOrder("mailbox create eve@example.local", "mailbox rename ben@example.local",
                        "mailbox deactivate cid@example.local", "alias add ann.a@example.local -> ann@example.local",
                        "alias delete danny@example.local");
        assertThat(run.messages(ConfigFileWriter.class)).contains("Dry run: " + extra + " would change (not written)");
        claimsNothingWritten(run);
        assertLastLine(run, "would create 1 mailbox, edit 1, deactivate 1, add 1 alias, edit 0, delete 1; "
                + "held back: none; skipped 1; read 5 users, 0 groups; nothing written");
        // and the state file still says what the last real cycle did
        assertThat(h.rows("SELECT email FROM users WHERE active = 1 ORDER BY email")).extracting(r -> r.get("email"))
                .containsExactly("ann@example.local", "ben@example.local", "cid@example.local", "dan@example.local");
    }

    @Test
    void removalsTheGuardWouldHoldBackAreNamedInTheLastLine() throws Exception {
        List<String> dns = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            dns.add(h.directory.addUser("User " + i, "user" + i + "@example.local", "User " + i, NORMAL_ACCOUNT));
        }
        assertThat(Launcher.exitCode(h.cycle())).isZero();
        h.restart();
        for (int i = 0; i < 8; i++) {
            h.directory.delete(dns.get(i));
        }
        h.mailcow.resetRequests();

        DryRunLauncher run = DryRunLauncher.run(h.env);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(Launcher.CYCLE_FAILED);
        onlyReadsFromMailcow();
        assertLastLine(run, "would create 0 mailboxes, edit 0, deactivate 0, add 0 aliases, edit 0, delete 0; "
                + "held back: cycle planned 8 deactivations and 0 alias deletions (8 in all), above "
                + "LDAP_MAILCOW_MAX_DEACTIVATIONS=10% (5 of 20 managed active mailboxes); none applied. Check the "
                + "directory, or run once with --force; skipped 1; read 13 users, 0 groups; nothing written");
    }

    @Test
    void whileTheServiceHoldsTheStateFileOpenTheDryRunReadsItsWriteAheadLog() throws Exception {
        h.directory.addUser("Ann", "ann@example.local", "Ann A", NORMAL_ACCOUNT);
        assertThat(Launcher.exitCode(h.cycle())).isZero();
        h.restart();
        h.mailcow.addMailbox("old@example.local", "Old O", true);
        Path db = work.resolve("db/ldap-mailcow.sqlite3");
        // as a running service does: its last commit is still in the write-ahead log, not in the file itself
        try (Connection service = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement s = service.createStatement()) {
            s.execute("INSERT INTO users (email, active, last_seen) VALUES ('old@example.local', 1, '2026-12-01 06:00:00')");
            assertThat(Files.size(work.resolve("db/ldap-mailcow.sqlite3-wal"))).isPositive();
            h.mailcow.resetRequests();
            Map<String, String> before = WorkTree.snapshot(work);

            DryRunLauncher run = DryRunLauncher.run(h.env);

            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.plannedChanges()).as("old@ is managed: its row is in the log")
                    .singleElement().asString().startsWith("mailbox deactivate old@example.local");
            onlyReadsFromMailcow();
            // SQLite's shared-memory index (-shm) is the one file a reader of a live log may touch
            Map<String, String> after = WorkTree.snapshot(work);
            after.remove("db/ldap-mailcow.sqlite3-shm");
            before.remove("db/ldap-mailcow.sqlite3-shm");
            assertThat(after).isEqualTo(before);
        }
    }

    @Test
    void theDemosDryRunDoesNotSayTheAuthConfigWasRendered() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream print = new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8);

        int code = DemoApplication.run(List.of("--dry-run"), print, print);

        String printed = out.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(code).as(printed).isZero();
        assertThat(printed).doesNotContain("rendered").containsPattern("Auth config: a dry run leaves \\S+ as it is");
    }

    private void onlyReadsFromMailcow() {
        assertThat(h.mailcow.requests()).isNotEmpty().extracting(RecordedRequest::method).containsOnly("GET");
    }

    /** The last line is the dry run's totals, not a cycle that "succeeded ... no change". */
    static void assertLastLine(DryRunLauncher run, String totals) {
        assertThat(run.lastLine()).as(run.toString())
                .matches("Dry run of cycle [0-9]+ in [0-9.]+ s \\(full reconcile\\): " + Pattern.quote(totals));
    }

    /** Nothing in the output says a file was rendered or written, or will be. */
    static void claimsNothingWritten(DryRunLauncher run) {
        assertThat(run.log()).as(run.toString())
                .noneMatch(l -> l.toLowerCase().contains("rendered"))
                .noneMatch(l -> l.contains("Wrote ") || l.contains("restart the mailcow containers"))
                .noneMatch(l -> l.contains("reports in") || l.contains("backed up") || l.contains("migrating in place"))
                .filteredOn(l -> l.contains("written"))
                .allMatch(l -> l.contains("(not written)") || l.contains("nothing written") || l.contains("nothing is written")
                        || l.contains("no configuration file written"));
        assertThat(run.out() + run.err()).doesNotContainIgnoringCase("rendered").doesNotContain("written");
    }
}
