package org.ldapmailcow.mailcow;

/**
 * An alias as mailcow lists it ({@code get/alias/all}); {@code gotoList} is mailcow's comma-joined goto;
 * {@code sogoVisible} is null where it is not known (mailcow as the state remembers it).
 */
public record Alias(String id, String address, String gotoList, boolean active, Boolean sogoVisible) {

    public Alias(String id, String address, String gotoList, boolean active) {
        this(id, address, gotoList, active, null);
    }
}
