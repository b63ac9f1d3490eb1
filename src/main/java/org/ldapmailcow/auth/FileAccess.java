package org.ldapmailcow.auth;

import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Who may read a rendered file. Mailcow's containers read these as root, so group and others need nothing more. */
public enum FileAccess {
    /** No secret inside: {@code rw-r--r--}. */
    PUBLIC("rw-r--r--"),
    /** Holds the bind password: {@code rw-r-----}. */
    SECRET("rw-r-----"),
    /** Holds the bind password and is run by mailcow's SOGo start-up: {@code rwx------}. */
    SECRET_SCRIPT("rwx------");

    private final Set<PosixFilePermission> permissions;

    FileAccess(String permissions) {
        this.permissions = Set.copyOf(PosixFilePermissions.fromString(permissions));
    }

    public Set<PosixFilePermission> permissions() {
        return permissions;
    }

    public boolean secret() {
        return this != PUBLIC;
    }
}
