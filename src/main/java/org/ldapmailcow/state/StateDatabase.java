package org.ldapmailcow.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The SQLite state file: created on first start, and when it is the Python tool's (its {@code users} and
 * {@code aliases} tables, no {@code meta}), backed up and migrated in place so every mailbox and alias it
 * managed stays managed. Addresses become case-insensitive keys, as mailcow treats them. A file of schema 1
 * (before {@code acl_applied}) is upgraded in place: its rows count as having their user ACL, as do the Python
 * tool's (both set it right after creating a mailbox, and recorded nothing when that failed).
 *
 * <p>A dry run works on a copy of the file in memory (the Python tool's migrated there), and creates or changes
 * no file: not the state file, its {@code -wal} and {@code -shm}, a backup, nor its directory.
 */
public final class StateDatabase {

    private static final Logger LOG = LoggerFactory.getLogger(StateDatabase.class);
    static final int SCHEMA_VERSION = 3;

    /** Whether LDAP_MAILCOW_USER_ACL is set on the mailbox; rows from before the column count as set. */
    private static final String ACL_APPLIED = "acl_applied BOOLEAN NOT NULL DEFAULT 1";
    private static final String USERS = "CREATE TABLE users (email VARCHAR NOT NULL COLLATE NOCASE PRIMARY KEY, "
            + "active BOOLEAN NOT NULL, last_seen DATETIME NOT NULL, name TEXT, source_dn TEXT, object_guid TEXT, "
            + ACL_APPLIED + ")";
    private static final String ALIASES = "CREATE TABLE aliases (address VARCHAR NOT NULL COLLATE NOCASE PRIMARY KEY, "
            + "goto VARCHAR NOT NULL, active BOOLEAN NOT NULL, last_seen DATETIME NOT NULL, kind TEXT, source_dn TEXT)";
    private static final String PENDING = "CREATE TABLE IF NOT EXISTS pending_aliases "
            + "(address VARCHAR NOT NULL COLLATE NOCASE PRIMARY KEY, since DATETIME NOT NULL)";
    private static final String PENDING_MAILBOXES = "CREATE TABLE IF NOT EXISTS pending_mailboxes "
            + "(email VARCHAR NOT NULL COLLATE NOCASE PRIMARY KEY, since DATETIME NOT NULL)";
    /** Removals the mass-change limit held back, by plan id ({@code --approve}); schema 3. */
    private static final String HELD_PLANS = "CREATE TABLE IF NOT EXISTS held_plans (id TEXT NOT NULL PRIMARY KEY, "
            + "cycle INTEGER NOT NULL, held DATETIME NOT NULL, approved_in INTEGER)";
    private static final String HELD_REMOVALS = "CREATE TABLE IF NOT EXISTS held_removals (plan_id TEXT NOT NULL, "
            + "object TEXT NOT NULL, address VARCHAR NOT NULL COLLATE NOCASE, change TEXT NOT NULL, reason TEXT, "
            + "source_dn TEXT, PRIMARY KEY (plan_id, object, address))";
    /**
     * Every change mailcow confirmed, per cycle, with the values before and after and what undoes it
     * ({@code undo}, or {@code not_undone}: why nothing can); {@code --undo <cycle>} reads it. Schema 3.
     */
    private static final String JOURNAL = "CREATE TABLE IF NOT EXISTS journal (cycle INTEGER NOT NULL, "
            + "seq INTEGER NOT NULL, recorded DATETIME NOT NULL, object TEXT NOT NULL, change TEXT NOT NULL, "
            + "address VARCHAR NOT NULL COLLATE NOCASE, before TEXT, after TEXT, undo TEXT, not_undone TEXT, "
            + "undone_in INTEGER, PRIMARY KEY (cycle, seq))";
    /** Schema 3: a leaver's offboarding stage, since when, and the cycles in a row it was missing (sync.Offboarding). */
    private static final List<String> OFFBOARDING_COLUMNS = List.of("offboarding_stage TEXT",
            "offboarding_since DATETIME", "missed_cycles INTEGER NOT NULL DEFAULT 0");
    private static final String META = "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)";

    private final Path file;
    private final boolean dryRun;
    private DataSource dataSource;

    public StateDatabase(Path file) {
        this(file, false);
    }

    /** {@code dryRun}: {@link #open()} reads the file into memory, and everything after works on that copy. */
    public StateDatabase(Path file, boolean dryRun) {
        this.file = file;
        this.dryRun = dryRun;
        if (dryRun) {
            return;
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setBusyTimeout(10_000);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        SQLiteDataSource sqlite = new SQLiteDataSource(config);
        sqlite.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        dataSource = sqlite;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public Path file() {
        return file;
    }

    /** Creates the schema, or migrates the Python tool's file after backing it up. */
    public void open() throws IOException, SQLException {
        boolean existed = Files.exists(file) && Files.size(file) > 0;
        try {
            if (dryRun) {
                dataSource = inMemoryCopy(existed);
            } else {
                Path parent = file.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
            }
            createOrMigrate(existed);
        } catch (SQLiteException e) {
            throw notADatabase(e);
        }
    }

    private void createOrMigrate(boolean existed) throws IOException, SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            Set<String> tables = tables(c);
            if (existed && tables.contains("users") && !tables.contains("meta")) {
                if (dryRun) {
                    LOG.info("Found the Python tool's state database {}; the dry run migrates a copy in memory, "
                            + "the file stays as it is", file);
                } else {
                    Path backup = backup();
                    LOG.info("Found the Python tool's state database {}; backed up to {}, migrating in place", file,
                            backup);
                }
                migratePythonTables(c, s);
            } else if (!tables.contains("users")) {
                s.execute(USERS);
                s.execute(ALIASES);
            }
            if (!columns(c, "users").contains("acl_applied")) {
                s.execute("ALTER TABLE users ADD COLUMN " + ACL_APPLIED);
            }
            addOffboardingColumns(c, s);
            s.execute(PENDING);
            s.execute(PENDING_MAILBOXES);
            s.execute(META);
            s.execute(HELD_PLANS);
            s.execute(HELD_REMOVALS);
            s.execute(JOURNAL);
            s.execute(DirectorySnapshot.TABLE);
            s.execute("INSERT INTO meta (key, value) VALUES ('schema_version', '" + SCHEMA_VERSION + "') "
                    + "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
        }
    }

    /**
     * The number of the last cycle whose state was recorded (0: none): the next cycle's number follows it, so
     * the journal's cycle numbers, the summary lines and the reports name the same cycle across restarts.
     */
    public long lastCycle() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT max(n) FROM (SELECT CAST(value AS INTEGER) AS n FROM meta "
                     + "WHERE key = 'last_cycle' UNION ALL SELECT max(cycle) FROM journal)")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /**
     * A database in memory holding what the state file holds (empty when there is none), behind one connection
     * (each connection to {@code :memory:} would be a database of its own).
     */
    private DataSource inMemoryCopy(boolean existed) throws IOException, SQLException {
        Connection memory = DriverManager.getConnection("jdbc:sqlite::memory:");
        try {
            if (existed) {
                restoreInto(memory);
            }
        } catch (IOException | SQLException | RuntimeException e) {
            memory.close();
            throw e;
        }
        return new SingleConnectionDataSource(memory, true);
    }

    /**
     * Copies the state file into {@code memory} through SQLite's backup API. A plain or read-only open of a
     * WAL-mode file leaves a {@code -wal} and {@code -shm} beside it; {@code immutable=1} takes no lock and creates
     * nothing, but ignores a write-ahead log. So: immutable when there is no log with content (the service is not
     * running and was stopped cleanly), and checked afterwards that the file did not change while it was read;
     * otherwise read-only, which reads the log as every reader does (SQLite may update its {@code -shm} index).
     */
    private void restoreInto(Connection memory) throws IOException, SQLException {
        Path wal = file.resolveSibling(file.getFileName() + "-wal");
        String uri = file.toAbsolutePath().toUri().toString();
        try (Statement s = memory.createStatement()) {
            for (int attempt = 0; attempt < 3 && !holdsData(wal); attempt++) {
                FileTime modified = Files.getLastModifiedTime(file);
                long size = Files.size(file);
                s.executeUpdate("restore from \"" + uri + "?immutable=1\"");
                if (modified.equals(Files.getLastModifiedTime(file)) && size == Files.size(file) && !holdsData(wal)) {
                    return;
                }
            }
            LOG.info("The state file {} has a write-ahead log (the service is running, or was stopped abruptly); "
                    + "reading both read-only", file);
            s.executeUpdate("restore from \"" + uri + "?mode=ro\"");
        }
    }

    private static boolean holdsData(Path wal) throws IOException {
        return Files.exists(wal) && Files.size(wal) > 0;
    }

    /** A file SQLite cannot read as a database stops the start, untouched, with what to do about it. */
    private SQLException notADatabase(SQLiteException e) {
        SQLiteErrorCode code = e.getResultCode();
        if (code != SQLiteErrorCode.SQLITE_NOTADB && code != SQLiteErrorCode.SQLITE_CORRUPT) {
            return e;
        }
        return new StateFileException("the state file " + file.toAbsolutePath() + " is not an SQLite database ("
                + (code == SQLiteErrorCode.SQLITE_NOTADB ? "file is not a database" : "database disk image is malformed")
                + "); restore it from a backup, or move it away to start with an empty state (mailboxes are adopted "
                + "again; aliases ldap-mailcow created are then left alone as not its own)");
    }

    private Path backup() throws IOException {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path backup = file.resolveSibling(file.getFileName() + ".python-tool-" + stamp + ".bak");
        Files.copy(file, backup, StandardCopyOption.COPY_ATTRIBUTES);
        return backup;
    }

    /** Rebuilds both tables with the new columns and case-insensitive keys, keeping every row. */
    private static void migratePythonTables(Connection c, Statement s) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            s.execute("ALTER TABLE users RENAME TO users_python");
            s.execute("ALTER TABLE aliases RENAME TO aliases_python");
            s.execute(USERS);
            s.execute(ALIASES);
            // INSERT OR IGNORE: rows that differ only in case collapse into one
            s.execute("INSERT OR IGNORE INTO users (email, active, last_seen) "
                    + "SELECT email, active, last_seen FROM users_python ORDER BY active DESC");
            s.execute("INSERT OR IGNORE INTO aliases (address, goto, active, last_seen) "
                    + "SELECT address, goto, active, last_seen FROM aliases_python ORDER BY active DESC");
            s.execute("DROP TABLE users_python");
            s.execute("DROP TABLE aliases_python");
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    /** Schema 3, added to a file of any earlier schema (rows without them are not offboarding). */
    private static void addOffboardingColumns(Connection c, Statement s) throws SQLException {
        Set<String> have = columns(c, "users");
        for (String column : OFFBOARDING_COLUMNS) {
            if (!have.contains(column.substring(0, column.indexOf(' ')))) {
                s.execute("ALTER TABLE users ADD COLUMN " + column);
            }
        }
    }

    private static Set<String> columns(Connection c, String table) throws SQLException {
        Set<String> columns = new HashSet<>();
        try (ResultSet rs = c.getMetaData().getColumns(null, null, table, "%")) {
            while (rs.next()) {
                columns.add(rs.getString("COLUMN_NAME").toLowerCase());
            }
        }
        return columns;
    }

    private static Set<String> tables(Connection c) throws SQLException {
        Set<String> tables = new HashSet<>();
        try (ResultSet rs = c.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                tables.add(rs.getString("TABLE_NAME").toLowerCase());
            }
        }
        return tables;
    }
}
