package org.ldapmailcow.mailcow;

/** An alias as mailcow lists it ({@code get/alias/all}); {@code gotoList} is mailcow's comma-joined goto. */
public record Alias(String id, String address, String gotoList, boolean active) {
}
