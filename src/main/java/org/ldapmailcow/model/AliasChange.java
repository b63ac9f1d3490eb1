package org.ldapmailcow.model;

import java.util.List;

/**
 * One alias operation the cycle decided on. {@code gotoList} and {@code active} are what to write (null: it
 * already matches); {@code resultGoto} and {@code resultActive} are what the alias holds afterwards, which is
 * what the state records. {@code mailcowId} is set when the alias exists in mailcow. {@code sogoVisible}: the
 * {@code sogo_visible} to write (null: left alone; staged offboarding hides a leaver's aliases from SOGo).
 */
public record AliasChange(Kind kind, String address, List<String> gotoList, Boolean active, String resultGoto,
                          boolean resultActive, String aliasKind, String sourceDn, String mailcowId, String reason,
                          Boolean sogoVisible) {

    public AliasChange(Kind kind, String address, List<String> gotoList, Boolean active, String resultGoto,
                       boolean resultActive, String aliasKind, String sourceDn, String mailcowId, String reason) {
        this(kind, address, gotoList, active, resultGoto, resultActive, aliasKind, sourceDn, mailcowId, reason, null);
    }

    public enum Kind {
        ADD, UPDATE, DELETE,
        /** Already right in mailcow; the state only records it (seen, adopted after an interrupted cycle). */
        KEEP
    }

    public AliasChange {
        gotoList = gotoList == null ? null : List.copyOf(gotoList);
    }

    public boolean writesMailcow() {
        return kind == Kind.ADD || (kind == Kind.DELETE && mailcowId != null)
                || (kind == Kind.UPDATE && (gotoList != null || active != null || sogoVisible != null));
    }

    public String label() {
        return switch (kind) {
            case ADD -> "alias add";
            case DELETE -> "alias delete";
            case KEEP -> "alias keep";
            case UPDATE -> "alias" + (gotoList != null ? " goto" : "")
                    + (active == null ? "" : active ? " activate" : " deactivate")
                    + (sogoVisible == null ? "" : sogoVisible ? " show in SOGo" : " hide from SOGo");
        };
    }

    public String gotoJoined() {
        return gotoList == null ? null : String.join(",", gotoList);
    }

    @Override
    public String toString() {
        return label() + " " + address + (gotoList != null ? " -> " + gotoJoined() : "") + ": " + reason;
    }
}
