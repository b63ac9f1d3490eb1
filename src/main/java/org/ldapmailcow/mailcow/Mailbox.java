package org.ldapmailcow.mailcow;

/**
 * A mailbox as mailcow lists it ({@code get/mailbox/reduced}). {@code loginDisallowed}: mailcow's
 * {@code active = 2}, which still accepts mail ({@code active} is then true) but lets nobody log in.
 */
public record Mailbox(String username, String name, boolean active, String authsource, boolean loginDisallowed) {

    public Mailbox(String username, String name, boolean active, String authsource) {
        this(username, name, active, authsource, false);
    }

    /** mailcow's active value: 0, 1, or 2 (login disallowed). */
    public int activeValue() {
        return loginDisallowed ? 2 : active ? 1 : 0;
    }
}
