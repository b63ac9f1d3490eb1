package org.ldapmailcow.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One change mailcow confirmed, as the journal keeps it: the object's values before and after (null: it did not
 * exist), and what undoes it: {@code undo} names the inverse change ({@value #REACTIVATE_MAILBOX},
 * {@value #RECREATE_ALIAS}, {@value #RESTORE_ALIAS}), or {@code notUndone} says why none is made. Kinds of changes
 * added later journal the same way: their inverse, or why there is none.
 */
public record JournalEntry(long cycle, int seq, String object, String change, String address,
                           Map<String, Object> before, Map<String, Object> after, String undo, String notUndone,
                           Long undoneIn) {

    /** edit/mailbox active=1 */
    public static final String REACTIVATE_MAILBOX = "mailbox activate";
    /** add/alias with the old goto, active and kind */
    public static final String RECREATE_ALIAS = "alias add";
    /** edit/alias back to the old goto and active */
    public static final String RESTORE_ALIAS = "alias restore";

    /** The values the journal keeps of a mailbox as mailcow held it. */
    public static Map<String, Object> mailboxValues(boolean active, String name) {
        return values("active", active, "name", name);
    }

    /** The values the journal keeps of an alias as mailcow held it (kind and source from the change). */
    public static Map<String, Object> aliasValues(AliasChange c, Object gotoList, boolean active) {
        return values("goto", gotoList, "active", active, "kind", c.aliasKind(), "sourceDn", c.sourceDn());
    }

    /** A mailbox change; {@code was}: the mailbox as the cycle found it in mailcow ({@link #mailboxValues}; null: none). */
    public static JournalEntry of(MailboxChange c, Map<String, Object> was) {
        Map<String, Object> now = values("active", c.resultActive(), "name", c.resultName());
        boolean deactivated = (was == null || Boolean.TRUE.equals(was.get("active"))) && !c.resultActive()
                && c.kind() != MailboxChange.Kind.CREATE;
        String notUndone = deactivated ? null : switch (c.kind()) {
            case CREATE -> "a created mailbox is not deleted: ldap-mailcow never deletes a mailbox";
            default -> "only deactivations, alias deletions and goto changes are undone (the next cycle sets names, "
                    + "activations and ACLs from the directory again)";
        };
        return new JournalEntry(0, 0, "mailbox", c.label(), c.email(), was, now,
                deactivated ? REACTIVATE_MAILBOX : null, notUndone, null);
    }

    /** An alias change; {@code was}: the alias as the cycle found it in mailcow ({@link #aliasValues}; null: none). */
    public static JournalEntry of(AliasChange c, Map<String, Object> was) {
        Map<String, Object> now = c.kind() == AliasChange.Kind.DELETE ? null
                : values("goto", c.resultGoto(), "active", c.resultActive(), "kind", c.aliasKind(), "sourceDn", c.sourceDn());
        String undo = null;
        String notUndone = null;
        if (c.kind() == AliasChange.Kind.DELETE) {
            undo = was == null ? null : RECREATE_ALIAS;
            notUndone = was == null ? "its goto was not known when it was deleted" : null;
        } else if (c.kind() == AliasChange.Kind.UPDATE && was != null
                && (c.gotoList() != null || Boolean.FALSE.equals(c.active()))) {
            undo = RESTORE_ALIAS;
        } else {
            notUndone = c.kind() == AliasChange.Kind.ADD
                    ? "an added alias is not deleted by an undo (the next cycle deletes it if its source is gone)"
                    : "only deactivations, alias deletions and goto changes are undone";
        }
        return new JournalEntry(0, 0, "alias", c.label(), c.address(), was, now, undo, notUndone, null);
    }

    public static Map<String, Object> values(Object... keyValues) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put((String) keyValues[i], keyValues[i + 1]);
        }
        return values;
    }

    @Override
    public String toString() {
        return "cycle " + cycle + " #" + seq + " " + change + " " + address;
    }
}
