package org.ldapmailcow.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.Set;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The SQLite state file: created on first start, and when it is the Python tool's (its {@code users} and
 * {@code aliases} tables, no {@code meta}), backed up and migrated in place so every mailbox and alias it
 * managed stays managed. Addresses become case-insensitive keys, as mailcow treats them.
 */
public final class StateDatabase {

    private static final Logger LOG = LoggerFactory.getLogger(StateDatabase.class);
    static final int SCHEMA_VERSION = 1;

    private static final String USERS = "CREATE TABLE users (email VARCHAR NOT NULL COLLATE NOCASE PRIMARY KEY, "
            + "active BOOLEAN NOT NULL, last_seen DATETIME NOT NULL, name TEXT, source_dn TEXT, object_guid TEXT)";
    private static final String ALIASES = "CREATE TABLE aliases (address VARCHAR NOT NULL COLLATE NOCASE PRIMARY KEY, "
            + "goto VARCHAR NOT NULL, active BOOLEAN NOT NULL, last_seen DATETIME NOT NULL, kind TEXT, source_dn TEXT)";
    private static final String PENDING = "CREATE TABLE IF NOT EXISTS pending_aliases "
            + "(address VARCHAR NOT NULL COLLATE NOCASE PRIMARY KEY, since DATETIME NOT NULL)";
    private static final String META = "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)";

    private final Path file;
    private final SQLiteDataSource dataSource;

    public StateDatabase(Path file) {
        this.file = file;
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setBusyTimeout(10_000);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        dataSource = new SQLiteDataSource(config);
        dataSource.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public Path file() {
        return file;
    }

    /** Creates the schema, or migrates the Python tool's file after backing it up. */
    public void open() throws IOException, SQLException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        boolean existed = Files.exists(file) && Files.size(file) > 0;
        try {
            createOrMigrate(existed);
        } catch (SQLiteException e) {
            throw notADatabase(e);
        }
    }

    private void createOrMigrate(boolean existed) throws IOException, SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            Set<String> tables = tables(c);
            if (existed && tables.contains("users") && !tables.contains("meta")) {
                Path backup = backup();
                LOG.info("Found the Python tool's state database {}; backed up to {}, migrating in place", file, backup);
                migratePythonTables(c, s);
            } else if (!tables.contains("users")) {
                s.execute(USERS);
                s.execute(ALIASES);
            }
            s.execute(PENDING);
            s.execute(META);
            s.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', '" + SCHEMA_VERSION + "')");
        }
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
