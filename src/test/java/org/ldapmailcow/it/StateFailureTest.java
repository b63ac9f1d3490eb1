package org.ldapmailcow.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ldapmailcow.demo.DemoDirectory.NORMAL_ACCOUNT;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import org.ldapmailcow.Launcher;
import org.ldapmailcow.auth.LogCapture;
import org.ldapmailcow.ops.Operations;
import org.ldapmailcow.model.CycleRun;

/** Issue 12: a cycle whose state file cannot be read or written fails, and says so everywhere an operator looks. */
class StateFailureTest extends EmbeddedSyncTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Path stateFile() {
        return work.resolve("db/ldap-mailcow.sqlite3");
    }

    @Test
    void aStateFileLockedWhileTheCycleRecordsItFailsTheCycleAndTheNextOneConverges() throws Exception {
        String[] dns = new String[3];
        for (int i = 0; i < 3; i++) {
            dns[i] = h.directory.addUser("User " + i, "user" + i + "@example.local", "User " + i, NORMAL_ACCOUNT);
        }
        assertThat(Launcher.exitCode(h.cycle())).isZero();
        // renames need no pending mark before they are sent, so the cycle reaches its state write
        for (int i = 0; i < 3; i++) {
            h.directory.setAttribute(dns[i], "displayName", "Renamed " + i);
        }

        CycleRun run;
        List<String> log;
        // another process holds the write lock while the cycle writes its state
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + stateFile());
             LogCapture capture = LogCapture.open(Level.INFO)) {
            other.createStatement().execute("BEGIN EXCLUSIVE");
            run = h.cycle();
            log = capture.lines();
            other.createStatement().execute("ROLLBACK");
        }

        assertThat(h.mailcow.mailboxes().values()).as("mailcow was written")
                .extracting(m -> m.name()).containsExactlyInAnyOrder("Renamed 0", "Renamed 1", "Renamed 2");
        assertThat(Launcher.exitCode(run)).isEqualTo(Launcher.CYCLE_ABORTED);
        assertThat(run.error()).contains("state file").contains("could not be written").contains("locked");
        assertThat(log).anySatisfy(l -> assertThat(l).contains("Cycle 2 FAILED").contains("state file"));
        JsonNode report = newestReport();
        assertThat(report.get("result").asText()).isEqualTo("aborted");
        assertThat(report.get("error").asText()).contains("state file");
        int port = Operations.managementPort(h.service().context());
        assertThat(Observe.get(port, "/observe/health").statusCode()).isEqualTo(503);
        assertThat(Observe.get(port, "/observe/health").body()).contains("state file");
        assertThat(Observe.metric(Observe.get(port, "/observe/metrics").body(), "ldap_mailcow_cycles_total",
                "result=\"aborted\"")).isEqualTo(1);

        // the lock is gone: the next cycle reads mailcow fully, finds the names applied and records them
        h.mailcow.resetRequests();
        CycleRun next = h.cycle();
        assertThat(next.full).isTrue();
        assertThat(Launcher.exitCode(next)).isZero();
        assertThat(h.mailcow.countByEndpoint()).doesNotContainKey("POST edit/mailbox");
        assertThat(h.rows("SELECT name FROM users ORDER BY name")).extracting(r -> r.get("name"))
                .containsExactly("Renamed 0", "Renamed 1", "Renamed 2");
    }

    @Test
    void pendingAliasesThatCannotBeNotedStopTheCycleBeforeAnyWrite() throws Exception {
        h.directory.addUser("Ann", "ann@example.local", "Ann", NORMAL_ACCOUNT, "smtp:annie@example.local");
        h.started();
        h.mailcow.resetRequests();

        CycleRun run;
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + stateFile())) {
            other.createStatement().execute("BEGIN EXCLUSIVE");
            run = h.cycle();
            other.createStatement().execute("ROLLBACK");
        }

        assertThat(Launcher.exitCode(run)).isEqualTo(Launcher.CYCLE_ABORTED);
        assertThat(run.error()).contains("could not be written");
        assertThat(h.mailcow.writeCount()).as("no change without its pending mark").isZero();
    }

    @Test
    void aCorruptStateFileFailsTheCycleBeforeAnyWrite() throws Exception {
        h.directory.addUser("Ann", "ann@example.local", "Ann", NORMAL_ACCOUNT);
        h.started();
        Files.write(stateFile(), "this is no longer a database, it was overwritten".repeat(40).getBytes(StandardCharsets.US_ASCII),
                StandardOpenOption.WRITE);
        h.mailcow.resetRequests();

        CycleRun run = h.cycle();

        assertThat(Launcher.exitCode(run)).isEqualTo(Launcher.CYCLE_ABORTED);
        assertThat(run.error()).contains("state file").contains("could not be read");
        assertThat(h.mailcow.writeCount()).isZero();
        assertThat(newestReport().get("result").asText()).isEqualTo("aborted");
    }

    private JsonNode newestReport() throws Exception {
        try (var files = Files.list(work.resolve("db/reports"))) {
            List<Path> reports = files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList();
            return JSON.readTree(reports.get(reports.size() - 1).toFile());
        }
    }
}
