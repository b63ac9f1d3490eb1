package org.ldapmailcow.sync;

import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.apache.camel.Exchange;
import org.apache.camel.Handler;
import org.ldapmailcow.SharedText;
import org.ldapmailcow.config.Settings;
import org.ldapmailcow.directory.Directory;
import org.ldapmailcow.mailcow.MailcowAnswers;
import org.ldapmailcow.mailcow.MailcowRefusedException;
import org.ldapmailcow.mailcow.MailcowView;
import org.ldapmailcow.state.SyncState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cycle bean the routes call: starts a cycle, plans it, collects what mailcow confirmed or refused, and
 * ends it with the summary line. Cycles never overlap (the trigger is stateful), so one current run suffices.
 */
public class Cycles {

    private static final Logger LOG = LoggerFactory.getLogger(Cycles.class);
    /** The exchange property naming the transport failure {@link #retryWrite} has counted already. */
    private static final String COUNTED_FAILURE = "ldapMailcowCountedFailure";

    private final Settings settings;
    private final Planner planner;
    private final RemovalGuard guard;
    private final MailcowAnswers answers = new MailcowAnswers();
    private final AtomicLong counter = new AtomicLong();
    private final List<Consumer<CycleRun>> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean fullReconcileDue = true;
    private volatile boolean stopping;
    private Set<Skip> warnedSkips = Set.of();
    private boolean warnedNoUsers;
    private volatile CycleRun current;
    private volatile Set<String> pendingAtStart = Set.of();
    /** Mailboxes whose creation got no usable answer: mailcow may have made them. */
    private final Set<String> unansweredCreations = ConcurrentHashMap.newKeySet();

    public Cycles(Settings settings) {
        this.settings = settings;
        this.planner = new Planner(new Exclusions(settings.exclude));
        this.guard = new RemovalGuard(settings.maxDeactivations, settings.forceDeactivations);
    }

    /** Called with every finished cycle (health, metrics, reports). */
    public void onFinish(Consumer<CycleRun> listener) {
        listeners.add(listener);
    }

    public CycleRun begin() {
        SharedText.forget();
        long number = counter.incrementAndGet();
        boolean full = fullReconcileDue || (number - 1) % settings.fullSyncEvery == 0;
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

    public boolean fullReconcile() {
        return current.full;
    }

    public Plan plan(Directory directory, MailcowView mailcow, SyncState state) {
        // everything is read: the views keep their shared texts, the table of them can go before planning
        SharedText.forget();
        warnIfNoUsers(directory);
        guard.checkDirectory(directory, state);
        Plan plan = guard.limit(planner.plan(directory, mailcow, state), directory, state);
        if (plan.withheldRemovals() != null) {
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
    public boolean retryWrite(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        exchange.setProperty(COUNTED_FAILURE, cause);
        return current.transportFailed(attempt(exchange));
    }

    /**
     * The retry rule of the cycle's own steps: the directory and mailcow's listings are read again a few times;
     * nothing is once the plan is being applied (that would send its writes twice) or the cycle has stopped.
     */
    public boolean retryCycleStep(Exchange exchange) {
        CycleRun run = current;
        return run.plan() == null && !run.aborted() && attempt(exchange) <= CycleRun.TRANSPORT_RETRIES
                && !answerTimedOut(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
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

    /** Camel counts the attempts in a message header (which the API routes keep): 1 after the first failure. */
    private static int attempt(Exchange exchange) {
        Integer counter = exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, Integer.class);
        return counter == null ? 1 : counter;
    }

    /** The onException handler of a change route: mailcow refused, or could not be reached after retries. */
    public void itemFailed(Exchange exchange) {
        Object change = exchange.getVariable("change");
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
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
            current.unreachable(change, message, cause != null && cause == exchange.getProperty(COUNTED_FAILURE));
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

    /** The bulk deactivation's answer: each mailbox mailcow names as modified is confirmed. */
    public void deactivationsAnswered(List<MailboxChange> changes, Object answer) {
        Set<String> done = answers.succeededItems(answer);
        for (MailboxChange change : changes) {
            if (done.contains(change.email().toLowerCase(Locale.ROOT))) {
                mailboxApplied(change);
            } else {
                current.refused(change, String.join("; ", answers.problems(answer)), false);
                LOG.warn("Failed {}: {}", change, answers.problems(answer));
            }
        }
    }

    /** The bulk alias deletion's answer: mailcow names each removed alias by address. */
    public void aliasDeletionsAnswered(List<AliasChange> changes, Object answer) {
        Set<String> done = answers.succeededItems(answer);
        for (AliasChange change : changes) {
            if (done.contains(change.address().toLowerCase(Locale.ROOT))) {
                aliasApplied(change);
            } else {
                current.refused(change, String.join("; ", answers.problems(answer)), true);
                LOG.warn("Failed {}: {}", change, answers.problems(answer));
            }
        }
    }

    /**
     * The cycle as a whole failed (directory unreadable, mailcow unreachable, state file unreadable or not
     * writable, empty directory). Before the plan nothing was written; after it, a failure can only be the state
     * file's, and the next cycle reads mailcow fully (aborted), so it finds what this one applied.
     */
    public void cycleFailed(Exchange exchange) {
        CycleRun run = current;
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
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
