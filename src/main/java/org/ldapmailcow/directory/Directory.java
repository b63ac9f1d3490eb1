package org.ldapmailcow.directory;

import java.util.List;

/**
 * What one cycle read from the directory. {@code unreadable} counts entries the search returned but that could
 * not be read (each logged with its DN and reason): their absence from the lists does not mean they are gone.
 */
public record Directory(List<DirectoryUser> users, List<DirectoryGroup> groups, int unreadable) {

    public Directory {
        users = List.copyOf(users);
        groups = List.copyOf(groups);
    }

    /**
     * The cycle's directory from what the searches returned: {@code userEntries} and {@code groupEntries} are the
     * entries found, before the unreadable ones were skipped.
     */
    public static Directory read(List<DirectoryUser> users, List<DirectoryGroup> groups, int userEntries,
                                 int groupEntries) {
        return new Directory(users, groups,
                Math.max(0, userEntries - users.size()) + Math.max(0, groupEntries - groups.size()));
    }

    public Directory(List<DirectoryUser> users, List<DirectoryGroup> groups) {
        this(users, groups, 0);
    }
}
