package org.ldapmailcow.directory;

import java.util.List;

/** What one cycle read from the directory. */
public record Directory(List<DirectoryUser> users, List<DirectoryGroup> groups) {

    public Directory {
        users = List.copyOf(users);
        groups = List.copyOf(groups);
    }
}
