package org.ldapmailcow.demo;

import java.util.List;

/** A user alias as the emulator holds it; {@code gotoList} is mailcow's comma-joined goto. */
public record AliasView(long id, String address, String gotoList, boolean active, boolean sogoVisible) {

    public List<String> gotos() {
        return List.of(gotoList.split(","));
    }
}
