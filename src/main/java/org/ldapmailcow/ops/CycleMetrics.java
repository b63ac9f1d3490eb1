package org.ldapmailcow.ops;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import javax.sql.DataSource;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.ldapmailcow.model.CycleRun;
import org.ldapmailcow.model.Plan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cycle figures on {@code /observe/metrics}, beside Camel's own route metrics. Names as Prometheus sees them:
 * <ul>
 * <li>{@code ldap_mailcow_cycle_duration_seconds} (count, sum, max; tag {@code result})</li>
 * <li>{@code ldap_mailcow_cycles_total} (tag {@code result}: succeeded, failed, aborted)</li>
 * <li>{@code ldap_mailcow_last_success_timestamp_seconds}, {@code ldap_mailcow_last_cycle_timestamp_seconds}
 * (Unix time; 0 until it happens), {@code ldap_mailcow_last_cycle_succeeded} (1 or 0)</li>
 * <li>{@code ldap_mailcow_changes_total} (tag {@code kind}: mailbox create, alias delete, ...; applied only)</li>
 * <li>{@code ldap_mailcow_change_failures_total}: changes mailcow refused or that could not be sent</li>
 * <li>{@code ldap_mailcow_last_cycle_skips}, {@code ldap_mailcow_directory_users},
 * {@code ldap_mailcow_directory_groups}: from the last cycle that read the directory</li>
 * <li>{@code ldap_mailcow_managed_mailboxes}, {@code ldap_mailcow_managed_aliases} (tag {@code active}): rows of
 * the state database after the last cycle</li>
 * </ul>
 */
public final class CycleMetrics implements Consumer<CycleRun> {

    private static final Logger LOG = LoggerFactory.getLogger(CycleMetrics.class);
    private static final List<String> COMMON_KINDS = List.of("mailbox create", "mailbox deactivate", "alias add",
            "alias delete");

    private final MeterRegistry registry;
    private final DataSource state;
    private final AtomicLong lastSuccess = new AtomicLong();
    private final AtomicLong lastCycle = new AtomicLong();
    private final AtomicLong lastSucceeded = new AtomicLong();
    private final AtomicLong skips = new AtomicLong();
    private final AtomicLong users = new AtomicLong();
    private final AtomicLong groups = new AtomicLong();
    private final Map<String, AtomicLong> managed = Map.of(
            "mailboxes.true", new AtomicLong(), "mailboxes.false", new AtomicLong(),
            "aliases.true", new AtomicLong(), "aliases.false", new AtomicLong());
    private final Counter itemFailures;

    public CycleMetrics(MeterRegistry registry, DataSource state) {
        this.registry = registry;
        this.state = state;
        gauge("ldap_mailcow.last.success.timestamp", "Unix time of the last successful cycle's end", lastSuccess, "seconds");
        gauge("ldap_mailcow.last.cycle.timestamp", "Unix time of the last cycle's end", lastCycle, "seconds");
        gauge("ldap_mailcow.last.cycle.succeeded", "1 when the last cycle succeeded, else 0", lastSucceeded, null);
        gauge("ldap_mailcow.last.cycle.skips", "Entries the last cycle skipped (see its report)", skips, null);
        gauge("ldap_mailcow.directory.users", "Users the last cycle read from the directory", users, null);
        gauge("ldap_mailcow.directory.groups", "Mail-enabled groups the last cycle read", groups, null);
        managed.forEach((key, value) -> {
            String[] parts = key.split("\\.");
            Gauge.builder("ldap_mailcow.managed." + parts[0], value, AtomicLong::doubleValue)
                    .description("Mailboxes or aliases this service manages (state database)")
                    .tag("active", parts[1]).register(registry);
        });
        itemFailures = Counter.builder("ldap_mailcow.change.failures")
                .description("Changes mailcow refused or that could not be sent").register(registry);
        for (String result : List.of("succeeded", "failed", "aborted")) {
            cycles(result);
        }
        COMMON_KINDS.forEach(this::changes);
    }

    @Override
    public void accept(CycleRun run) {
        String result = run.aborted() ? "aborted" : run.succeeded() ? "succeeded" : "failed";
        cycles(result).increment();
        Timer.builder("ldap_mailcow.cycle.duration").description("Duration of the sync cycles")
                .tag("result", result).register(registry).record(run.duration().toNanos(), TimeUnit.NANOSECONDS);
        long end = (run.finished() == null ? java.time.Instant.now() : run.finished()).getEpochSecond();
        lastCycle.set(end);
        lastSucceeded.set(run.succeeded() ? 1 : 0);
        if (run.succeeded()) {
            lastSuccess.set(end);
        }
        run.appliedCounts().forEach((kind, count) -> {
            if (!kind.endsWith("keep")) {
                changes(kind).increment(count);
            }
        });
        itemFailures.increment(run.failedChanges().keySet().stream()
                .mapToInt(change -> change instanceof List<?> bulk ? bulk.size() : 1).sum());
        Plan plan = run.plan();
        if (plan != null) {
            skips.set(plan.skips().size());
            users.set(plan.usersRead());
            groups.set(plan.groupsRead());
        }
        countManaged();
    }

    private void countManaged() {
        try (Connection c = state.getConnection(); Statement s = c.createStatement()) {
            count(s, "SELECT active, count(*) FROM users GROUP BY active", "mailboxes");
            count(s, "SELECT active, count(*) FROM aliases GROUP BY active", "aliases");
        } catch (SQLException e) {
            LOG.warn("Cannot count the managed mailboxes and aliases: {}", e.getMessage());
        }
    }

    private void count(Statement s, String sql, String what) throws SQLException {
        managed.get(what + ".true").set(0);
        managed.get(what + ".false").set(0);
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                managed.get(what + "." + rs.getBoolean(1)).addAndGet(rs.getLong(2));
            }
        }
    }

    private Counter cycles(String result) {
        return Counter.builder("ldap_mailcow.cycles").description("Sync cycles by result")
                .tag("result", result).register(registry);
    }

    private Counter changes(String kind) {
        return Counter.builder("ldap_mailcow.changes").description("Changes applied in mailcow, by kind")
                .tag("kind", kind).register(registry);
    }

    private void gauge(String name, String description, AtomicLong value, String unit) {
        Gauge.Builder<AtomicLong> builder = Gauge.builder(name, value, AtomicLong::doubleValue).description(description);
        if (unit != null) {
            builder.baseUnit(unit);
        }
        builder.register(registry);
    }
}
