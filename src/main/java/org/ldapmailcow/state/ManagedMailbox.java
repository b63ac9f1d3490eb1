package org.ldapmailcow.state;

/**
 * A mailbox this tool manages, as recorded in the state database. {@code aclApplied} is false while
 * LDAP_MAILCOW_USER_ACL still has to be set on it (the mailbox was created but the ACL call failed).
 * {@code offboardingStage} ({@code staged}, {@code deactivated} or null), {@code offboardingSince} (when that stage
 * began) and {@code missedCycles} (successful cycles in a row that did not return the user) are its offboarding.
 */
public record ManagedMailbox(String email, boolean active, String name, String sourceDn, String objectGuid,
                             String lastSeen, boolean aclApplied, String offboardingStage, String offboardingSince,
                             int missedCycles) {

    public ManagedMailbox(String email, boolean active, String name, String sourceDn, String objectGuid,
                          String lastSeen, boolean aclApplied) {
        this(email, active, name, sourceDn, objectGuid, lastSeen, aclApplied, null, null, 0);
    }

    public ManagedMailbox(String email, boolean active, String name, String sourceDn, String objectGuid,
                          String lastSeen) {
        this(email, active, name, sourceDn, objectGuid, lastSeen, true);
    }
}
