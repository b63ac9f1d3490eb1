package org.ldapmailcow.state;

/** A mailbox this tool manages, as recorded in the state database. */
public record ManagedMailbox(String email, boolean active, String name, String sourceDn, String objectGuid,
                             String lastSeen) {
}
