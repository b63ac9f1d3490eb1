package org.ldapmailcow.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ldapmailcow.model.CycleRun;

/** The report files: where they go, how many stay, and that writing one never breaks a cycle. */
class RunReportsTest {

    @TempDir
    Path dir;

    private static CycleRun finished(long number) throws InterruptedException {
        CycleRun run = new CycleRun(number, false, false);
        Thread.sleep(2); // distinct start times, as real cycles have
        run.finish();
        return run;
    }

    @Test
    void reportsGoBesideTheDatabaseAndOnlyTheNewestAreKept() throws Exception {
        assertThat(RunReports.besideDatabase(dir.resolve("db/ldap-mailcow.sqlite3"))).isEqualTo(dir.resolve("db/reports"));
        RunReports reports = new RunReports(dir.resolve("reports"), 3);
        List<CycleRun> runs = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            CycleRun run = finished(i);
            runs.add(run);
            reports.accept(run);
        }
        List<Path> kept = reports.reports();
        assertThat(kept).hasSize(3);
        ObjectMapper json = new ObjectMapper();
        List<Long> cycles = new ArrayList<>();
        for (Path file : kept) {
            cycles.add(json.readTree(file.toFile()).get("cycle").asLong());
        }
        assertThat(cycles).containsExactly(3L, 4L, 5L);
        try (var files = Files.list(dir.resolve("reports"))) {
            assertThat(files.toList()).as("no partial files left").hasSize(3);
        }
    }

    @Test
    void keepZeroWritesNoReport() throws Exception {
        RunReports reports = new RunReports(dir.resolve("reports"), 0);
        reports.accept(finished(1));
        assertThat(dir.resolve("reports")).doesNotExist();
    }

    @Test
    void anAbortedCycleReportsItsError() throws Exception {
        CycleRun run = new CycleRun(7, true, false);
        run.fail("directory unreachable");
        run.finish();
        RunReports reports = new RunReports(dir, 5);
        reports.accept(run);
        JsonNode report = new ObjectMapper().readTree(reports.reports().get(0).toFile());
        assertThat(report.get("result").asText()).isEqualTo("aborted");
        assertThat(report.get("error").asText()).isEqualTo("directory unreachable");
        assertThat(report.get("changes")).isEmpty();
    }

    @Test
    void anUnwritableDirectoryIsLoggedNotThrown() throws Exception {
        Path blocker = Files.writeString(dir.resolve("reports"), "a file where the directory should be");
        RunReports reports = new RunReports(blocker, 5);
        reports.accept(finished(1));
        assertThat(Files.readString(blocker)).startsWith("a file");
    }
}
