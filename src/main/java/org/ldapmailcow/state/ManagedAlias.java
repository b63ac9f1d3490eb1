package org.ldapmailcow.state;

/**
 * An alias this tool created, as recorded in the state database. {@code kind} is {@code user} or {@code group}
 * ({@code null} for rows inherited from the Python tool until the next cycle fills it in).
 */
public record ManagedAlias(String address, String gotoList, boolean active, String kind, String sourceDn,
                           String lastSeen) {
}
