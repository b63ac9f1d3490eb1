package org.ldapmailcow.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.ldapmailcow.model.CycleRun;
import org.ldapmailcow.model.MailboxChange;
import org.ldapmailcow.model.MailboxChange.Kind;
import org.ldapmailcow.model.Plan;

/** The users rows a cycle writes: a mailbox counts as having its user ACL only once mailcow confirmed it. */
class StateRowsTest {

    private static MailboxChange change(Kind kind, String email, boolean setsAcl) {
        return new MailboxChange(kind, email, null, null, "Name", kind != Kind.DEACTIVATE, "why", "CN=x", null,
                setsAcl);
    }

    private static List<Map<String, Object>> rows(CycleRun run, List<MailboxChange> changes) {
        List<Map<String, Object>> rows = new ArrayList<>();
        new StateRows().mailboxRows(run, new Plan(changes, List.of(), List.of(), 0, 0, true, null))
                .forEachRemaining(rows::add);
        return rows;
    }

    @Test
    void aMailboxIsRecordedWithItsAclOnlyOnceMailcowConfirmedIt() {
        CycleRun run = new CycleRun(1, true, false);
        MailboxChange created = change(Kind.CREATE, "ann@example.local", true);
        MailboxChange aclRefused = change(Kind.CREATE, "bob@example.local", true);
        MailboxChange countedWithoutAcl = change(Kind.CREATE, "cy@example.local", true);
        MailboxChange renamed = change(Kind.UPDATE, "dee@example.local", false);
        MailboxChange deactivated = change(Kind.DEACTIVATE, "eve@example.local", false);
        MailboxChange kept = change(Kind.KEEP, "fay@example.local", false);

        run.mailboxAwaitingAcl(created);
        run.userAclApplied(created);
        run.mailboxApplied(created);
        run.mailboxAwaitingAcl(aclRefused);
        run.mailboxApplied(countedWithoutAcl);
        run.mailboxApplied(renamed);
        run.mailboxApplied(deactivated);

        List<Map<String, Object>> rows = rows(run, List.of(created, aclRefused, countedWithoutAcl, renamed,
                deactivated, kept));
        // rows are upserted in order: a later row of a mailbox wins
        Map<String, Object> last = new java.util.HashMap<>();
        rows.forEach(r -> last.put((String) r.get("email"), r.get("aclApplied")));
        assertThat(last).containsEntry("ann@example.local", 1).containsEntry("bob@example.local", 0)
                .containsEntry("cy@example.local", 0).containsEntry("dee@example.local", 1)
                .containsEntry("eve@example.local", null).containsEntry("fay@example.local", 1);
    }
}
