package org.ldapmailcow.model;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One cycle as it runs: what was applied (confirmed by mailcow), what failed, and whether it stopped early.
 * Writes run in parallel, so everything here is thread-safe; the state database is written from the
 * confirmed lists afterwards, by one writer.
 */
public final class CycleRun {

    /**
     * A mailbox write mailcow confirmed, as the state records it. {@code aclApplied}: whether the mailbox has
     * LDAP_MAILCOW_USER_ACL now; null keeps what the state says (a deactivation does not touch the ACL).
     */
    public record ConfirmedMailbox(MailboxChange change, Boolean aclApplied) {
    }

    /**
     * Transport failures in a row (connection refused or reset, no answer in time, HTTP 5xx or 429; every failed
     * attempt counts, retries too) that stop the cycle early.
     */
    public static final int TRANSPORT_FAILURE_LIMIT = 5;
    /** How often one request is tried again after a transport failure, unless the cycle stopped meanwhile. */
    public static final int TRANSPORT_RETRIES = 3;

    public final long number;
    public final Instant started = Instant.now();
    public final boolean full;
    public final boolean dryRun;
    private volatile Plan plan;
    private volatile HeldPlan heldPlan;
    private volatile String approvedPlan;
    private volatile Long undoneCycle;
    private volatile Map<Object, JournalEntry> inverses = Map.of();
    private volatile List<JournalEntry> settled = List.of();
    private volatile String error;
    private volatile Instant finished;
    private final Map<String, AtomicInteger> applied = new ConcurrentHashMap<>();
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private final Queue<ConfirmedMailbox> confirmedMailboxes = new ConcurrentLinkedQueue<>();
    private final Queue<AliasChange> confirmedAliases = new ConcurrentLinkedQueue<>();
    private final AtomicInteger consecutiveTransportFailures = new AtomicInteger();
    private final AtomicBoolean aborted = new AtomicBoolean();
    private final AtomicBoolean staleState = new AtomicBoolean();
    private volatile boolean stopped;
    private final Queue<String> uncertainAliases = new ConcurrentLinkedQueue<>();
    private final Set<Object> appliedChanges = ConcurrentHashMap.newKeySet();
    private final Map<Object, String> failedChanges = new ConcurrentHashMap<>();
    private final Set<MailboxChange> aclConfirmed = ConcurrentHashMap.newKeySet();
    private volatile String directoryRead;

    public CycleRun(long number, boolean full, boolean dryRun) {
        this.number = number;
        this.full = full;
        this.dryRun = dryRun;
    }

    public Plan plan() {
        return plan;
    }

    /** This cycle reads mailcow's listings instead of trusting the state (the routes read it as cycle.fullReconcile). */
    public boolean fullReconcile() {
        return full;
    }

    /** The removals the mass-change limit held back, under the id that approves them; null when none. */
    public HeldPlan heldPlan() {
        return heldPlan;
    }

    public void held(HeldPlan held) {
        this.heldPlan = held;
    }

    /**
     * An undo cycle ({@code --undo}): the journal entry each change of its plan reverts, and the entries that
     * needed no change (already as before).
     */
    public void undoing(long cycle, Map<Object, JournalEntry> inverses, List<JournalEntry> settled) {
        this.undoneCycle = cycle;
        this.inverses = Map.copyOf(inverses);
        this.settled = List.copyOf(settled);
    }

    /** The cycle this one undoes ({@code --undo}), or null. */
    public Long undoneCycle() {
        return undoneCycle;
    }

    /** The journal entries this undo cycle reverted: mailcow confirmed the inverse, or needed none. */
    public List<JournalEntry> undone() {
        List<JournalEntry> done = new ArrayList<>(settled);
        Set<Object> applied = appliedChanges();
        inverses.forEach((change, entry) -> {
            if (applied.contains(change)) {
                done.add(entry);
            }
        });
        return done;
    }

    /** The plan id this cycle approved ({@code --approve}), or null. */
    public String approvedPlan() {
        return approvedPlan;
    }

    public void approved(String planId) {
        this.approvedPlan = planId;
    }

    /** How this cycle read the directory (full and why, a delta, unchanged), for its summary line. */
    public void directoryRead(String description) {
        directoryRead = description;
    }

    public String directoryRead() {
        return directoryRead;
    }

    public void plan(Plan plan) {
        this.plan = plan;
    }

    /**
     * The state records the mailbox with its ACL only when the change needed none or mailcow confirmed it
     * ({@link #userAclApplied}): a creation counted as done some other way stays without it, and the next cycle
     * sets it.
     */
    public void mailboxApplied(MailboxChange change) {
        consecutiveTransportFailures.set(0);
        boolean vanished = change.step() != null && change.step().vanished();
        Boolean acl = change.kind() == MailboxChange.Kind.DEACTIVATE || vanished ? null
                : aclConfirmed.remove(change) || !change.setsAcl();
        confirmedMailboxes.add(new ConfirmedMailbox(change, acl));
        appliedChanges.add(change);
        count(change.label());
    }

    /**
     * mailcow confirmed the mailbox's creation, and its user ACL is still to be set: recorded as a
     * managed mailbox without the ACL, so a failing ACL call is retried by the next cycle. A later
     * {@link #mailboxApplied} for the same change supersedes this (the state writes rows in order).
     */
    public void mailboxAwaitingAcl(MailboxChange change) {
        consecutiveTransportFailures.set(0);
        confirmedMailboxes.add(new ConfirmedMailbox(change, false));
    }

    /** mailcow confirmed edit/user-acl for the change's mailbox. */
    public void userAclApplied(MailboxChange change) {
        aclConfirmed.add(change);
    }

    /**
     * A creation whose answer never came: the mailbox may exist. The next cycle reads mailcow fully, so it finds
     * (and adopts, with its ACL) what the state cannot know about.
     */
    public void uncertainCreation() {
        staleState.set(true);
    }

    public void aliasApplied(AliasChange change) {
        consecutiveTransportFailures.set(0);
        confirmedAliases.add(change);
        appliedChanges.add(change);
        count(change.label());
    }

    /** mailcow refused the item (or answered nothing): reported, retried by the next cycle. */
    public void refused(Object change, String message, boolean staleStateHint) {
        consecutiveTransportFailures.set(0);
        failures.add(change + " -> " + message);
        if (change != null) {
            failedChanges.put(change, String.valueOf(message));
        }
        if (staleStateHint) {
            staleState.set(true);
        }
    }

    /**
     * One attempt of a request failed in transport. Returns whether to try it again: at most
     * {@link #TRANSPORT_RETRIES} times, and not once the cycle stopped (these failures, or the service stopping).
     */
    public boolean transportFailed(int attempt) {
        countTransportFailure();
        return attempt <= TRANSPORT_RETRIES && !aborted.get();
    }

    /**
     * The API could not be reached for the item, or failed otherwise than by refusing it. {@code counted}: the
     * failure was already counted by {@link #transportFailed}; enough failures in a row stop the cycle.
     */
    public void unreachable(Object change, String message, boolean counted) {
        failures.add(change + " -> mailcow unreachable: " + message);
        if (change != null) {
            failedChanges.put(change, "mailcow unreachable: " + message);
        }
        if (!counted) {
            countTransportFailure();
        }
    }

    private void countTransportFailure() {
        if (consecutiveTransportFailures.incrementAndGet() >= TRANSPORT_FAILURE_LIMIT && aborted.compareAndSet(false, true)) {
            error = "mailcow API failed " + TRANSPORT_FAILURE_LIMIT + " times in a row; cycle stopped early, "
                    + "nothing deactivated";
        }
    }

    /** An alias addition whose answer never came: it may exist in mailcow, so its pending mark stays. */
    public void uncertain(AliasChange change) {
        uncertainAliases.add(change.address());
    }

    public List<String> uncertainAliases() {
        return List.copyOf(uncertainAliases);
    }

    public boolean aborted() {
        return aborted.get();
    }

    /** A failure of the whole cycle (directory unreadable, guard, ...). */
    public void fail(String message) {
        if (error == null) {
            error = message;
        }
        aborted.set(true);
    }

    /** The service is stopping: a cycle still under way sends nothing more (see {@link Cycles#stop()}). */
    public void stop() {
        if (finished == null) {
            stopped = true;
            fail("stopped early, the service is stopping: nothing deactivated; changes not yet sent follow at the next start");
        }
    }

    public boolean stopped() {
        return stopped;
    }

    /** Held back by the guard: the cycle applied what it could but counts as failed. */
    public void withhold(String message) {
        if (error == null) {
            error = message;
        }
    }

    /** mailcow holds something the state does not know of: the next cycle reads mailcow fully. */
    public void mailcowDiffersFromState() {
        staleState.set(true);
    }

    public boolean staleState() {
        return staleState.get();
    }

    public List<ConfirmedMailbox> drainConfirmedMailboxes() {
        return drain(confirmedMailboxes);
    }

    public List<AliasChange> drainConfirmedAliases() {
        return drain(confirmedAliases);
    }

    public boolean succeeded() {
        return error == null && failures.isEmpty();
    }

    public String error() {
        return error;
    }

    public List<String> failures() {
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }

    /** Every change mailcow confirmed in this cycle (kept after the state has taken them). */
    public Set<Object> appliedChanges() {
        return Set.copyOf(appliedChanges);
    }

    /** Every change (or bulk list of changes) that failed, with its message. */
    public Map<Object, String> failedChanges() {
        return Map.copyOf(failedChanges);
    }

    /** Applied changes by kind, sorted by name. */
    public Map<String, Integer> appliedCounts() {
        Map<String, Integer> counts = new TreeMap<>();
        applied.forEach((k, v) -> counts.put(k, v.get()));
        return counts;
    }

    public void finish() {
        finished = Instant.now();
    }

    public Instant finished() {
        return finished;
    }

    public Duration duration() {
        return Duration.between(started, finished == null ? Instant.now() : finished);
    }

    private void count(String label) {
        applied.computeIfAbsent(label, k -> new AtomicInteger()).incrementAndGet();
    }

    private static <T> List<T> drain(Queue<T> queue) {
        List<T> items = new ArrayList<>();
        for (T item; (item = queue.poll()) != null; ) {
            items.add(item);
        }
        return items;
    }
}
