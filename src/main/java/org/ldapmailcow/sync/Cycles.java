package org.ldapmailcow.sync;

import org.ldapmailcow.model.Offboarding;
import org.ldapmailcow.model.JournalEntry;
import org.ldapmailcow.model.HeldPlan;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.apache.camel.Handler;
import org.ldapmailcow.model.SharedText;
import org.ldapmailcow.config.Settings;
import org.ldapmailcow.directory.Directory;
import org.ldapmailcow.mailcow.BulkAnswer;
import org.ldapmailcow.mailcow.MailcowRefusedException;
import org.ldapmailcow.mailcow.MailcowView;
import org.ldapmailcow.state.SyncState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ldapmailcow.model.AliasChange;
import org.ldapmailcow.model.CycleRun;
import org.ldapmailcow.model.MailboxChange;
import org.ldapmailcow.model.Plan;
import org.ldapmailcow.model.Skip;
import org.ldapmailcow.ops.Secrets;

/**
 * The cycle bean the routes call: starts a cycle, plans it, collects what mailcow confirmed or refused, and
 * ends it with the summary line. Cycles never overlap (the trigger is stateful), so one current run suffices.
 */
public class Cycles {

    private static final Logger LOG = LoggerFactory.getLogger(Cycles.class);

    private final Settings settings;
    /** The time offboarding stages are measured in (injectable: tests move it on instead of waiting days). */
    private final Clock clock;
    private final Planner planner;
    private final RemovalGuard guard;
    private final AtomicLong counter = new AtomicLong();
    private volatile java.util.function.LongSupplier lastRecorded = () -> 0;
    private final List<Consumer<CycleRun>> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean fullReconcileDue = true;
    /** Cycles this process ran (the full reconciles count from its start, whatever the cycle numbers). */
    private long cyclesRun;
    private volatile boolean stopping;
    private Set<Skip> warnedSkips = Set.of();
    private boolean warnedNoUsers;
    private volatile CycleRun current;
    private volatile Set<String> pendingAtStart = Set.of();
    /** The transport failures {@link #retryWrite} has counted already (so {@link #itemFailed} does not again). */
    private final Set<Throwable> countedFailures = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
    /** {@code --approve <id>}: the plan id, and its removals as the state file holds them (null: not read yet). */
    private volatile String approving;
    private volatile List<HeldPlan.Removal> approvedRemovals;
    private volatile Long undoing;
    private volatile boolean nothingJournalled;
    private volatile List<String> undoNotes = List.of();
    /** Mailboxes whose creation got no usable answer: mailcow may have made them. */
    private final Set<String> unansweredCreations = ConcurrentHashMap.newKeySet();

    public Cycles(Settings settings) {
        this(settings, Clock.systemUTC());
    }

    public Cycles(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.planner = new Planner(new Exclusions(settings.exclude), new Offboarding(
                settings.offboarding == Settings.Offboarding.STAGED ? Offboarding.Mode.STAGED : Offboarding.Mode.DEACTIVATE,
                settings.offboardingDays, settings.missesBeforeRemoval), settings.offboardingDays);
        this.guard = new RemovalGuard(settings.maxDeactivations, settings.forceDeactivations);
    }

    /** Called with every finished cycle (health, metrics, reports). */
    public void onFinish(Consumer<CycleRun> listener) {
        listeners.add(listener);
    }

    /**
     * Numbers go on from the last cycle the state file recorded, so a cycle number names one cycle for good, also
     * across restarts and when a standby takes over: read as each cycle begins. Unreadable, the count goes on
     * (the cycle then fails reading the state, and records nothing).
     */
    public void numberFrom(java.util.function.LongSupplier lastRecorded) {
        this.lastRecorded = lastRecorded;
    }

    private long nextNumber() {
        long last = 0;
        try {
            last = lastRecorded.getAsLong();
        } catch (RuntimeException e) {
            LOG.debug("Cannot read the last cycle number: {}", Secrets.safeMessage(e));
        }
        long previous = counter.get();
        long next = Math.max(previous, last) + 1;
        counter.set(next);
        return next;
    }

    /** The next cycle applies the removals held back under this plan id ({@code --approve}). */
    public void approve(String planId) {
        this.approving = planId;
    }

    /** The plan id being approved, or null. */
    public String approving() {
        return approving;
    }

    /** The held-back removals of the plan being approved, as read from the state file (held_removals rows). */
    public void approvedRemovals(List<java.util.Map<String, Object>> rows) {
        approvedRemovals = rows.stream().map(r -> new HeldPlan.Removal(String.valueOf(r.get("object")),
                String.valueOf(r.get("change")), String.valueOf(r.get("address")), (String) r.get("reason"),
                (String) r.get("source_dn"))).toList();
    }

    /** The run undoes the changes this cycle applied ({@code --undo}). */
    public void undo(long cycle) {
        this.undoing = cycle;
    }

    /** The cycle being undone, or null. */
    public Long undoing() {
        return undoing;
    }

    /** {@code --undo} named a cycle of which the journal holds nothing. */
    public boolean nothingJournalled() {
        return nothingJournalled;
    }

    /** What the undo plan leaves alone, and why (already as before, cannot be undone). */
    public List<String> undoNotes() {
        return undoNotes;
    }

    /**
     * The plan of an undo cycle, made from the journal of the cycle undone and mailcow as it is now; fails the
     * run when the journal holds nothing for that cycle.
     */
    public Plan undoPlan(List<JournalEntry> journal, MailcowView mailcow, SyncState state) {
        SharedText.forget();
        if (journal.isEmpty()) {
            nothingJournalled = true;
            throw new NothingJournalledException("the state file " + settings.dbFile + " journals no change applied by "
                    + "cycle " + undoing + " (cycle numbers are in the summary lines and the cycle reports)");
        }
        UndoPlanner.Result undo = new UndoPlanner().plan(undoing, journal, mailcow, state);
        undoNotes = List.copyOf(undo.notes());
        LOG.info("Undo of cycle {}: {} change(s) to revert, {} left as they are", undoing, undo.inverses().size(),
                undo.notes().size());
        undo.notes().forEach(n -> LOG.info("Undo leaves {}", n));
        current.undoing(undoing, undo.inverses(), undo.settled());
        current.plan(undo.plan());
        return undo.plan();
    }

    /** {@code --approve} named a plan the state file does not hold. */
    public boolean unknownPlan() {
        return approving != null && approvedRemovals != null && approvedRemovals.isEmpty();
    }

    public CycleRun begin() {
        SharedText.forget();
        long number = nextNumber();
        boolean due = cyclesRun++ % settings.fullSyncEvery == 0;
        boolean full = fullReconcileDue || due;
        countedFailures.clear();
        current = new CycleRun(number, full, settings.dryRun);
        if (stopping) {
            current.stop();
        }
        return current;
    }

    /**
     * The service is stopping (SIGTERM, docker stop): the cycle under way sends no further change and applies
     * no removal; what mailcow confirmed so far is recorded, the rest is sent by the next start's cycle.
     */
    public void stop() {
        stopping = true;
        CycleRun run = current;
        if (run != null) {
            run.stop();
        }
    }

    public CycleRun current() {
        return current;
    }

    public Plan plan(Directory directory, MailcowView mailcow, SyncState state) {
        // everything is read: the views keep their shared texts, the table of them can go before planning
        SharedText.forget();
        warnIfNoUsers(directory);
        guard.checkDirectory(directory, state);
        Plan planned = planner.plan(directory, mailcow, state, clock.instant());
        Plan plan;
        if (approving != null && directory.unreadable() > 0) {
            // an unreadable entry may be one of the approved users: nothing is removed until every entry reads
            plan = guard.limit(planned, directory, state);
            LOG.warn("Approved plan {} not applied: {}", approving, plan.withheldRemovals());
        } else if (approving != null) {
            if (unknownPlan()) {
                throw new UnknownPlanException("no held-back plan " + approving + " in the state file "
                        + settings.dbFile + " (plan ids are named in the cycle's summary line and report)");
            }
            Approval.Result approval = Approval.apply(approving, approvedRemovals, planned, mailcow,
                    p -> guard.limit(p, directory, state));
            Plan applied = approval.plan();
            plan = applied;
            LOG.info("Approved plan {}: {} of its {} removals still due, applied regardless of the limit", approving,
                    approval.approved(), approvedRemovals.size());
            approval.skipped().forEach(s -> LOG.warn("Skipped {}", s));
            current.approved(approving);
            planned = new Plan(planned.mailboxChanges().stream().filter(c -> !applied.mailboxDeactivations().contains(c)).toList(),
                    planned.aliasChanges().stream().filter(c -> !applied.aliasDeletions().contains(c)).toList(),
                    planned.skips(), planned.usersRead(), planned.groupsRead(), planned.fullReconcile(), null);
        } else {
            plan = guard.limit(planned, directory, state);
        }
        if (plan.withheldRemovals() != null) {
            if (directory.unreadable() == 0 && !settings.dryRun) {
                // held back by the limit: the removals can be approved as they are, by the plan's id (a dry run
                // records no plan, so it names none)
                HeldPlan held = HeldPlan.of(planned.mailboxDeactivations(), planned.aliasDeletions());
                current.held(held);
                plan = plan.withWithheldRemovals(plan.withheldRemovals() + "; or approve exactly these with --approve "
                        + held.id() + ": " + held.describe(20));
            }
            LOG.error("Mass change guard: {}", plan.withheldRemovals());
            current.withhold("removals held back: " + plan.withheldRemovals());
        }
        warnNewSkips(plan.skips());
        pendingAtStart = state.pendingAliases();
        if (!unansweredCreations.isEmpty()) {
            // only those this cycle creates again can be answered object_exists
            unansweredCreations.retainAll(plan.mailboxWrites().stream().filter(c -> c.kind() == MailboxChange.Kind.CREATE)
                    .map(c -> c.email().toLowerCase(Locale.ROOT)).collect(Collectors.toSet()));
        }
        current.plan(plan);
        return plan;
    }

    /**
     * What the next cycle would plan, for {@code --explain}: the planner's plan and the plan after the limit, made
     * by the same planner and guard as a cycle's, touching no cycle. Throws as a cycle would stop before planning.
     */
    public Plan[] preview(Directory directory, MailcowView mailcow, SyncState state) {
        guard.checkDirectory(directory, state);
        Plan planned = planner.plan(directory, mailcow, state);
        return new Plan[] {planned, guard.limit(planned, directory, state)};
    }

    /**
     * With nothing managed yet an empty directory is no reason to abort, but a first cycle that reads nobody has
     * almost always a wrong base DN or filter: say which ones, once (again only after users were read).
     */
    private void warnIfNoUsers(Directory directory) {
        boolean none = directory.users().isEmpty();
        if (none && !warnedNoUsers) {
            LOG.warn("Cycle {} read 0 users under {} with the filter {}; check LDAP_MAILCOW_LDAP_BASE_DN and "
                    + "LDAP_MAILCOW_LDAP_FILTER", current.number, settings.baseDn, settings.userFilter);
        }
        warnedNoUsers = none;
    }

    /**
     * A skipped entry is a warning when the previous cycle did not skip it for the same reason; a service
     * account without mail would otherwise warn every interval, forever. The summary and the report count all.
     */
    private void warnNewSkips(List<Skip> skips) {
        Set<Skip> now = new HashSet<>(skips);
        for (Skip skip : skips) {
            if (warnedSkips.contains(skip)) {
                LOG.debug("Skipped {} (as before)", skip);
            } else {
                LOG.warn("Skipped {}", skip);
            }
        }
        warnedSkips = now;
    }

    public void mailboxApplied(MailboxChange change) {
        LOG.info("Applied {}", change);
        current.mailboxApplied(change);
    }

    /** mailcow confirmed the mailbox's creation; its user ACL call comes next. */
    public void mailboxAwaitingAcl(MailboxChange change) {
        current.mailboxAwaitingAcl(change);
    }

    public void userAclApplied(MailboxChange change) {
        current.userAclApplied(change);
    }

    public void aliasApplied(AliasChange change) {
        LOG.info("Applied {}", change);
        current.aliasApplied(change);
    }

    /**
     * The retry rule (retryWhile) of a write that failed in transport: connection refused or reset, no answer in
     * time, HTTP 5xx or 429. Every failed attempt counts towards the failures in a row that stop the cycle; the
     * write is tried again a few times, never once the cycle has stopped.
     */
    public boolean retryWrite(Integer attempt, Throwable cause) {
        if (cause != null) {
            countedFailures.add(cause);
        }
        return current.transportFailed(attempt(attempt));
    }

    /**
     * The retry rule of the cycle's own steps: the directory and mailcow's listings are read again a few times;
     * nothing is once the plan is being applied (that would send its writes twice) or the cycle has stopped.
     */
    public boolean retryCycleStep(Integer attempt, Throwable cause) {
        CycleRun run = current;
        return run.plan() == null && !run.aborted() && attempt(attempt) <= CycleRun.TRANSPORT_RETRIES
                && !answerTimedOut(cause);
    }

    /**
     * A read that waited its whole timeout (LDAP_MAILCOW_API_READ_TIMEOUT for a listing) met a peer that takes
     * connections but does not answer: asking again would only multiply that wait.
     */
    private static boolean answerTimedOut(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof java.net.SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Camel counts the attempts in the message header CamelRedeliveryCounter (which the API routes keep), the
     * routes pass it: 1 after the first failure, none before.
     */
    private static int attempt(Integer counter) {
        return counter == null ? 1 : counter;
    }

    /**
     * The onException handler of a change route: mailcow refused, or could not be reached after retries.
     * {@code change}: the MailboxChange or AliasChange (a list of them for the bulk calls).
     */
    public void itemFailed(Object change, Throwable cause) {
        if (cause instanceof MailcowRefusedException refused && createdBefore(change, refused)) {
            return;
        }
        boolean outcomeKnown = cause instanceof MailcowRefusedException r && !r.outcomeUnknown();
        if (!outcomeKnown && change instanceof MailboxChange mailbox && mailbox.kind() == MailboxChange.Kind.CREATE) {
            unansweredCreations.add(mailbox.email().toLowerCase(Locale.ROOT));
        }
        if (!outcomeKnown && change instanceof AliasChange alias && alias.kind() == AliasChange.Kind.ADD) {
            current.uncertain(alias);
        }
        if (!outcomeKnown && change instanceof MailboxChange mailbox && mailbox.kind() == MailboxChange.Kind.CREATE) {
            current.uncertainCreation();
        }
        if (cause instanceof MailcowRefusedException refused) {
            LOG.warn("Failed {}: {}", change, refused.getMessage());
            current.refused(change, refused.getMessage(), refused.meansStaleState());
        } else {
            String message = cause == null ? "unknown error" : Secrets.safeMessage(cause);
            LOG.warn("Failed {}: {}", change, message);
            current.unreachable(change, message, cause != null && countedFailures.remove(cause));
        }
    }

    /**
     * A creation mailcow refuses because the address exists, when an earlier creation of it by this tool went
     * unanswered (the answer was lost, or the process died): it was created then, so it counts as created now.
     * A mailbox: add/mailbox's {@code object_exists}, for an address whose creation went unanswered in an earlier
     * cycle of this process (after a restart the first cycle reads mailcow fully and adopts it). An alias:
     * add/alias's {@code is_alias_or_mailbox}, for an address marked pending by an earlier cycle. Anything else
     * there was made by someone else and stays a failure. The next cycle reads mailcow fully, to correct what differs.
     */
    private boolean createdBefore(Object change, MailcowRefusedException refused) {
        String message = refused.mailcowMessage();
        boolean created = change instanceof MailboxChange mailbox && mailbox.kind() == MailboxChange.Kind.CREATE
                && message.equalsIgnoreCase("object_exists " + mailbox.email())
                && unansweredCreations.remove(mailbox.email().toLowerCase(Locale.ROOT))
                || change instanceof AliasChange alias && alias.kind() == AliasChange.Kind.ADD
                && message.equalsIgnoreCase("is_alias_or_mailbox " + alias.address())
                && pendingAtStart.contains(alias.address().toLowerCase(Locale.ROOT));
        if (!created) {
            return false;
        }
        LOG.info("{} exists in mailcow: created by an earlier, unanswered request", change);
        current.mailcowDiffersFromState();
        if (change instanceof MailboxChange mailbox) {
            mailboxApplied(mailbox);
        } else {
            aliasApplied((AliasChange) change);
        }
        return true;
    }

    public boolean aborted() {
        return current.aborted();
    }

    /** {@code --undo} named a cycle the journal holds nothing of: nothing is written. */
    public static class NothingJournalledException extends RuntimeException {
        public NothingJournalledException(String message) {
            super(message, null, false, false);
        }
    }

    /** {@code --approve} named a plan id the state file does not hold: the cycle stops before writing. */
    public static class UnknownPlanException extends RuntimeException {
        public UnknownPlanException(String message) {
            super(message, null, false, false);
        }
    }

    /** The bulk deactivation's answer: each mailbox mailcow names as modified is confirmed. */
    public void deactivationsAnswered(List<MailboxChange> changes, Object answer) {
        BulkAnswer bulk = BulkAnswer.of(answer);
        for (MailboxChange change : changes) {
            if (bulk.succeeded(change.email())) {
                mailboxApplied(change);
            } else {
                current.refused(change, bulk.problemText(), false);
                LOG.warn("Failed {}: {}", change, bulk.problems());
            }
        }
    }

    /** The bulk alias deletion's answer: mailcow names each removed alias by address. */
    public void aliasDeletionsAnswered(List<AliasChange> changes, Object answer) {
        BulkAnswer bulk = BulkAnswer.of(answer);
        for (AliasChange change : changes) {
            if (bulk.succeeded(change.address())) {
                aliasApplied(change);
            } else {
                current.refused(change, bulk.problemText(), true);
                LOG.warn("Failed {}: {}", change, bulk.problems());
            }
        }
    }

    /**
     * The cycle as a whole failed (directory unreadable, mailcow unreachable, state file unreadable or not
     * writable, empty directory). Before the plan nothing was written; after it, a failure can only be the state
     * file's, and the next cycle reads mailcow fully (aborted), so it finds what this one applied.
     */
    public void cycleFailed(Throwable cause) {
        CycleRun run = current;
        String message = cause == null ? "unknown error" : Secrets.safeMessage(cause);
        SQLException state = stateFileProblem(cause);
        if (state != null) {
            message = "the state file " + settings.dbFile + (run.plan() == null ? " could not be read: "
                    : " could not be written: ") + state.getMessage();
        }
        if (run.plan() == null) {
            LOG.error("Cycle {} aborted before any deactivation: {}", run.number, message);
        } else {
            LOG.error("Cycle {} aborted: {}; the next cycle reads mailcow fully", run.number, message);
        }
        run.fail(message);
    }

    private static SQLException stateFileProblem(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return sql;
            }
        }
        return null;
    }

    /** Prints the plan of a dry run, one line per change, with its reason. */
    public void printPlan(Plan plan) {
        List<String> lines = plan.describeWrites();
        LOG.info("Dry run: {} change(s) planned; nothing is written", lines.size());
        lines.forEach(line -> LOG.info("Would apply {}", line));
        if (plan.withheldRemovals() != null) {
            LOG.info("Would withhold removals: {}", plan.withheldRemovals());
        }
    }

    @Handler
    public CycleRun finish() {
        CycleRun run = current;
        run.finish();
        SharedText.forget();
        fullReconcileDue = run.staleState() || run.aborted();
        LOG.info(summary(run));
        listeners.forEach(l -> l.accept(run));
        return run;
    }

    static String summary(CycleRun run) {
        if (run.dryRun) {
            return dryRunSummary(run);
        }
        Plan plan = run.plan();
        if (run.undoneCycle() != null) {
            return undoSummary(run);
        }
        String counts = run.appliedCounts().entrySet().stream()
                .filter(e -> !e.getKey().endsWith("keep"))
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
        return String.format(Locale.ROOT, "Cycle %d %s in %.1f s (%s%s): %s; skipped %d, failed %d; read %d users, %d groups%s",
                run.number, run.stopped() ? "stopped" : run.succeeded() ? "succeeded" : "FAILED", run.duration().toMillis() / 1000.0,
                run.full ? "full reconcile" : "trusting state", run.dryRun ? ", dry run" : "",
                counts.isEmpty() ? "no change" : counts, plan == null ? 0 : plan.skips().size(), run.failures().size(),
                plan == null ? 0 : plan.usersRead(), plan == null ? 0 : plan.groupsRead(),
                run.error() == null ? "" : "; " + run.error())
                + (run.directoryRead() == null ? "" : "; directory " + run.directoryRead());
    }

    /** An undo reads no directory: its line says which cycle it undid and what it applied. */
    private static String undoSummary(CycleRun run) {
        String counts = run.appliedCounts().entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
        return String.format(Locale.ROOT, "Cycle %d (undo of cycle %d) %s in %.1f s: %s; failed %d%s", run.number,
                run.undoneCycle(), run.stopped() ? "stopped" : run.succeeded() ? "succeeded" : "FAILED",
                run.duration().toMillis() / 1000.0, counts.isEmpty() ? "no change" : counts, run.failures().size(),
                run.error() == null ? "" : "; " + run.error());
    }

    /** A dry run applies nothing, so its line gives the plan's totals instead of what was applied. */
    private static String dryRunSummary(CycleRun run) {
        Plan plan = run.plan();
        String head = String.format(Locale.ROOT, "Dry run of cycle %d in %.1f s (%s): ", run.number,
                run.duration().toMillis() / 1000.0, run.full ? "full reconcile" : "trusting state");
        if (run.aborted() || plan == null) {
            return head + (run.stopped() ? "stopped: " : "aborted: ") + run.error() + "; nothing written";
        }
        return head + plan.describeTotals() + "; skipped " + plan.skips().size() + "; read " + plan.usersRead()
                + " users, " + plan.groupsRead() + " groups; nothing written";
    }
}
