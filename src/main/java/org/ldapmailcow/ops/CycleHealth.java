package org.ldapmailcow.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.ldapmailcow.model.CycleRun;

/**
 * The service's own health: DOWN when the last cycle failed, or when no cycle succeeded within three sync
 * intervals (counted from the start, or from taking the lead, while none has succeeded yet); UP while this instance
 * waits as standby beside the one that cycles. Camel's route checks stay UP after a failed
 * exchange, so they cannot tell. It is a readiness check only: restarting the process would not help a
 * directory or mailcow that fails, so {@code /observe/health/live} stays UP while the process runs.
 */
public final class CycleHealth extends AbstractHealthCheck implements Consumer<CycleRun> {

    /** Cycles that may be missed before the service counts as stuck. */
    public static final int MISSED_INTERVALS = 3;

    private final Duration interval;
    private final Clock clock;
    private volatile Instant started;
    private volatile boolean standby;
    private volatile Outcome last;
    private volatile Instant lastSuccess;

    private record Outcome(long number, Instant finished, boolean succeeded, String problem) {
    }

    public CycleHealth(Duration interval, Clock clock) {
        super("ldap-mailcow", "sync-cycle");
        this.interval = interval;
        this.clock = clock;
        this.started = clock.instant();
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    public void accept(CycleRun run) {
        Instant finished = clock.instant(); // called as the cycle finishes
        String problem = null;
        if (!run.succeeded()) {
            problem = run.error() != null ? run.error() : run.failures().size() + " change(s) failed";
        }
        last = new Outcome(run.number, finished, run.succeeded(), problem);
        if (run.succeeded()) {
            lastSuccess = finished;
        }
    }

    /**
     * A standby (another instance holds the lock and cycles) is healthy: waiting is its job, and the leader's health
     * tells about the cycles. Taking the lead starts the count of three intervals afresh.
     */
    public void standby(boolean waiting) {
        if (standby && !waiting) {
            started = clock.instant();
            lastSuccess = null;
            last = null;
        }
        standby = waiting;
    }

    /** Null when healthy, else why not. */
    public String problem() {
        if (standby) {
            return null;
        }
        Outcome outcome = last;
        if (outcome != null && !outcome.succeeded()) {
            return "last cycle (" + outcome.number() + ") failed: " + outcome.problem();
        }
        Instant since = lastSuccess == null ? started : lastSuccess;
        Duration allowed = interval.multipliedBy(MISSED_INTERVALS);
        Duration quiet = Duration.between(since, clock.instant());
        if (quiet.compareTo(allowed) > 0) {
            return (lastSuccess == null ? "no cycle succeeded since the start " : "no cycle succeeded for ")
                    + seconds(quiet) + " (allowed: " + MISSED_INTERVALS + " sync intervals, " + seconds(allowed) + ")";
        }
        return null;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Outcome outcome = last;
        if (outcome != null) {
            builder.detail("last.cycle", outcome.number());
            builder.detail("last.cycle.finished", outcome.finished().toString());
        }
        if (lastSuccess != null) {
            builder.detail("last.success", lastSuccess.toString());
        }
        String problem = problem();
        if (standby) {
            builder.up().message("standby: another instance holds the lock beside the state file and runs the cycles");
        } else if (problem == null) {
            builder.up().message(outcome == null ? "no cycle finished yet"
                    : "last cycle (" + outcome.number() + ") succeeded " + seconds(
                            Duration.between(outcome.finished(), clock.instant())) + " ago");
        } else {
            builder.down().message(jsonSafe(problem));
        }
    }

    /** Camel writes the message into its JSON answer as it is: no quotes, backslashes or line breaks. */
    static String jsonSafe(String text) {
        return text.replace('"', '\'').replace('\\', '/').replaceAll("\\p{Cntrl}+", " ");
    }

    private static String seconds(Duration d) {
        return Math.max(0, d.toSeconds()) + " s";
    }
}
