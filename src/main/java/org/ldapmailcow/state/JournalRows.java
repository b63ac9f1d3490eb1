package org.ldapmailcow.state;

import static org.ldapmailcow.state.StateRows.now;
import static org.ldapmailcow.state.StateRows.row;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.ldapmailcow.mailcow.Alias;
import org.ldapmailcow.mailcow.Mailbox;
import org.ldapmailcow.mailcow.MailcowView;
import org.ldapmailcow.model.AliasChange;
import org.ldapmailcow.model.CycleRun;
import org.ldapmailcow.model.EmailAddress;
import org.ldapmailcow.model.HeldPlan;
import org.ldapmailcow.model.JournalEntry;
import org.ldapmailcow.model.MailboxChange;
import org.ldapmailcow.model.Plan;

/**
 * The rows of the journal and of held-back plans, as the state route writes them at the end of a cycle (with the
 * rest of the state, and like it only with what mailcow confirmed).
 */
public class JournalRows {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The plan the limit held back this cycle: its row (none when nothing was held back). */
    public List<Map<String, Object>> heldPlanRows(CycleRun cycle) {
        HeldPlan held = cycle.heldPlan();
        if (held == null) {
            return List.of();
        }
        return List.of(row("id", held.id(), "cycle", cycle.number, "held", now()));
    }

    public List<Map<String, Object>> heldRemovalRows(CycleRun cycle) {
        HeldPlan held = cycle.heldPlan();
        if (held == null) {
            return List.of();
        }
        return held.removals().stream().map(r -> row("planId", held.id(), "object", r.object(), "address", r.address(),
                "change", r.change(), "reason", r.reason(), "sourceDn", r.sourceDn())).toList();
    }

    public List<Map<String, Object>> approvedPlanRows(CycleRun cycle) {
        return cycle.approvedPlan() == null ? List.of() : List.of(row("id", cycle.approvedPlan(), "cycle", cycle.number));
    }

    public Map<String, Object> lastCycleRow(CycleRun cycle) {
        return row("value", Long.toString(cycle.number));
    }

    /**
     * Every change mailcow confirmed this cycle, in the plan's order, with the values before (as the cycle found
     * them in mailcow) and after, and what undoes it.
     */
    public List<Map<String, Object>> journalRows(CycleRun cycle, Plan plan, MailcowView mailcow) {
        Set<Object> applied = cycle.appliedChanges();
        List<JournalEntry> entries = new ArrayList<>();
        for (MailboxChange c : plan.mailboxChanges()) {
            if (applied.contains(c)) {
                Mailbox was = mailcow.mailboxes().get(EmailAddress.key(c.email()));
                entries.add(JournalEntry.of(c, was == null ? null : JournalEntry.mailboxValues(was.active(), was.name())));
            }
        }
        for (AliasChange c : plan.aliasChanges()) {
            if (applied.contains(c)) {
                Alias was = mailcow.aliases().get(EmailAddress.key(c.address()));
                entries.add(JournalEntry.of(c, was == null ? null : JournalEntry.aliasValues(c, was.gotoList(), was.active())));
            }
        }
        String now = now();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            JournalEntry e = entries.get(i);
            rows.add(row("cycle", cycle.number, "seq", i + 1, "recorded", now, "object", e.object(), "change", e.change(),
                    "address", e.address(), "before", json(e.before()), "after", json(e.after()), "undo", e.undo(),
                    "notUndone", e.notUndone()));
        }
        return rows;
    }

    /** The journal entries an undo cycle reverted (mailcow confirmed the inverse): marked with the undo's cycle. */
    public List<Map<String, Object>> undoneRows(CycleRun cycle) {
        return cycle.undone().stream().map(e -> row("undoneIn", cycle.number, "cycle", e.cycle(), "seq", e.seq())).toList();
    }

    /** The journal's rows as camel-sql reads them. */
    public List<JournalEntry> entries(List<Map<String, Object>> rows) {
        return rows.stream().map(r -> new JournalEntry(((Number) r.get("cycle")).longValue(),
                ((Number) r.get("seq")).intValue(), (String) r.get("object"), (String) r.get("change"),
                (String) r.get("address"), map(r.get("before")), map(r.get("after")), (String) r.get("undo"),
                (String) r.get("not_undone"), r.get("undone_in") == null ? null : ((Number) r.get("undone_in")).longValue()))
                .toList();
    }

    static String json(Map<String, Object> values) {
        if (values == null) {
            return null;
        }
        try {
            return JSON.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object json) {
        if (json == null) {
            return null;
        }
        try {
            return JSON.readValue(json.toString(), LinkedHashMap.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable journal value " + json, e);
        }
    }
}
