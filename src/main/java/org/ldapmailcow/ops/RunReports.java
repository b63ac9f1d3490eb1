package org.ldapmailcow.ops;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.ldapmailcow.model.AliasChange;
import org.ldapmailcow.model.CycleRun;
import org.ldapmailcow.model.MailboxChange;
import org.ldapmailcow.model.Plan;
import org.ldapmailcow.model.Skip;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one JSON report per cycle into {@code reports/} beside the state database: every change with its
 * reason and outcome, every skip and every failure. Keeps the newest {@code keep} reports (0: writes none).
 * File names start with the cycle's start time (UTC), so they sort in the order the cycles ran, across restarts.
 */
public final class RunReports implements Consumer<CycleRun> {

    private static final Logger LOG = LoggerFactory.getLogger(RunReports.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    static final String PREFIX = "cycle-";

    private final Path directory;
    private final int keep;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public RunReports(Path directory, int keep) {
        this.directory = directory;
        this.keep = keep;
    }

    /** {@code reports/} in the directory of the state database. */
    public static Path besideDatabase(Path dbFile) {
        Path parent = dbFile.toAbsolutePath().getParent();
        return parent.resolve("reports");
    }

    public Path directory() {
        return directory;
    }

    @Override
    public void accept(CycleRun run) {
        if (keep == 0) {
            return;
        }
        try {
            Files.createDirectories(directory);
            Path file = directory.resolve(PREFIX + STAMP.format(run.started) + "-" + run.number + ".json");
            Path partial = directory.resolve("." + file.getFileName() + ".partial");
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(partial));
                 JsonGenerator report = json.createGenerator(out)) {
                write(report, run);
            }
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            prune();
        } catch (IOException | RuntimeException e) {
            LOG.warn("Cannot write the report of cycle {} to {}: {}", run.number, directory, Secrets.safeMessage(e));
        }
    }

    /** The reports kept, oldest first. */
    public List<Path> reports() throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> {
                String name = f.getFileName().toString();
                return name.startsWith(PREFIX) && name.endsWith(".json");
            }).sorted().toList();
        }
    }

    private void prune() throws IOException {
        List<Path> all = reports();
        for (Path old : all.subList(0, Math.max(0, all.size() - keep))) {
            Files.deleteIfExists(old);
        }
    }

    /**
     * Writes the report entry by entry: a first cycle over 50,000 users has about 90,000 changes, tens of MB
     * as one document in memory.
     */
    static void write(JsonGenerator report, CycleRun run) throws IOException {
        Plan plan = run.plan();
        report.writeStartObject();
        report.writeObjectField("cycle", run.number);
        report.writeObjectField("result", run.aborted() ? "aborted" : run.succeeded() ? "succeeded" : "failed");
        report.writeObjectField("started", run.started.toString());
        report.writeObjectField("finished", run.finished() == null ? null : run.finished().toString());
        report.writeObjectField("durationSeconds", run.duration().toMillis() / 1000.0);
        report.writeObjectField("fullReconcile", run.full);
        report.writeObjectField("dryRun", run.dryRun);
        report.writeObjectField("error", text(run.error()));
        report.writeObjectField("usersRead", plan == null ? null : plan.usersRead());
        report.writeObjectField("groupsRead", plan == null ? null : plan.groupsRead());
        report.writeObjectField("withheldRemovals", plan == null ? null : text(plan.withheldRemovals()));
        org.ldapmailcow.model.HeldPlan held = run.heldPlan();
        if (held != null) {
            // what the mass-change limit held back, under the id --approve takes
            report.writeObjectFieldStart("heldBack");
            report.writeObjectField("planId", held.id());
            report.writeObjectField("approveWith", "--approve " + held.id());
            report.writeArrayFieldStart("removals");
            for (org.ldapmailcow.model.HeldPlan.Removal r : held.removals()) {
                Map<String, Object> e = entry(r.object(), r.change(), r.address(), r.reason(), r.sourceDn());
                report.writeObject(e);
            }
            report.writeEndArray();
            report.writeEndObject();
        }
        if (run.approvedPlan() != null) {
            report.writeObjectField("approvedPlan", run.approvedPlan());
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        run.appliedCounts().forEach((kind, n) -> {
            if (!kind.endsWith("keep")) {
                counts.put(kind, n);
            }
        });
        report.writeObjectField("applied", counts);
        report.writeArrayFieldStart("changes");
        Set<Object> applied = run.appliedChanges();
        Map<Object, String> failed = run.failedChanges();
        if (plan != null) {
            for (MailboxChange c : plan.mailboxChanges()) {
                if (c.kind() != MailboxChange.Kind.KEEP) {
                    Map<String, Object> e = entry("mailbox", c.label(), c.email(), c.reason(), c.sourceDn());
                    e.put("name", text(c.name()));
                    e.put("active", c.active());
                    outcome(e, run, c, c.writesMailcow(), applied, failed);
                    report.writeObject(e);
                }
            }
            for (AliasChange c : plan.aliasChanges()) {
                if (c.kind() != AliasChange.Kind.KEEP) {
                    Map<String, Object> e = entry("alias", c.label(), c.address(), c.reason(), c.sourceDn());
                    e.put("goto", text(c.gotoJoined()));
                    e.put("active", c.active());
                    e.put("aliasKind", c.aliasKind());
                    outcome(e, run, c, c.writesMailcow(), applied, failed);
                    report.writeObject(e);
                }
            }
        }
        report.writeEndArray();
        report.writeArrayFieldStart("skips");
        if (plan != null) {
            for (Skip s : plan.skips()) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("entry", text(s.entry()));
                e.put("reason", text(s.reason()));
                report.writeObject(e);
            }
        }
        report.writeEndArray();
        report.writeObjectField("failures", run.failures().stream().map(RunReports::text).toList());
        report.writeEndObject();
    }

    private static Map<String, Object> entry(String object, String label, String address, String reason, String dn) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("object", object);
        e.put("change", label);
        e.put("address", address);
        e.put("reason", text(reason));
        e.put("sourceDn", text(dn));
        return e;
    }

    private static void outcome(Map<String, Object> e, CycleRun run, Object change, boolean writes, Set<Object> applied,
                                Map<Object, String> failed) {
        String failure = failure(change, failed);
        String outcome;
        if (run.dryRun) {
            outcome = writes ? "planned (dry run)" : "state only (dry run)";
        } else if (applied.contains(change)) {
            outcome = "applied";
        } else if (failure != null) {
            outcome = "failed";
            e.put("message", text(failure));
        } else if (!writes) {
            outcome = "state only";
        } else {
            outcome = "not applied (cycle stopped early)";
        }
        e.put("outcome", outcome);
    }

    private static String failure(Object change, Map<Object, String> failed) {
        String direct = failed.get(change);
        if (direct != null) {
            return direct;
        }
        for (Map.Entry<Object, String> f : failed.entrySet()) {
            if (f.getKey() instanceof List<?> bulk && bulk.contains(change)) {
                return f.getValue();
            }
        }
        return null;
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }
}
