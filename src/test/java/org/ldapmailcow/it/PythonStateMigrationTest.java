package org.ldapmailcow.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ldapmailcow.demo.DemoDirectory.NORMAL_ACCOUNT;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ldapmailcow.Launcher;
import org.ldapmailcow.demo.RecordedRequest;
import org.ldapmailcow.model.CycleRun;

/**
 * Issue 6, drop-in: the service started on the state file the Python tool left behind (same path, same
 * tables, rows as SQLAlchemy wrote them) and on the mailcow that tool filled takes over without creating
 * anything twice, and keeps managing the aliases the tool made.
 */
class PythonStateMigrationTest extends EmbeddedSyncTest {

    /** As SQLAlchemy's create_all emitted the Python tool's two models on SQLite. */
    private static final String[] PYTHON_SCHEMA = {
        "CREATE TABLE users (\n\temail VARCHAR NOT NULL, \n\tactive BOOLEAN NOT NULL, \n\tlast_seen DATETIME NOT NULL, "
                + "\n\tPRIMARY KEY (email)\n)",
        "CREATE TABLE aliases (\n\taddress VARCHAR NOT NULL, \n\tgoto VARCHAR NOT NULL, \n\tactive BOOLEAN NOT NULL, "
                + "\n\tlast_seen DATETIME NOT NULL, \n\tPRIMARY KEY (address)\n)"
    };
    /** The last cycle's start time, as SQLAlchemy stores a datetime on SQLite. */
    private static final String LAST_SEEN = "2026-11-20 06:15:02.417315";

    String bob;

    @BeforeEach
    void pythonToolWasHere() throws Exception {
        // the directory as it is now: carl has left, and with him his alias old@
        String alice = h.directory.addUser("Alice", "alice@example.local", "Alice A", NORMAL_ACCOUNT,
                "smtp:ali@example.local");
        bob = h.directory.addUser("Bob", "bob@example.local", "Bob B", NORMAL_ACCOUNT, "smtp:bobby@example.local");
        h.directory.addGroup("Team", "team@example.local", List.of(alice, bob));

        // mailcow as the Python tool left it
        h.mailcow.addMailbox("alice@example.local", "Alice A", true);
        h.mailcow.addMailbox("bob@example.local", "Bob B", true);
        h.mailcow.addMailbox("carl@example.local", "Carl C", true);
        h.mailcow.addAlias("ali@example.local", "alice@example.local", true);
        h.mailcow.addAlias("bobby@example.local", "bob@example.local", true);
        h.mailcow.addAlias("team@example.local", "alice@example.local,bob@example.local", true);
        h.mailcow.addAlias("old@example.local", "carl@example.local", true);
        h.mailcow.addAlias("handmade@example.local", "alice@example.local", true);

        // its state file, where the Python tool kept it (./data/ldap mounted as /db)
        Path db = work.resolve("db/ldap-mailcow.sqlite3");
        Files.createDirectories(db.getParent());
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            for (String ddl : PYTHON_SCHEMA) {
                s.execute(ddl);
            }
            try (PreparedStatement users = c.prepareStatement("INSERT INTO users VALUES (?, ?, ?)");
                 PreparedStatement aliases = c.prepareStatement("INSERT INTO aliases VALUES (?, ?, ?, ?)")) {
                for (String email : List.of("alice@example.local", "bob@example.local", "carl@example.local")) {
                    users.setString(1, email);
                    users.setInt(2, 1);
                    users.setString(3, LAST_SEEN);
                    users.executeUpdate();
                }
                String[][] rows = {{"ali@example.local", "alice@example.local"}, {"bobby@example.local", "bob@example.local"},
                    {"team@example.local", "alice@example.local,bob@example.local"}, {"old@example.local", "carl@example.local"}};
                for (String[] row : rows) {
                    aliases.setString(1, row[0]);
                    aliases.setString(2, row[1]);
                    aliases.setInt(3, 1);
                    aliases.setString(4, LAST_SEEN);
                    aliases.executeUpdate();
                }
            }
        }
    }

    @Test
    void firstCycleAdoptsThePythonToolsStateAndKeepsManagingItsAliases() throws Exception {
        CycleRun first = h.cycle();

        assertThat(Launcher.exitCode(first)).as(String.join("\n", first.failures())).isZero();
        assertThat(writes("POST add/mailbox")).as("no mailbox created twice").isEmpty();
        assertThat(writes("POST add/alias")).as("no alias created twice").isEmpty();
        // carl is gone from the directory: his mailbox is deactivated and his alias removed, as managed ones
        assertThat(h.mailcow.mailboxes().get("carl@example.local").active()).isFalse();
        assertThat(h.mailcow.aliases()).doesNotContainKey("old@example.local");
        assertThat(h.mailcow.aliases()).containsKeys("ali@example.local", "bobby@example.local", "team@example.local",
                "handmade@example.local");
        // none of the tool's aliases is taken for someone else's
        assertThat(first.plan().skips()).extracting(Object::toString)
                .noneMatch(s -> Stream.of("ali@", "bobby@", "team@", "old@").anyMatch(s::contains));

        // every row carried over, and the old file kept as it was
        assertThat(h.rows("SELECT email FROM users ORDER BY email")).extracting(r -> r.get("email"))
                .containsExactly("alice@example.local", "bob@example.local", "carl@example.local");
        assertThat(h.rows("SELECT address FROM aliases ORDER BY address")).extracting(r -> r.get("address"))
                .containsExactly("ali@example.local", "bobby@example.local", "team@example.local");
        List<Path> backups = backups();
        assertThat(backups).hasSize(1);
        assertThat(pythonRows(backups.get(0), "SELECT count(*) FROM users")).isEqualTo(3);
        assertThat(pythonRows(backups.get(0), "SELECT count(*) FROM aliases")).isEqualTo(4);
        assertThat(pythonRows(backups.get(0), "SELECT count(*) FROM pragma_table_info('users')"))
                .as("the backup is the Python tool's file, unmigrated").isEqualTo(3);

        // the alias the tool made for bob is still managed: it goes when its proxy address goes
        h.directory.setAttribute(bob, "proxyAddresses");
        h.mailcow.resetRequests();
        CycleRun second = h.cycle();
        assertThat(Launcher.exitCode(second)).isZero();
        assertThat(h.mailcow.aliases()).doesNotContainKey("bobby@example.local")
                .containsKeys("ali@example.local", "team@example.local", "handmade@example.local");

        // a restart migrates nothing again
        h.restart();
        assertThat(Launcher.exitCode(h.cycle())).isZero();
        assertThat(backups()).hasSize(1);
    }

    @Test
    void aDryRunReadsThePythonToolsFileAsItIsAndPlansFromItsState() throws Exception {
        h.set("AUTH_MODE", "templates");
        Map<String, String> before = WorkTree.snapshot(work);

        DryRunLauncher run = DryRunLauncher.run(h.env);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(WorkTree.snapshot(work)).as("the Python tool's file neither backed up nor migrated, nothing beside it")
                .isEqualTo(before);
        assertThat(h.mailcow.requests()).isNotEmpty().extracting(RecordedRequest::method).containsOnly("GET");
        // planned from the tool's state: its mailboxes and aliases are managed ones, carl's are removed
        assertThat(run.plannedChanges()).extracting(c -> c.substring(0, c.indexOf(':')))
                .containsExactlyInAnyOrder("mailbox deactivate carl@example.local", "alias delete old@example.local");
        assertThat(run.log()).noneMatch(l -> l.contains("not created by ldap-mailcow"));
        DryRunTest.claimsNothingWritten(run);
        DryRunTest.assertLastLine(run, "would create 0 mailboxes, edit 0, deactivate 1, add 0 aliases, edit 0, "
                + "delete 1; held back: none; skipped 1; read 3 users, 1 groups; nothing written");

        // the real start after it migrates as before
        assertThat(Launcher.exitCode(h.cycle())).isZero();
        assertThat(backups()).hasSize(1);
    }

    @Test
    void theToolsMailboxesCountAsHavingTheirUserAcl() throws Exception {
        // the Python tool set the ACL right after creating a mailbox and exited when that failed
        CycleRun first = h.cycle();

        assertThat(Launcher.exitCode(first)).as(String.join("\n", first.failures())).isZero();
        assertThat(h.rows("SELECT email, acl_applied FROM users ORDER BY email")).extracting(r -> r.get("acl_applied"))
                .containsExactly(1, 1, 1);
        assertThat(writes("POST edit/user-acl")).isEmpty();
    }

    private List<RecordedRequest> writes(String endpoint) {
        return h.mailcow.requests().stream().filter(r -> r.endpoint().equals(endpoint)).toList();
    }

    private List<Path> backups() throws Exception {
        try (Stream<Path> files = Files.list(work.resolve("db"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".bak")).toList();
        }
    }

    private static long pythonRows(Path file, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
