package org.ldapmailcow.directory;

import java.util.List;
import java.util.Set;

/**
 * How a cycle reads the directory: in full (the searches of the read-directory route), as a delta (the users
 * below are the last read's with the changes applied; the groups are read again), or not at all (nothing that
 * concerns the sync changed and the previous cycle left nothing to retry: the cycle ends there).
 */
public final class DirectoryRead {

    private final boolean full;
    private final boolean unchanged;
    private final String reason;
    private final ChangeMark mark;
    private final List<DirectoryUser> users;
    private final List<DirectoryUser> changed;
    private final Set<String> gone;
    private final int unreadable;

    private DirectoryRead(boolean full, boolean unchanged, String reason, ChangeMark mark, List<DirectoryUser> users,
                          List<DirectoryUser> changed, Set<String> gone, int unreadable) {
        this.full = full;
        this.unchanged = unchanged;
        this.reason = reason;
        this.mark = mark;
        this.users = users;
        this.changed = changed;
        this.gone = gone;
        this.unreadable = unreadable;
    }

    public static DirectoryRead fullRead(ChangeMark mark, String reason) {
        return new DirectoryRead(true, false, reason, mark, List.of(), List.of(), Set.of(), 0);
    }

    public static DirectoryRead unchangedRead(ChangeMark mark, String reason, int unreadable) {
        return new DirectoryRead(false, true, reason, mark, List.of(), List.of(), Set.of(), unreadable);
    }

    public static DirectoryRead deltaRead(ChangeMark mark, String reason, List<DirectoryUser> users, List<DirectoryUser> changed,
                               Set<String> gone, int unreadable) {
        return new DirectoryRead(false, false, reason, mark, users, changed, gone, unreadable);
    }

    public boolean isFull() {
        return full;
    }

    public boolean isUnchanged() {
        return unchanged;
    }

    public String reason() {
        return reason;
    }

    public ChangeMark mark() {
        return mark;
    }

    /** A delta's users: the last read's with the changes applied. */
    public List<DirectoryUser> getUsers() {
        return users;
    }

    /** What the user search "returned" in a delta: the users and the entries the last full read could not read. */
    public int getUserEntries() {
        return users.size() + unreadable;
    }

    public List<DirectoryUser> changed() {
        return changed;
    }

    public Set<String> gone() {
        return gone;
    }

    public int unreadable() {
        return unreadable;
    }
}
