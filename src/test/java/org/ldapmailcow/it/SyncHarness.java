package org.ldapmailcow.it;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.ldapmailcow.SyncService;
import org.ldapmailcow.config.Settings;
import org.ldapmailcow.demo.Demo;
import org.ldapmailcow.demo.DemoDirectory;
import org.ldapmailcow.demo.MailcowEmulator;
import org.ldapmailcow.model.CycleRun;

/**
 * The real service (camel-main, the YAML routes under routes/, a real SQLite file) against the embedded
 * directory and the mailcow emulator over HTTP. One harness per test; {@link #cycle()} runs one sync cycle.
 */
final class SyncHarness implements AutoCloseable {

    static final String API_KEY = "it-api-key";

    final DemoDirectory directory;
    final MailcowEmulator mailcow;
    final Path work;
    final Map<String, String> env = new HashMap<>();
    /** The service's clock: a test moves it on instead of waiting. */
    final TestClock clock = new TestClock();
    private SyncService service;

    /** Against the embedded directory. */
    SyncHarness(Path work) throws Exception {
        this(work, new DemoDirectory().start(), Map.of());
    }

    /** Against another directory, e.g. the Samba AD DC: {@code ldapEnv} holds its LDAP_MAILCOW_LDAP_* variables. */
    SyncHarness(Path work, Map<String, String> ldapEnv) throws Exception {
        this(work, null, ldapEnv);
    }

    private SyncHarness(Path work, DemoDirectory directory, Map<String, String> ldapEnv) throws Exception {
        this.work = work;
        this.directory = directory;
        mailcow = new MailcowEmulator(API_KEY).start();
        mailcow.addDomain("example.local");
        env.putAll(directory != null ? Demo.environment(directory, mailcow, work) : Demo.mailcowEnvironment(mailcow, work));
        env.putAll(ldapEnv);
        String p = Settings.PREFIX;
        env.put(p + "API_QUOTA", "2048");
        env.put(p + "AUTH_MODE", "none");
        env.put(p + "STARTUP_TIMEOUT", "5");
    }

    SyncHarness set(String variable, String value) {
        env.put(Settings.PREFIX + variable, value);
        return this;
    }

    /** Starts the service (once) with the current settings and runs one cycle. */
    CycleRun cycle() throws Exception {
        return started().runCycle();
    }

    /** Starts the service (once) with the current settings: auth config rendered, directory and mailcow awaited. */
    SyncService started() throws Exception {
        if (service == null) {
            service = new SyncService(Settings.from(env), true, clock).start();
            service.prepare();
        }
        return service;
    }

    /** Starts the service as the service mode does (no start-up time limit, the cycle trigger under the lock). */
    SyncService startedAsService() throws Exception {
        if (service == null) {
            service = new SyncService(Settings.from(env), false, clock).start();
            service.prepare();
        }
        return service;
    }

    /** Stops the service so the next {@link #cycle()} starts a fresh one (new settings, a restart). */
    void restart() {
        if (service != null) {
            service.close();
            service = null;
        }
    }

    SyncService service() {
        return service;
    }

    List<Map<String, Object>> rows(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + work.resolve("db/ldap-mailcow.sqlite3"));
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<Map<String, Object>> rows = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    /** Changes the state file as an admin (or a restore) would. */
    void execute(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + work.resolve("db/ldap-mailcow.sqlite3"));
             Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Override
    public void close() throws Exception {
        restart();
        mailcow.close();
        if (directory != null) {
            directory.close();
        }
    }
}
