package org.ldapmailcow.directory;

/** A person found among group members: what decides whether the group's mail reaches them. */
record Member(String mail, boolean disabled) {

    static Member of(DirectoryUser user) {
        return new Member(user.mail(), user.disabled());
    }

    boolean receivesMail() {
        return !disabled && mail != null && !mail.isBlank();
    }
}
