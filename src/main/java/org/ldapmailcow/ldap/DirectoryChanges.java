package org.ldapmailcow.ldap;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.SizeLimitExceededException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.SearchControls;
import javax.naming.directory.SearchResult;
import javax.naming.ldap.BasicControl;
import javax.naming.ldap.Control;
import javax.naming.ldap.LdapContext;
import javax.naming.ldap.LdapName;

import org.ldapmailcow.config.Settings;
import org.ldapmailcow.directory.BadEntryException;
import org.ldapmailcow.directory.DirectorySearch;
import org.ldapmailcow.directory.ObjectGuid;
import org.ldapmailcow.directory.JndiDirectorySearch;
import org.ldapmailcow.directory.EntryAttributes;
import org.ldapmailcow.directory.DistinguishedNames;
import org.ldapmailcow.directory.DirectoryUser;
import org.ldapmailcow.directory.DirectoryType;
import org.ldapmailcow.directory.DirectoryReader;
import org.ldapmailcow.directory.DirectoryRead;
import org.ldapmailcow.directory.DeltaDecision;
import org.ldapmailcow.directory.ChangeMark;
import org.ldapmailcow.directory.DeltaDecision.ChangedEntry;
import org.ldapmailcow.directory.DeltaDecision.Changes;
import org.ldapmailcow.directory.DeltaDecision.Verdict;
import org.ldapmailcow.state.DirectorySnapshot;
import org.ldapmailcow.model.CycleRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, at the start of each cycle, whether the directory is read in full or only what changed since the last
 * read (issue 16), reads the delta, and records each read's users and mark in the state file
 * ({@link DirectorySnapshot}). Active Directory: entries with {@code uSNChanged} above the last read's
 * {@code highestCommittedUSN}, searched from the naming context with the show-deleted control, so that a user moved
 * out of the base DN or deleted shows up too. OpenLDAP and 389 DS: only an unchanged database counter saves the
 * read; any change means a full read, as they show no deletions to a delta.
 */
public class DirectoryChanges {

    private static final Logger LOG = LoggerFactory.getLogger(DirectoryChanges.class);
    /** LDAP_SERVER_SHOW_DELETED_OID: deleted objects (tombstones) are returned too. */
    static final String SHOW_DELETED = "1.2.840.113556.1.4.417";
    private static final String[] PROBE_ATTRIBUTES = {"objectGUID", "objectClass", "isDeleted", "lastKnownParent"};

    private final Settings settings;
    private final Supplier<? extends LdapContext> contexts;
    private final JndiDirectorySearch search;
    private final DirectoryReader reader;
    private final DirectorySnapshot snapshot;
    private final DirectoryType.ChangeTracking tracking;
    private final String settingsDigest;
    private final boolean readsMembership;
    private volatile boolean previousSettled;

    public DirectoryChanges(Settings settings, Supplier<? extends LdapContext> contexts, JndiDirectorySearch search,
                            DirectoryReader reader, DirectorySnapshot snapshot) {
        this.settings = settings;
        this.contexts = contexts;
        this.search = search;
        this.reader = reader;
        this.snapshot = snapshot;
        this.tracking = settings.directory.changeTracking();
        this.settingsDigest = digest(settings);
        // memberOf is a back link: adding a user to a group changes the group's uSNChanged, not the user's
        this.readsMembership = settings.userFilter.toLowerCase(Locale.ROOT).contains("memberof");
    }

    /** Called with every finished cycle: an unchanged directory ends the next cycle early only after a clean one. */
    public void cycleFinished(CycleRun run) {
        previousSettled = run.succeeded() && !run.dryRun && !run.staleState();
    }

    public DirectoryRead read(CycleRun cycle) throws NamingException, SQLException {
        if (cycle == null) {
            // not a cycle (--explain): everything is read, and nothing is remembered of it
            return DirectoryRead.fullRead(null, "not a cycle");
        }
        DirectoryRead read = decide(cycle);
        cycle.directoryRead(read.isFull() ? "full read: " + read.reason()
                : read.isUnchanged() ? "unchanged: " + read.reason() : "delta: " + read.reason());
        if (read.isFull()) {
            LOG.info("Cycle {} reads the directory in full: {}", cycle.number, read.reason());
        } else if (read.isUnchanged()) {
            LOG.info("Cycle {} reads no directory entry: {}; nothing to do", cycle.number, read.reason());
        } else {
            LOG.info("Cycle {} reads only directory changes: {}", cycle.number, read.reason());
        }
        return read;
    }

    private DirectoryRead decide(CycleRun cycle) throws NamingException, SQLException {
        if (!settings.deltaSync) {
            return DirectoryRead.fullRead(null, "delta cycles are off (LDAP_MAILCOW_DELTA_SYNC=false)");
        }
        ChangeMark now;
        try {
            now = currentMark();
        } catch (NamingException | BadEntryException e) {
            // a directory that is down fails the full read too, with its own message; else the read goes on in full
            return DirectoryRead.fullRead(null, "the change counter cannot be read (" + e.getClass().getSimpleName()
                    + ")");
        }
        DirectorySnapshot.Stored stored = snapshot.mark();
        Verdict verdict = DeltaDecision.decide(true, cycle.number, settings.fullSyncEvery, cycle.full, tracking,
                stored == null ? null : stored.mark(), now);
        if (verdict.full()) {
            return DirectoryRead.fullRead(now, verdict.reason());
        }
        ChangeMark mark = now.withDeletionsVisible(stored.mark().deletionsVisible());
        if (tracking != DirectoryType.ChangeTracking.USN) {
            return nothingConcerns(cycle, mark, stored, tracking.counterName().split(" ")[0] + " unchanged");
        }
        String baseKey = DistinguishedNames.key(settings.baseDn);
        if (!DeltaDecision.under(baseKey, DistinguishedNames.key(now.namingContext()))) {
            return DirectoryRead.fullRead(now, "the base DN is outside the DC's default naming context "
                    + now.namingContext());
        }
        long from = stored.mark().usn() + 1;
        List<ChangedEntry> entries = changedEntries(now.namingContext(), from);
        String since = "since USN " + stored.mark().usn();
        if (entries.isEmpty()) {
            return nothingConcerns(cycle, mark, stored, "no entry changed " + since);
        }
        List<DirectoryUser> users = snapshot.users();
        Set<String> known = new HashSet<>();
        users.forEach(u -> known.add(u.objectGuid()));
        Changes changes = DeltaDecision.classify(entries, baseKey, known);
        if (!changes.relevant()) {
            return nothingConcerns(cycle, mark, stored, entries.size() + " entries changed " + since
                    + ", none under the base DN nor read before");
        }
        if (changes.groupChanged() && readsMembership) {
            return DirectoryRead.fullRead(now, "a group changed and the user filter reads group membership (memberOf)");
        }
        List<SearchResult> results = search.search(settings.baseDn, DirectorySearch.SUBTREE,
                "(&" + wrapped(settings.userFilter) + "(uSNChanged>=" + from + "))",
                settings.directory.userAttributes(settings.aliasAttributes).toArray(String[]::new));
        List<DirectoryUser> changed = reader.users(results);
        if (changed.size() < results.size() || changed.stream().anyMatch(u -> u.objectGuid() == null)) {
            return DirectoryRead.fullRead(now, "a changed user entry could not be read");
        }
        Set<String> gone = new HashSet<>();
        entries.stream().map(ChangedEntry::anchor).filter(known::contains).forEach(gone::add);
        changed.forEach(u -> gone.remove(u.objectGuid()));
        Map<String, DirectoryUser> merged = new LinkedHashMap<>();
        users.forEach(u -> merged.put(u.objectGuid(), u));
        gone.forEach(merged::remove);
        changed.forEach(u -> merged.put(u.objectGuid(), u));
        return DirectoryRead.deltaRead(mark, entries.size() + " entries changed " + since + ": " + changed.size()
                        + " users read again, " + gone.size() + " gone" + (changes.groupChanged() ? ", a group changed" : "")
                        + "; groups read again", new ArrayList<>(merged.values()), changed, gone, stored.unreadable());
    }

    /**
     * Nothing that concerns the sync changed: the cycle ends early, unless the previous one left something to retry
     * (or this is a dry run); then it plans with the last read's users and reads the groups again.
     */
    private DirectoryRead nothingConcerns(CycleRun cycle, ChangeMark mark, DirectorySnapshot.Stored stored,
                                          String reason) throws SQLException {
        if (previousSettled && !cycle.dryRun && !snapshot.offboardingInProgress()) {
            return DirectoryRead.unchangedRead(mark, reason, stored.unreadable());
        }
        if (previousSettled && !cycle.dryRun) {
            return DirectoryRead.deltaRead(mark, reason + "; a leaver is between offboarding steps: groups read again",
                    snapshot.users(), List.of(), Set.of(), stored.unreadable());
        }
        return DirectoryRead.deltaRead(mark, reason + "; the previous cycle left changes to retry: groups read again",
                snapshot.users(), List.of(), Set.of(), stored.unreadable());
    }

    /**
     * After the read: a full read's users replace the stored ones, a delta's changes are applied, and the mark moves
     * on. {@code userEntries}: what the user search returned (the difference to the users could not be read).
     */
    public void remember(DirectoryRead read, List<DirectoryUser> users, int userEntries) throws NamingException,
            SQLException {
        if (!settings.deltaSync) {
            return;
        }
        if (!read.isFull()) {
            snapshot.apply(read.changed(), read.gone(), read.mark(), read.unreadable());
            return;
        }
        ChangeMark mark = read.mark();
        if (mark == null || mark.counter() == null || users.stream().anyMatch(u -> u.objectGuid() == null)) {
            snapshot.forget();
            return;
        }
        if (tracking == DirectoryType.ChangeTracking.USN) {
            mark = mark.withDeletionsVisible(deletionsVisible(mark.namingContext()));
            if (!mark.deletionsVisible()) {
                LOG.info("The bind account cannot read deleted objects (CN=Deleted Objects): a directory that changed "
                        + "is read in full, as a delta would miss deletions (README: Delta cycles)");
            }
        }
        snapshot.replace(users, mark, Math.max(0, userEntries - users.size()));
    }

    /** The server's mark now; its counter is null when the server keeps none this service can read. */
    ChangeMark currentMark() throws NamingException, BadEntryException {
        LdapContext ctx = contexts.get();
        try {
            return switch (tracking) {
                case USN -> adMark(ctx);
                case CONTEXT_CSN -> openLdapMark(ctx);
                case LAST_USN -> ds389Mark(ctx);
            };
        } finally {
            ctx.close();
        }
    }

    private ChangeMark adMark(LdapContext ctx) throws NamingException {
        Attributes root = ctx.getAttributes("", new String[] {"highestCommittedUSN", "dsServiceName",
                "defaultNamingContext"});
        String usn = text(root.get("highestCommittedUSN"));
        String service = text(root.get("dsServiceName"));
        String context = text(root.get("defaultNamingContext"));
        if (usn == null || service == null || context == null) {
            return new ChangeMark(settings.ldapUri, null, null, settingsDigest, false, null);
        }
        Object invocation = value(ctx.getAttributes(new LdapName(service), new String[] {"invocationId"})
                .get("invocationId"));
        if (!(invocation instanceof byte[] id)) {
            return new ChangeMark(service, null, null, settingsDigest, false, context);
        }
        return new ChangeMark(service, HexFormat.of().formatHex(id), usn, settingsDigest, false, context);
    }

    private ChangeMark openLdapMark(LdapContext ctx) throws NamingException, BadEntryException {
        String base = DistinguishedNames.key(settings.baseDn);
        String namingContext = null;
        Attribute namingContexts = ctx.getAttributes("", new String[] {"namingContexts"}).get("namingContexts");
        for (String nc : EntryAttributes.values(namingContexts)) {
            if (DeltaDecision.under(base, DistinguishedNames.key(nc))
                    && (namingContext == null || nc.length() > namingContext.length())) {
                namingContext = nc;
            }
        }
        String csn = namingContext == null ? null
                : joined(ctx.getAttributes(new LdapName(namingContext), new String[] {"contextCSN"}), "contextCSN");
        return new ChangeMark(settings.ldapUri, "", csn, settingsDigest, false, namingContext);
    }

    private ChangeMark ds389Mark(LdapContext ctx) throws NamingException, BadEntryException {
        Attributes root = ctx.getAttributes("", new String[] {"lastusn", "lastchangenumber"});
        String usn = joined(root, "lastusn");
        String changes = joined(root, "lastchangenumber");
        String counter = usn == null && changes == null ? null : "usn=" + usn + " changelog=" + changes;
        return new ChangeMark(settings.ldapUri, "", counter, settingsDigest, false, null);
    }

    /** Every entry of the naming context changed from {@code fromUsn} on, deleted ones included where visible. */
    private List<ChangedEntry> changedEntries(String namingContext, long fromUsn) throws NamingException {
        List<ChangedEntry> entries = new ArrayList<>();
        search.searchPages(namingContext, DirectorySearch.SUBTREE, "(uSNChanged>=" + fromUsn + ")",
                new Control[] {new BasicControl(SHOW_DELETED, false, null)}, page -> {
                    for (SearchResult result : page) {
                        entries.add(changedEntry(result));
                    }
                }, PROBE_ATTRIBUTES);
        return entries;
    }

    private static ChangedEntry changedEntry(SearchResult result) {
        Attributes attributes = result.getAttributes();
        Object guid = value(attributes.get("objectGUID"));
        String anchor;
        try {
            anchor = guid instanceof byte[] bytes ? ObjectGuid.format(bytes) : null;
        } catch (BadEntryException e) {
            anchor = null;
        }
        boolean deleted = "TRUE".equalsIgnoreCase(text(attributes.get("isDeleted")));
        String parent = text(attributes.get("lastKnownParent"));
        boolean group = false;
        try {
            group = EntryAttributes.values(attributes.get("objectClass")).stream()
                    .anyMatch(c -> c.equalsIgnoreCase("group"));
        } catch (BadEntryException e) {
            group = true;   // cannot tell: counts as a group, which reads the groups again
        }
        String dnKey;
        try {
            dnKey = DistinguishedNames.key(EntryAttributes.dn(result));
        } catch (RuntimeException e) {
            dnKey = null;
        }
        return new ChangedEntry(anchor, dnKey, deleted, parent == null ? null : DistinguishedNames.key(parent), group);
    }

    /**
     * Whether the bind account sees deleted objects: a one-level show-deleted search of CN=Deleted Objects finds
     * one. None found (no right, or nothing ever deleted) counts as not seen.
     */
    private boolean deletionsVisible(String namingContext) {
        LdapContext ctx = null;
        try {
            ctx = contexts.get();
            ctx.setRequestControls(new Control[] {new BasicControl(SHOW_DELETED, false, null)});
            SearchControls controls = new SearchControls(SearchControls.ONELEVEL_SCOPE, 1, 0, new String[] {"1.1"},
                    false, false);
            NamingEnumeration<SearchResult> found = ctx.search(new LdapName("CN=Deleted Objects," + namingContext),
                    "(isDeleted=TRUE)", controls);
            try {
                return found.hasMore();
            } catch (SizeLimitExceededException e) {
                return true;
            } finally {
                found.close();
            }
        } catch (SizeLimitExceededException e) {
            return true;
        } catch (NamingException | RuntimeException e) {
            LOG.debug("deleted objects not readable: {}", e.getMessage());
            return false;
        } finally {
            if (ctx != null) {
                try {
                    ctx.close();
                } catch (NamingException e) {
                    // closing only
                }
            }
        }
    }

    private static String wrapped(String filter) {
        String f = filter.strip();
        return f.startsWith("(") ? f : "(" + f + ")";
    }

    private static Object value(Attribute attribute) {
        try {
            return attribute == null ? null : attribute.get();
        } catch (NamingException e) {
            return null;
        }
    }

    private static String text(Attribute attribute) {
        Object value = value(attribute);
        return value == null ? null : value.toString();
    }


    /** The values of every attribute named {@code name} or a subtype of it ({@code lastusn;userroot}), sorted. */
    private static String joined(Attributes attributes, String name) throws BadEntryException {
        Set<String> values = new TreeSet<>();
        for (Attribute attribute : EntryAttributes.withOptions(attributes, name)) {
            String id = attribute.getID().toLowerCase(Locale.ROOT);
            EntryAttributes.values(attribute).forEach(v -> values.add(id + ":" + v));
        }
        return values.isEmpty() ? null : String.join(",", values);
    }

    /** What shapes the read: another base DN, filter or attribute list is no base for a delta. */
    private static String digest(Settings settings) {
        String shape = String.join("\n", settings.directory.id(), settings.ldapUri, settings.baseDn, settings.userFilter,
                settings.groupFilter, settings.groupMemberFilter, String.join(",", settings.aliasAttributes));
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(shape.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
