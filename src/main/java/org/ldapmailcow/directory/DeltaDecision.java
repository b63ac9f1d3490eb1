package org.ldapmailcow.directory;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Whether a cycle may read only what changed in the directory since the last read, or must read everything (issue
 * 16). Plain logic on the marks: any doubt means a full read.
 */
public final class DeltaDecision {

    /** A full read and why, or a delta (reason null). */
    public record Verdict(boolean full, String reason) {
        static Verdict full(String reason) {
            return new Verdict(true, reason);
        }

        static final Verdict DELTA = new Verdict(false, null);
    }

    private DeltaDecision() {
    }

    /**
     * @param enabled       LDAP_MAILCOW_DELTA_SYNC
     * @param cycleNumber   the cycle's number in this process (1 is the first)
     * @param fullEvery     LDAP_MAILCOW_FULL_SYNC_EVERY
     * @param fullReconcile the cycle reconciles with mailcow's listings (first, every Nth, after a failed or stale one)
     * @param stored        the mark of the last read, from the state file; null when there is none
     * @param now           the server's mark now
     */
    public static Verdict decide(boolean enabled, long cycleNumber, int fullEvery, boolean fullReconcile,
                                 DirectoryType.ChangeTracking tracking, ChangeMark stored, ChangeMark now) {
        if (!enabled) {
            return Verdict.full("delta cycles are off (LDAP_MAILCOW_DELTA_SYNC=false)");
        }
        if (fullReconcile) {
            return Verdict.full(cycleNumber == 1 ? "first cycle since start"
                    : (cycleNumber - 1) % fullEvery == 0 ? "every " + fullEvery + ". cycle (LDAP_MAILCOW_FULL_SYNC_EVERY)"
                    : "the previous cycle failed or found mailcow differing from the state");
        }
        if (now == null || now.counter() == null) {
            return Verdict.full("the directory shows no change counter (" + tracking.counterName() + ")");
        }
        if (stored == null || stored.counter() == null) {
            return Verdict.full("no earlier read of this directory to build on");
        }
        if (!Objects.equals(stored.settings(), now.settings())) {
            return Verdict.full("the directory settings changed since the last read");
        }
        if (!Objects.equals(stored.server(), now.server())) {
            return Verdict.full("another directory server answers (" + now.server() + ", last read from "
                    + stored.server() + ")");
        }
        if (!Objects.equals(stored.invocation(), now.invocation())) {
            return Verdict.full("the directory server's database was restored or replaced (invocation id changed)");
        }
        if (tracking == DirectoryType.ChangeTracking.USN) {
            if (now.usn() < 0 || stored.usn() < 0) {
                return Verdict.full("the directory's highestCommittedUSN is not a number");
            }
            if (now.usn() < stored.usn()) {
                return Verdict.full("the directory's highestCommittedUSN went back (" + now.usn() + " < " + stored.usn()
                        + "): restored from a backup");
            }
            if (now.usn() > stored.usn() && !stored.deletionsVisible()) {
                return Verdict.full("the directory changed and the bind account cannot read deleted objects, so a "
                        + "delta would miss deletions");
            }
            return Verdict.DELTA;
        }
        // OpenLDAP, 389 DS: a counter for the whole database, no way to see what was deleted
        return now.counter().equals(stored.counter()) ? Verdict.DELTA
                : Verdict.full("the directory changed (" + tracking.counterName().split(";")[0] + "), and "
                + tracking.serverName() + " shows no deletions to a delta");
    }

    /**
     * An entry the delta search returned: its anchor, DN key, whether it is deleted (with the key of its last
     * parent) and whether it is a group.
     */
    public record ChangedEntry(String anchor, String dnKey, boolean deleted, String lastParentKey, boolean group) {
    }

    /** What a delta search found: whether anything concerns this sync, and whether a group is among it. */
    public record Changes(boolean relevant, boolean groupChanged, int entries) {
    }

    /**
     * Which changed entries concern the sync: anything under the base DN; a user read last time (by anchor) that is
     * now elsewhere or deleted; a deleted entry whose last parent was under the base DN; and any group, wherever it
     * is now (it may have left the base DN; a group re-read is cheap). Anything else changed elsewhere.
     */
    public static Changes classify(List<ChangedEntry> entries, String baseKey, Set<String> knownUsers) {
        boolean relevant = false;
        boolean group = false;
        for (ChangedEntry entry : entries) {
            boolean concerns = entry.group()
                    || entry.anchor() != null && knownUsers.contains(entry.anchor())
                    || !entry.deleted() && under(entry.dnKey(), baseKey)
                    || entry.deleted() && (entry.lastParentKey() == null || under(entry.lastParentKey(), baseKey));
            relevant |= concerns;
            group |= concerns && entry.group();
        }
        return new Changes(relevant, group, entries.size());
    }

    /** Whether the DN is the base DN or below it (both as {@link DistinguishedNames#key}). */
    public static boolean under(String dnKey, String baseKey) {
        return dnKey != null && (dnKey.equals(baseKey) || dnKey.endsWith("," + baseKey));
    }
}
