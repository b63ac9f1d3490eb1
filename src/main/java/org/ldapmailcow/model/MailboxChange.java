package org.ldapmailcow.model;

/**
 * One mailbox operation the cycle decided on. {@code name} and {@code active} are the values to write (null: it
 * already matches and is left alone); {@code resultName} and {@code resultActive} are what the mailbox holds
 * once the change is applied, which is what the state records. {@code setsAcl}: the change sets
 * LDAP_MAILCOW_USER_ACL (always on creation; later only where the state says it is not applied yet).
 * {@code step}: the mailbox's offboarding as this cycle decided it (null: none decided, e.g. a creation); it
 * says which active value to write (2: login disallowed), whether app passwords are revoked, and what the state
 * records as its stage.
 */
public record MailboxChange(Kind kind, String email, String name, Boolean active, String resultName,
                            boolean resultActive, String reason, String sourceDn, String objectGuid,
                            boolean setsAcl, Offboarding.Step step) {

    public MailboxChange(Kind kind, String email, String name, Boolean active, String resultName,
                         boolean resultActive, String reason, String sourceDn, String objectGuid, boolean setsAcl) {
        this(kind, email, name, active, resultName, resultActive, reason, sourceDn, objectGuid, setsAcl, null);
    }

    public enum Kind {
        /** No mailbox in mailcow: add it, then set its user ACL. */
        CREATE,
        /** A mailbox this tool did not record yet: take it under management, editing what differs. */
        ADOPT,
        /** A managed mailbox whose name, active state or user ACL differs. */
        UPDATE,
        /** A managed mailbox whose user is gone from the directory. */
        DEACTIVATE,
        /** Nothing to write in mailcow; the state only learns the entry is still there. */
        KEEP
    }

    /** A change that sets the user ACL only when it creates the mailbox. */
    public MailboxChange(Kind kind, String email, String name, Boolean active, String resultName,
                         boolean resultActive, String reason, String sourceDn, String objectGuid) {
        this(kind, email, name, active, resultName, resultActive, reason, sourceDn, objectGuid, kind == Kind.CREATE);
    }

    /** True when this change needs a write to mailcow. */
    public boolean writesMailcow() {
        return switch (kind) {
            case CREATE, DEACTIVATE -> true;
            case ADOPT, UPDATE -> editsMailbox() || setsAcl || revokesAppPasswords();
            case KEEP -> false;
        };
    }

    /** True when an existing mailbox's name or active state is written ({@code edit/mailbox}). */
    public boolean editsMailbox() {
        return (kind == Kind.ADOPT || kind == Kind.UPDATE) && (name != null || active != null);
    }

    /** mailcow's active value to write (1, 0, or 2 for login disallowed); null when active is left alone. */
    public String activeValue() {
        if (active == null) {
            return null;
        }
        if (step != null && step.mailboxActive() != null) {
            return String.valueOf(step.mailboxActive());
        }
        return active ? "1" : "0";
    }

    /** Its app passwords are deleted before its login is disallowed (staged offboarding). */
    public boolean revokesAppPasswords() {
        return step != null && step.revokesAppPasswords() && (kind == Kind.UPDATE || kind == Kind.ADOPT);
    }

    /** A vanished user's staging: counted and held back with the deactivations by the mass change guard. */
    public boolean removesVanishedUser() {
        return kind == Kind.DEACTIVATE || step != null && step.vanished()
                && step.action() == Offboarding.Action.STAGE && writesMailcow();
    }

    /** The report's change kind: create, rename, activate, deactivate, acl or adopt. */
    public String label() {
        return switch (kind) {
            case CREATE -> "mailbox create";
            case DEACTIVATE -> "mailbox deactivate";
            case KEEP -> "mailbox keep";
            case ADOPT, UPDATE -> {
                String what = active == null ? (name == null ? "" : "rename")
                        : ("2".equals(activeValue()) ? "disallow login" : active ? "activate" : "deactivate")
                        + (name == null ? "" : "+rename");
                if (revokesAppPasswords()) {
                    what = what.isEmpty() ? "revoke app passwords" : what + "+revoke app passwords";
                }
                if (setsAcl) {
                    what = what.isEmpty() ? "acl" : what + "+acl";
                }
                yield (kind == Kind.ADOPT ? "mailbox adopt" : "mailbox") + (what.isEmpty() ? "" : " " + what);
            }
        };
    }

    @Override
    public String toString() {
        return label() + " " + email + ": " + reason;
    }
}
