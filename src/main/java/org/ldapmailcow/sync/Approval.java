package org.ldapmailcow.sync;

import org.ldapmailcow.model.Skip;
import org.ldapmailcow.model.Plan;
import org.ldapmailcow.model.MailboxChange;
import org.ldapmailcow.model.AliasChange;
import org.ldapmailcow.model.HeldPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.ldapmailcow.mailcow.Alias;
import org.ldapmailcow.mailcow.Mailbox;
import org.ldapmailcow.mailcow.MailcowView;

/**
 * {@code --approve <id>}: of a held-back plan, the removals that are still due in this cycle's plan (made from the
 * directory as it is now) go through regardless of the limit; those no longer due are skipped and said so (back
 * in the directory, or already removed). Every other removal of the cycle meets the limit as always.
 */
public final class Approval {

    /** The plan to apply, and a line for every approved removal that is no longer due. */
    public record Result(Plan plan, List<Skip> skipped, int approved) {
    }

    private Approval() {
    }

    /**
     * {@code planned}: the cycle's plan before the limit; {@code held}: the removals approved by id;
     * {@code limit}: the guard, applied to the rest.
     */
    public static Result apply(String id, List<HeldPlan.Removal> held, Plan planned, MailcowView mailcow,
                               java.util.function.UnaryOperator<Plan> limit) {
        Set<String> approved = held.stream().map(HeldPlan.Removal::key).collect(Collectors.toSet());
        List<MailboxChange> approvedBoxes = planned.mailboxDeactivations().stream()
                .filter(c -> approved.contains("mailbox " + c.email().toLowerCase(Locale.ROOT))).toList();
        List<AliasChange> approvedAliases = planned.aliasDeletions().stream()
                .filter(c -> approved.contains("alias " + c.address().toLowerCase(Locale.ROOT))).toList();
        Plan rest = new Plan(planned.mailboxChanges().stream().filter(c -> !approvedBoxes.contains(c)).toList(),
                planned.aliasChanges().stream().filter(c -> !approvedAliases.contains(c)).toList(), planned.skips(),
                planned.usersRead(), planned.groupsRead(), planned.fullReconcile(), null);
        Plan limited = limit.apply(rest);

        Set<String> due = new java.util.HashSet<>();
        approvedBoxes.forEach(c -> due.add("mailbox " + c.email().toLowerCase(Locale.ROOT)));
        approvedAliases.forEach(c -> due.add("alias " + c.address().toLowerCase(Locale.ROOT)));
        List<Skip> skipped = new ArrayList<>();
        for (HeldPlan.Removal r : held) {
            if (!due.contains(r.key())) {
                skipped.add(new Skip(r.address(), "approved " + r.change() + " of plan " + id + " skipped: "
                        + whyNotDue(r, mailcow)));
            }
        }
        List<MailboxChange> boxes = new ArrayList<>(limited.mailboxChanges());
        boxes.addAll(approvedBoxes);
        List<AliasChange> aliases = new ArrayList<>(limited.aliasChanges());
        aliases.addAll(approvedAliases);
        List<Skip> skips = new ArrayList<>(limited.skips());
        skips.addAll(skipped);
        return new Result(new Plan(boxes, aliases, skips, planned.usersRead(), planned.groupsRead(),
                planned.fullReconcile(), limited.withheldRemovals()), skipped, approvedBoxes.size() + approvedAliases.size());
    }

    private static String whyNotDue(HeldPlan.Removal r, MailcowView mailcow) {
        String key = r.address().toLowerCase(Locale.ROOT);
        if (r.object().equals("mailbox")) {
            Mailbox box = mailcow.mailboxes().get(key);
            return box == null ? "no longer in mailcow" : !box.active() ? "already deactivated"
                    : "back in the directory (or excluded since); left active";
        }
        Alias alias = mailcow.aliases().get(key);
        return alias == null ? "already deleted" : "wanted by the directory again (or excluded since); left as it is";
    }
}
