package org.ldapmailcow.state;

/**
 * A mailbox this tool manages, as recorded in the state database. {@code aclApplied} is false while
 * LDAP_MAILCOW_USER_ACL still has to be set on it (the mailbox was created but the ACL call failed).
 */
public record ManagedMailbox(String email, boolean active, String name, String sourceDn, String objectGuid,
                             String lastSeen, boolean aclApplied) {

    public ManagedMailbox(String email, boolean active, String name, String sourceDn, String objectGuid,
                          String lastSeen) {
        this(email, active, name, sourceDn, objectGuid, lastSeen, true);
    }
}
