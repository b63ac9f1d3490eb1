package org.ldapmailcow.sync;

import org.ldapmailcow.config.DeactivationLimit;
import org.ldapmailcow.directory.Directory;
import org.ldapmailcow.state.SyncState;
import org.ldapmailcow.model.Plan;

/**
 * Keeps a mistyped filter or a directory that answers with nothing from switching off everyone's mail: an
 * empty user list while mailboxes are managed fails the cycle, and more removals than the limit are held back.
 */
public class RemovalGuard {

    private final DeactivationLimit limit;
    private final boolean force;

    public RemovalGuard(DeactivationLimit limit, boolean force) {
        this.limit = limit;
        this.force = force;
    }

    /** Fails before planning when the directory returned no user while this tool manages mailboxes. */
    public void checkDirectory(Directory directory, SyncState state) {
        if (directory.users().isEmpty() && !state.mailboxes().isEmpty()) {
            throw new DirectoryEmptyException("the directory returned no user while " + state.mailboxes().size()
                    + " mailboxes are managed; nothing is deactivated (check LDAP_MAILCOW_LDAP_FILTER and "
                    + "LDAP_MAILCOW_LDAP_BASE_DN)");
        }
    }

    /**
     * The plan as it may be applied: without its removals when they exceed the limit (unless forced), or when
     * some directory entries could not be read (an unreadable entry is not a removed one).
     */
    public Plan limit(Plan plan, Directory directory, SyncState state) {
        if (directory.unreadable() > 0 && plan.removals() > 0) {
            return plan.withoutRemovals(directory.unreadable() + " directory entries could not be read (see the "
                    + "warnings above); " + plan.removals() + " deactivations and alias deletions held back until "
                    + "every entry reads");
        }
        int allowed = limit.allowed((int) state.activeMailboxes());
        if (force || plan.removals() <= allowed) {
            return plan;
        }
        return plan.withoutRemovals("cycle planned " + plan.mailboxDeactivations().size() + " deactivations and "
                + plan.aliasDeletions().size() + " alias deletions (" + plan.removals() + " in all), above "
                + "LDAP_MAILCOW_MAX_DEACTIVATIONS=" + limit + " (" + allowed + " of " + state.activeMailboxes()
                + " managed active mailboxes); none applied. Check the directory, or run once with --force");
    }

    /** The directory answered, but with nothing, while mailboxes are managed. */
    public static class DirectoryEmptyException extends RuntimeException {
        public DirectoryEmptyException(String message) {
            super(message, null, false, false);
        }
    }
}
