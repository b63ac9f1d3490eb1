package org.ldapmailcow.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.ldapmailcow.model.SharedText;
import org.ldapmailcow.directory.ChangeMark;
import org.ldapmailcow.directory.DirectoryUser;

/**
 * The directory's users as the last read left them, and the server's mark at that read, in the state file
 * (tables {@code directory_users} and rows {@code directory_*} of {@code meta}): what a delta cycle builds on.
 * Written in one transaction with the mark, so a mark never stands for users it does not describe.
 */
public final class DirectorySnapshot {

    static final String TABLE = "CREATE TABLE IF NOT EXISTS directory_users (anchor TEXT NOT NULL PRIMARY KEY, "
            + "dn TEXT NOT NULL, mail TEXT, display_name TEXT, disabled BOOLEAN NOT NULL, alias_values TEXT)";
    private static final String[] MARK_KEYS = {"directory_server", "directory_invocation", "directory_counter",
            "directory_settings", "directory_deletions_visible", "directory_naming_context", "directory_unreadable"};
    private static final String UPSERT = "INSERT INTO directory_users (anchor, dn, mail, display_name, disabled, "
            + "alias_values) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(anchor) DO UPDATE SET dn = excluded.dn, "
            + "mail = excluded.mail, display_name = excluded.display_name, disabled = excluded.disabled, "
            + "alias_values = excluded.alias_values";

    /** The stored mark and how many user entries the last full read could not read. */
    public record Stored(ChangeMark mark, int unreadable) {
    }

    private final DataSource dataSource;

    public DirectorySnapshot(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The mark of the last read, or null when there is none. */
    public Stored mark() throws SQLException {
        Map<String, String> meta = new HashMap<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT key, value FROM meta WHERE key LIKE 'directory_%'")) {
            while (rs.next()) {
                meta.put(rs.getString(1), rs.getString(2));
            }
        }
        if (meta.get("directory_counter") == null) {
            return null;
        }
        ChangeMark mark = new ChangeMark(meta.get("directory_server"), meta.get("directory_invocation"),
                meta.get("directory_counter"), meta.get("directory_settings"),
                "1".equals(meta.get("directory_deletions_visible")), meta.get("directory_naming_context"));
        return new Stored(mark, Integer.parseInt(meta.getOrDefault("directory_unreadable", "0")));
    }

    /**
     * Whether a leaver is between offboarding steps (staged, or missing from fewer cycles than it takes): such a
     * mailbox moves on with time and with each successful cycle, so no cycle may end early, however still the
     * directory is.
     */
    public boolean offboardingInProgress() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT 1 FROM users WHERE offboarding_stage = 'staged' OR (offboarding_stage IS NULL AND missed_cycles > 0) "
                     + "LIMIT 1")) {
            return rs.next();
        }
    }

    /** The users of the last read. */
    public List<DirectoryUser> users() throws SQLException {
        List<DirectoryUser> users = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT anchor, dn, mail, display_name, disabled, alias_values FROM directory_users")) {
            while (rs.next()) {
                String aliases = rs.getString(6);
                users.add(new DirectoryUser(SharedText.of(rs.getString(2)), SharedText.of(rs.getString(3)),
                        SharedText.of(rs.getString(4)), rs.getBoolean(5),
                        aliases == null || aliases.isEmpty() ? List.of() : Arrays.asList(aliases.split("\n")),
                        SharedText.of(rs.getString(1))));
            }
        }
        return users;
    }

    /** After a full read: the users replace the stored ones. A null mark forgets the mark (no delta follows). */
    public void replace(Collection<DirectoryUser> users, ChangeMark mark, int unreadable) throws SQLException {
        write(true, users, List.of(), mark, unreadable);
    }

    /** After a delta: the changed users are stored, those gone (by anchor) removed, and the mark moves on. */
    public void apply(Collection<DirectoryUser> changed, Collection<String> goneAnchors, ChangeMark mark, int unreadable)
            throws SQLException {
        write(false, changed, goneAnchors, mark, unreadable);
    }

    /** Forgets the mark: the next cycle reads the directory in full. */
    public void forget() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            // read first: a directory without a change counter forgets every cycle, and a write would need the
            // state file's write lock while the cycle has only read so far
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM meta WHERE key LIKE 'directory_%' LIMIT 1")) {
                if (!rs.next()) {
                    return;
                }
            }
            s.execute("DELETE FROM meta WHERE key LIKE 'directory_%'");
        }
    }

    private void write(boolean replace, Collection<DirectoryUser> users, Collection<String> gone, ChangeMark mark,
                       int unreadable) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("DELETE FROM meta WHERE key LIKE 'directory_%'");
                if (replace) {
                    s.execute("DELETE FROM directory_users");
                }
                try (PreparedStatement delete = c.prepareStatement("DELETE FROM directory_users WHERE anchor = ?")) {
                    for (String anchor : gone) {
                        delete.setString(1, anchor);
                        delete.addBatch();
                    }
                    delete.executeBatch();
                }
                try (PreparedStatement upsert = c.prepareStatement(UPSERT)) {
                    for (DirectoryUser user : users) {
                        upsert.setString(1, user.objectGuid());
                        upsert.setString(2, user.dn());
                        upsert.setString(3, user.mail());
                        upsert.setString(4, user.displayName());
                        upsert.setBoolean(5, user.disabled());
                        upsert.setString(6, String.join("\n", user.proxyAddresses()));
                        upsert.addBatch();
                    }
                    upsert.executeBatch();
                }
                if (mark != null) {
                    try (PreparedStatement meta = c.prepareStatement("INSERT INTO meta (key, value) VALUES (?, ?)")) {
                        String[] values = {mark.server(), mark.invocation(), mark.counter(), mark.settings(),
                                mark.deletionsVisible() ? "1" : "0", mark.namingContext(), Integer.toString(unreadable)};
                        for (int i = 0; i < MARK_KEYS.length; i++) {
                            meta.setString(1, MARK_KEYS[i]);
                            meta.setString(2, values[i]);
                            meta.addBatch();
                        }
                        meta.executeBatch();
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        }
    }
}
