package org.ldapmailcow.state;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import org.ldapmailcow.model.SharedText;
import org.ldapmailcow.directory.Directory;
import org.ldapmailcow.directory.DirectoryGroup;
import org.ldapmailcow.directory.DirectoryUser;
import org.ldapmailcow.mailcow.Alias;
import org.ldapmailcow.mailcow.Mailbox;
import org.ldapmailcow.mailcow.MailcowView;
import org.ldapmailcow.model.AliasChange;
import org.ldapmailcow.model.CycleRun;
import org.ldapmailcow.model.MailboxChange;
import org.ldapmailcow.model.Plan;
import org.ldapmailcow.model.Offboarding;

/** Converts between the state database's rows (as camel-sql reads and writes them) and the domain records. */
public class StateRows {

    /** Rows the alias writer upserts (made one at a time as they are written) and deletes. */
    public static final class AliasRows {
        private final Iterator<Map<String, Object>> upserts;
        private final List<Map<String, Object>> deletions;

        AliasRows(Iterator<Map<String, Object>> upserts, List<Map<String, Object>> deletions) {
            this.upserts = upserts;
            this.deletions = deletions;
        }

        public Iterator<Map<String, Object>> getUpserts() {
            return upserts;
        }

        public List<Map<String, Object>> getDeletions() {
            return deletions;
        }
    }

    /** {@code pending}: the pending_aliases rows; {@code pendingMailboxes}: see {@link #pendingMailboxRows}. */
    public SyncState state(List<ManagedMailbox> mailboxes, List<ManagedAlias> aliases,
                           List<Map<String, Object>> pending, List<Map<String, Object>> pendingMailboxes) {
        return SyncState.of(mailboxes, aliases, pending.stream().map(r -> text(r, "address")).toList(),
                pendingMailboxes.stream().map(r -> text(r, "email")).toList());
    }

    /** The users table's rows as they are read (camel-sql's StreamList), each one made a record at once. */
    public List<ManagedMailbox> managedMailboxes(Iterator<Map<String, Object>> rows) {
        List<ManagedMailbox> boxes = new ArrayList<>();
        rows.forEachRemaining(r -> boxes.add(new ManagedMailbox(text(r, "email"), bool(r, "active"), text(r, "name"),
                text(r, "source_dn"), text(r, "object_guid"), text(r, "last_seen"),
                !r.containsKey("acl_applied") || bool(r, "acl_applied"), text(r, "offboarding_stage"),
                text(r, "offboarding_since"), r.get("missed_cycles") instanceof Number n ? n.intValue() : 0)));
        return boxes;
    }

    /** The aliases table's rows, as {@link #managedMailboxes}. */
    public List<ManagedAlias> managedAliases(Iterator<Map<String, Object>> rows) {
        List<ManagedAlias> aliases = new ArrayList<>();
        rows.forEachRemaining(r -> aliases.add(new ManagedAlias(text(r, "address"), text(r, "goto"), bool(r, "active"),
                text(r, "kind"), text(r, "source_dn"), text(r, "last_seen"))));
        return aliases;
    }

    public MailcowView mailcowFromListings(List<String> domains, List<Mailbox> mailboxes, List<Alias> aliases) {
        return MailcowView.ofListings(domains, mailboxes, aliases);
    }

    /** Between full reconciles: mailcow as this tool last left it, from the state's rows ({@link MailcowView#asLastLeft}). */
    public MailcowView mailcowFromState(SyncState state, List<Map<String, Object>> hostedDomains) {
        List<String> domains = hostedDomains.stream().map(r -> text(r, "value")).filter(Objects::nonNull)
                .flatMap(v -> Arrays.stream(v.split(","))).filter(d -> !d.isBlank()).toList();
        // a staged leaver's mailbox was left at active=2 (login disallowed)
        List<Mailbox> boxes = state.mailboxes().values().stream()
                .map(m -> new Mailbox(m.email(), m.name() == null ? "" : m.name(), m.active(), null,
                        m.active() && Offboarding.Stage.of(m.offboardingStage()) == Offboarding.Stage.STAGED)).toList();
        // edit/alias and delete/alias take the address as well as the id
        List<Alias> al = state.aliases().values().stream()
                .map(a -> new Alias(a.address(), a.address(), a.gotoList(), a.active())).toList();
        return MailcowView.asLastLeft(domains, boxes, al);
    }

    /** The cycle's directory; {@code *Entries} are what the searches returned, before unreadable entries were skipped. */
    public Directory directory(List<DirectoryUser> users, List<DirectoryGroup> groups, int userEntries, int groupEntries) {
        return Directory.read(users, groups, userEntries, groupEntries);
    }

    public List<Map<String, Object>> pendingRows(List<AliasChange> aliasWrites) {
        String now = now();
        return aliasWrites.stream().filter(c -> c.kind() == AliasChange.Kind.ADD)
                .map(c -> row("address", c.address(), "since", now)).toList();
    }

    /**
     * Before mailbox creations go out: if the process dies (or the answer is lost) before the state records the
     * mailbox, the next cycle knows the mailbox it finds is its own, and sets its user ACL. A mark stays until
     * the mailbox has a row in users.
     */
    public List<Map<String, Object>> pendingMailboxRows(List<MailboxChange> mailboxWrites) {
        String now = now();
        return mailboxWrites.stream().filter(c -> c.kind() == MailboxChange.Kind.CREATE)
                .map(c -> row("email", c.email(), "since", now)).toList();
    }

    /**
     * Mailboxes mailcow confirmed this cycle, and those that needed no write, as upsert rows, made one at a time
     * as they are written (every managed mailbox has one each cycle: as one list, 50,000 rows are about 25 MB).
     * A mailbox listed twice gets two rows; the later one wins, as the upsert runs in order.
     */
    public Iterator<Map<String, Object>> mailboxRows(CycleRun cycle, Plan plan) {
        String now = now();
        // a mailbox that needs no write has its ACL: else the planner would set it
        // (a missing user's row keeps its flag: the planner looked at nothing of it but its count)
        List<CycleRun.ConfirmedMailbox> changes = new ArrayList<>(plan.mailboxRecords().stream()
                .map(c -> new CycleRun.ConfirmedMailbox(c, c.step() != null && c.step().vanished() ? null : true))
                .toList());
        changes.addAll(cycle.drainConfirmedMailboxes());
        return changes.stream().map(c -> mailboxRow(c, now)).iterator();
    }

    private static Map<String, Object> mailboxRow(CycleRun.ConfirmedMailbox confirmed, String now) {
        MailboxChange c = confirmed.change();
        Map<String, Object> row = new HashMap<>();
        // null keeps the state's value (the upsert's COALESCE)
        row.put("aclApplied", confirmed.aclApplied() == null ? null : confirmed.aclApplied() ? 1 : 0);
        row.put("email", c.email());
        row.put("active", c.resultActive() ? 1 : 0);
        // a deactivated or missing user's mailbox keeps the time it was last seen: the upsert keeps the column on ''
        boolean unseen = c.kind() == MailboxChange.Kind.DEACTIVATE || c.step() != null && c.step().vanished();
        row.put("lastSeen", unseen ? "" : now);
        Offboarding.Step step = c.step();
        row.put("offboardingStage", step == null ? null : step.stage().column());
        row.put("offboardingSince", step == null || step.since() == null ? null
                : step.since().truncatedTo(ChronoUnit.SECONDS).toString());
        row.put("missedCycles", step == null ? 0 : step.misses());
        row.put("name", c.resultName());
        row.put("sourceDn", c.sourceDn());
        row.put("objectGuid", c.objectGuid());
        return row;
    }

    public AliasRows aliasRows(CycleRun cycle, Plan plan) {
        String now = now();
        List<AliasChange> changes = new ArrayList<>(plan.aliasRecords());
        changes.addAll(cycle.drainConfirmedAliases());
        List<Map<String, Object>> deletions = new ArrayList<>();
        changes.stream().filter(c -> c.kind() == AliasChange.Kind.DELETE)
                .forEach(c -> deletions.add(row("address", c.address())));
        plan.aliasesToForget().forEach(c -> deletions.add(row("address", c.address())));
        Iterator<Map<String, Object>> upserts = changes.stream()
                .filter(c -> c.kind() != AliasChange.Kind.DELETE)
                .map(c -> aliasRow(c, now))
                .iterator();
        return new AliasRows(upserts, deletions);
    }

    private static Map<String, Object> aliasRow(AliasChange c, String now) {
        Map<String, Object> row = new HashMap<>();
        row.put("address", c.address());
        row.put("goto", c.resultGoto() == null ? "" : c.resultGoto());
        row.put("active", c.resultActive() ? 1 : 0);
        row.put("lastSeen", now);
        row.put("kind", c.aliasKind());
        row.put("sourceDn", c.sourceDn());
        return row;
    }

    /**
     * Pending marks whose outcome is now known: every attempted addition except those left uncertain, and
     * every alias now recorded as it is (adopted after an interrupted cycle).
     */
    public List<Map<String, Object>> settledPendingRows(CycleRun cycle, Plan plan) {
        Set<String> uncertain = new HashSet<>();
        cycle.uncertainAliases().forEach(a -> uncertain.add(a.toLowerCase(Locale.ROOT)));
        return java.util.stream.Stream.concat(
                        plan.aliasWrites().stream().filter(c -> c.kind() == AliasChange.Kind.ADD),
                        plan.aliasRecords().stream())
                .filter(c -> !uncertain.contains(c.address().toLowerCase(Locale.ROOT)))
                .map(c -> row("address", c.address())).toList();
    }

    public Map<String, Object> hostedDomainsRow(MailcowView mailcow) {
        return row("value", mailcow.hostedDomains().stream().sorted().collect(Collectors.joining(",")));
    }

    /** A row for camel-sql's named parameters: column name, value, column name, value, ... */
    static Map<String, Object> row(Object... keyValues) {
        Map<String, Object> row = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            row.put((String) keyValues[i], keyValues[i + 1]);
        }
        return row;
    }

    /** The time the state records, to the second. */
    static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String text(Map<String, Object> row, String column) {
        return SharedText.of(row.get(column));
    }

    private static boolean bool(Map<String, Object> row, String column) {
        Object v = row.get(column);
        if (v instanceof Number n) {
            return n.intValue() != 0;
        }
        return v != null && (v.toString().equals("1") || v.toString().equalsIgnoreCase("true"));
    }
}
