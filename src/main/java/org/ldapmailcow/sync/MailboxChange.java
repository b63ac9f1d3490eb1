package org.ldapmailcow.sync;

/**
 * One mailbox operation the cycle decided on. {@code name} and {@code active} are the values to write (null: it
 * already matches and is left alone); {@code resultName} and {@code resultActive} are what the mailbox holds
 * once the change is applied, which is what the state records.
 */
public record MailboxChange(Kind kind, String email, String name, Boolean active, String resultName,
                            boolean resultActive, String reason, String sourceDn, String objectGuid) {

    public enum Kind {
        /** No mailbox in mailcow: add it, then set its user ACL. */
        CREATE,
        /** A mailbox this tool did not record yet: take it under management, editing what differs. */
        ADOPT,
        /** A managed mailbox whose name or active state differs. */
        UPDATE,
        /** A managed mailbox whose user is gone from the directory. */
        DEACTIVATE,
        /** Nothing to write in mailcow; the state only learns the entry is still there. */
        KEEP
    }

    /** True when this change needs a write to mailcow. */
    public boolean writesMailcow() {
        return switch (kind) {
            case CREATE, DEACTIVATE -> true;
            case ADOPT, UPDATE -> name != null || active != null;
            case KEEP -> false;
        };
    }

    /** The report's change kind: create, rename, activate, deactivate or adopt. */
    public String label() {
        return switch (kind) {
            case CREATE -> "mailbox create";
            case DEACTIVATE -> "mailbox deactivate";
            case KEEP -> "mailbox keep";
            case ADOPT, UPDATE -> {
                String what = active == null ? (name == null ? "" : "rename")
                        : (active ? "activate" : "deactivate") + (name == null ? "" : "+rename");
                yield (kind == Kind.ADOPT ? "mailbox adopt" : "mailbox") + (what.isEmpty() ? "" : " " + what);
            }
        };
    }

    @Override
    public String toString() {
        return label() + " " + email + ": " + reason;
    }
}
