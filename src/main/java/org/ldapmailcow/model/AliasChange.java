package org.ldapmailcow.model;

import java.util.List;

/**
 * One alias operation the cycle decided on. {@code gotoList} and {@code active} are what to write (null: it
 * already matches); {@code resultGoto} and {@code resultActive} are what the alias holds afterwards, which is
 * what the state records. {@code mailcowId} is set when the alias exists in mailcow.
 */
public record AliasChange(Kind kind, String address, List<String> gotoList, Boolean active, String resultGoto,
                          boolean resultActive, String aliasKind, String sourceDn, String mailcowId, String reason) {

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
                || (kind == Kind.UPDATE && (gotoList != null || active != null));
    }

    public String label() {
        return switch (kind) {
            case ADD -> "alias add";
            case DELETE -> "alias delete";
            case KEEP -> "alias keep";
            case UPDATE -> "alias" + (gotoList != null ? " goto" : "")
                    + (active == null ? "" : active ? " activate" : " deactivate");
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
