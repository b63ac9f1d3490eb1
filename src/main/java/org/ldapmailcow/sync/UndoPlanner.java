package org.ldapmailcow.sync;

import org.ldapmailcow.model.Plan;
import org.ldapmailcow.model.MailboxChange;
import org.ldapmailcow.model.AliasChange;
import org.ldapmailcow.model.JournalEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import org.ldapmailcow.mailcow.Alias;
import org.ldapmailcow.mailcow.Mailbox;
import org.ldapmailcow.mailcow.MailcowView;
import org.ldapmailcow.state.ManagedMailbox;
import org.ldapmailcow.state.SyncState;

/**
 * {@code --undo <cycle>}: the plan that reverts what the journal says that cycle applied, checked against mailcow
 * as it is now. Deactivated mailboxes are activated again, deleted aliases added again with their old goto and
 * active flag, changed gotos set back. What is already as it was is left alone; what cannot be undone is named
 * with the reason.
 */
public final class UndoPlanner {

    /** The plan, the journal entry each of its changes reverts, entries already as before, and lines for the rest. */
    public record Result(Plan plan, Map<Object, JournalEntry> inverses, List<JournalEntry> settled, List<String> notes) {
    }

    public Result plan(long cycle, List<JournalEntry> journal, MailcowView mailcow, SyncState state) {
        List<MailboxChange> boxes = new ArrayList<>();
        List<AliasChange> aliases = new ArrayList<>();
        Map<Object, JournalEntry> inverses = new LinkedHashMap<>();
        List<JournalEntry> settled = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        String why = "undo of cycle " + cycle;
        for (JournalEntry e : journal) {
            String key = e.address().toLowerCase(Locale.ROOT);
            if (e.undoneIn() != null) {
                notes.add(e.change() + " " + e.address() + ": undone already, by cycle " + e.undoneIn());
            } else if (e.undo() == null) {
                notes.add(e.change() + " " + e.address() + ": not undone: " + e.notUndone());
            } else if (e.undo().equals(JournalEntry.REACTIVATE_MAILBOX)) {
                Mailbox box = mailcow.mailboxes().get(key);
                if (box == null) {
                    notes.add(e.change() + " " + e.address() + ": not undone: the mailbox is no longer in mailcow");
                } else if (box.active()) {
                    notes.add(e.change() + " " + e.address() + ": active already");
                    settled.add(e);
                } else {
                    ManagedMailbox managed = state.mailboxes().get(key);
                    MailboxChange c = new MailboxChange(MailboxChange.Kind.UPDATE, box.username(), null, true, box.name(),
                            true, why + ": deactivated then", managed == null ? null : managed.sourceDn(),
                            managed == null ? null : managed.objectGuid(), false);
                    boxes.add(c);
                    inverses.put(c, e);
                }
            } else {
                Map<String, Object> was = e.before();
                String wasGoto = Objects.toString(was.get("goto"), "");
                boolean wasActive = Boolean.TRUE.equals(was.get("active"));
                String kind = (String) was.get("kind");
                String sourceDn = (String) was.get("sourceDn");
                Alias now = mailcow.aliases().get(key);
                if (e.undo().equals(JournalEntry.RECREATE_ALIAS)) {
                    if (mailcow.mailboxes().containsKey(key)) {
                        notes.add(e.change() + " " + e.address() + ": not undone: the address is a mailbox now");
                    } else if (now != null) {
                        notes.add(e.change() + " " + e.address() + ": " + (AliasPlanner.sameTargets(targets(wasGoto), now.gotoList())
                                ? "exists again already" : "not undone: mailcow has this alias again, with goto " + now.gotoList()));
                        settled.add(e);
                    } else {
                        // add/alias without active creates an inactive alias: the old flag is sent explicitly
                        AliasChange c = new AliasChange(AliasChange.Kind.ADD, e.address(), targets(wasGoto), wasActive,
                                wasGoto, wasActive, kind, sourceDn, null, why + ": deleted then");
                        aliases.add(c);
                        inverses.put(c, e);
                    }
                } else if (now == null) {
                    notes.add(e.change() + " " + e.address() + ": not undone: the alias is no longer in mailcow");
                } else {
                    boolean gotoDiffers = !AliasPlanner.sameTargets(targets(wasGoto), now.gotoList());
                    Boolean active = now.active() != wasActive ? wasActive : null;
                    if (!gotoDiffers && active == null) {
                        notes.add(e.change() + " " + e.address() + ": as before already");
                        settled.add(e);
                    } else {
                        AliasChange c = new AliasChange(AliasChange.Kind.UPDATE, now.address(),
                                gotoDiffers ? targets(wasGoto) : null, active, wasGoto, wasActive, kind, sourceDn,
                                now.id(), why + ": goto was " + wasGoto + (active == null ? "" : wasActive ? ", active" : ", inactive"));
                        aliases.add(c);
                        inverses.put(c, e);
                    }
                }
            }
        }
        Plan plan = new Plan(boxes, aliases, List.of(), 0, 0, mailcow.fromListings(), null);
        return new Result(plan, inverses, settled, notes);
    }

    private static List<String> targets(String gotoList) {
        return Arrays.stream(gotoList.split("[,;\\s]+")).filter(t -> !t.isBlank()).toList();
    }
}
