package org.ldapmailcow.mailcow;

/** A mailbox as mailcow lists it ({@code get/mailbox/reduced}). */
public record Mailbox(String username, String name, boolean active, String authsource) {
}
