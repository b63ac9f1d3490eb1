package org.ldapmailcow.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ldapmailcow.it.Observe.get;
import static org.ldapmailcow.it.Observe.metric;
import static org.ldapmailcow.demo.DemoDirectory.NORMAL_ACCOUNT;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.ldapmailcow.auth.LogCapture;
import org.ldapmailcow.ops.HealthProbe;
import org.ldapmailcow.ops.Operations;
import org.ldapmailcow.model.CycleRun;

/** Issue 6: what an operator sees of the cycles: /observe/health, /observe/metrics, JMX and the run reports. */
class OperationsTest extends EmbeddedSyncTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void healthFollowsTheLastCycleMetricsCountTheCyclesAndReportsKeepTheNewest() throws Exception {
        h.set("REPORT_KEEP", "3");
        h.directory.seedSample();
        List<CycleRun> runs = new ArrayList<>();

        runs.add(h.cycle());
        assertThat(runs.get(0).succeeded()).isTrue();
        int port = Operations.managementPort(h.service().context());
        assertThat(port).isPositive();
        assertThat(get(port, "/observe/health").statusCode()).isEqualTo(200);
        assertThat(probe(port)).isZero();

        // mailcow refuses the new user's mailbox: the cycle fails, the service turns DOWN
        h.directory.addUser("Newbie", "newbie@example.local", "New Bie", NORMAL_ACCOUNT);
        h.mailcow.refuse(r -> r.endpoint().equals("POST add/mailbox"), "mailbox_quota_exceeded");
        runs.add(h.cycle());
        assertThat(runs.get(1).succeeded()).isFalse();
        assertThat(runs.get(1).aborted()).isFalse();
        HttpResponse<String> down = get(port, "/observe/health");
        assertThat(down.statusCode()).isEqualTo(503);
        JsonNode check = syncCheck(down.body());
        assertThat(check.get("status").asText()).isEqualTo("DOWN");
        assertThat(check.get("message").asText()).contains("last cycle (2) failed");
        assertThat(probe(port)).isEqualTo(1);
        assertThat(get(port, "/observe/health/live").statusCode()).as("a restart would not help").isEqualTo(200);

        // the bind password expired: the directory cannot be read, the cycle is aborted
        h.mailcow.clearFaults();
        h.directory.setAttribute(h.directory.bindDn(), "userPassword", "expired-" + h.directory.bindPassword());
        runs.add(h.cycle());
        assertThat(runs.get(2).aborted()).isTrue();
        assertThat(get(port, "/observe/health").statusCode()).isEqualTo(503);
        h.directory.setAttribute(h.directory.bindDn(), "userPassword", h.directory.bindPassword());

        // a good cycle: UP again
        runs.add(h.cycle());
        assertThat(runs.get(3).succeeded()).isTrue();
        HttpResponse<String> up = get(port, "/observe/health");
        assertThat(up.statusCode()).isEqualTo(200);
        assertThat(syncCheck(up.body()).get("status").asText()).isEqualTo("UP");
        assertThat(h.mailcow.mailboxes()).containsKey("newbie@example.local");

        String metrics = get(port, "/observe/metrics").body();
        assertThat(metric(metrics, "ldap_mailcow_cycles_total", "result=\"succeeded\""))
                .isEqualTo(runs.stream().filter(CycleRun::succeeded).count());
        assertThat(metric(metrics, "ldap_mailcow_cycles_total", "result=\"aborted\""))
                .isEqualTo(runs.stream().filter(CycleRun::aborted).count());
        assertThat(metric(metrics, "ldap_mailcow_cycles_total", "result=\"failed\""))
                .isEqualTo(runs.stream().filter(r -> !r.succeeded() && !r.aborted()).count());
        assertThat(metric(metrics, "ldap_mailcow_cycle_duration_seconds_count", "result=\"succeeded\"")).isEqualTo(2);
        assertThat(metric(metrics, "ldap_mailcow_changes_total", "kind=\"mailbox create\""))
                .as("every mailbox in mailcow was created by the service").isEqualTo(h.mailcow.mailboxes().size());
        assertThat(metric(metrics, "ldap_mailcow_changes_total", "kind=\"alias add\""))
                .isEqualTo(h.mailcow.aliases().size());
        assertThat(metric(metrics, "ldap_mailcow_change_failures_total", null)).isEqualTo(1);
        assertThat(metric(metrics, "ldap_mailcow_last_success_timestamp_seconds", null))
                .isEqualTo(runs.get(3).finished().getEpochSecond());
        assertThat(metric(metrics, "ldap_mailcow_last_cycle_succeeded", null)).isEqualTo(1);
        assertThat(metric(metrics, "ldap_mailcow_directory_users", null)).isEqualTo(runs.get(3).plan().usersRead());
        assertThat(metric(metrics, "ldap_mailcow_managed_mailboxes", "active=\"true\""))
                .isEqualTo(count("SELECT count(*) AS n FROM users WHERE active"));
        assertThat(metric(metrics, "ldap_mailcow_managed_aliases", "active=\"true\""))
                .isEqualTo(count("SELECT count(*) AS n FROM aliases WHERE active"));
        assertThat(metrics).as("Camel's own route metrics are there too").contains("routeId=\"sync-cycle\"");

        // JMX route statistics
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        Set<ObjectName> routes = jmx.queryNames(new ObjectName("org.apache.camel:type=routes,name=\"sync-cycle\",*"), null);
        assertThat(routes).hasSize(1);
        ObjectName syncCycle = routes.iterator().next();
        assertThat((Long) jmx.getAttribute(syncCycle, "ExchangesTotal")).isEqualTo(runs.size());
        assertThat((Long) jmx.getAttribute(syncCycle, "FailuresHandled")).as("the aborted cycle")
                .isEqualTo(runs.stream().filter(CycleRun::aborted).count());
        assertThat((Long) jmx.getAttribute(syncCycle, "ExchangesFailed")).isZero();

        // reports: the newest three, each with its changes, skips and failures
        List<Path> reports = reportFiles();
        assertThat(reports).hasSize(3);
        List<JsonNode> kept = new ArrayList<>();
        for (Path report : reports) {
            kept.add(JSON.readTree(report.toFile()));
        }
        assertThat(kept).extracting(r -> r.get("cycle").asLong()).containsExactly(2L, 3L, 4L);
        JsonNode failed = kept.get(0);
        assertThat(failed.get("result").asText()).isEqualTo("failed");
        assertThat(failed.get("changes")).anySatisfy(c -> {
            assertThat(c.get("address").asText()).isEqualTo("newbie@example.local");
            assertThat(c.get("outcome").asText()).isEqualTo("failed");
            assertThat(c.get("message").asText()).contains("mailbox_quota_exceeded");
            assertThat(c.get("reason").asText()).isNotBlank();
        });
        assertThat(failed.get("skips")).isNotEmpty();
        assertThat(failed.get("failures")).hasSize(1);
        assertThat(kept.get(1).get("result").asText()).isEqualTo("aborted");
        assertThat(kept.get(1).get("error").asText()).isNotBlank();
        assertThat(kept.get(2).get("changes")).anySatisfy(c -> {
            assertThat(c.get("address").asText()).isEqualTo("newbie@example.local");
            assertThat(c.get("change").asText()).isEqualTo("mailbox create");
            assertThat(c.get("outcome").asText()).isEqualTo("applied");
        });

        // no secret anywhere an operator looks
        StringBuilder seen = new StringBuilder(metrics).append(down.body()).append(up.body());
        for (Path report : reports) {
            seen.append(Files.readString(report));
        }
        assertThat(seen.toString()).doesNotContain(SyncHarness.API_KEY).doesNotContain(h.directory.bindPassword());
    }

    @Test
    void aDryRunWritesNoReportAndLogsThePlannedChangesWithTheirReasons() throws Exception {
        h.set("DRY_RUN", "true");
        h.directory.seedSample();
        CycleRun run;
        List<String> log;
        try (LogCapture capture = LogCapture.open(org.apache.logging.log4j.Level.INFO)) {
            run = h.cycle();
            log = capture.lines();
        }

        assertThat(run.dryRun).isTrue();
        assertThat(work.resolve("db/reports")).as("a dry run writes no file, no report either").doesNotExist();
        assertThat(h.mailcow.mailboxes()).isEmpty();
        assertThat(run.plan().describeWrites()).isNotEmpty().allSatisfy(change -> {
            assertThat(change.substring(change.indexOf(": ") + 2)).as("its reason").isNotBlank();
            assertThat(log).contains("INFO org.ldapmailcow.sync.Cycles Would apply " + change);
        });
    }

    private List<Path> reportFiles() throws Exception {
        try (var files = Files.list(work.resolve("db/reports"))) {
            return files.sorted().toList();
        }
    }

    private long count(String sql) throws Exception {
        return ((Number) h.rows(sql).get(0).get("n")).longValue();
    }

    private static int probe(int port) {
        return HealthProbe.probe(port, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    private static JsonNode syncCheck(String body) throws Exception {
        for (JsonNode check : JSON.readTree(body).get("checks")) {
            if (check.get("name").asText().equals("sync-cycle")) {
                return check;
            }
        }
        throw new AssertionError("no sync-cycle check in " + body);
    }
}
