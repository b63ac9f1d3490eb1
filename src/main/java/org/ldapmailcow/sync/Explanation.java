package org.ldapmailcow.sync;

import org.ldapmailcow.ops.Secrets;
import org.ldapmailcow.directory.ProxyAddresses;
import org.ldapmailcow.model.Skip;
import org.ldapmailcow.model.Plan;
import org.ldapmailcow.model.MailboxChange;
import org.ldapmailcow.model.EmailAddress;
import org.ldapmailcow.model.AliasChange;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.ldapmailcow.directory.Directory;
import org.ldapmailcow.directory.DirectoryGroup;
import org.ldapmailcow.directory.DirectoryUser;
import org.ldapmailcow.mailcow.MailcowView;
import org.ldapmailcow.state.SyncState;

/**
 * {@code --explain <address>}: everything that decides one address, as lines an admin reads: the directory entries
 * that produce it (and by which attribute), the group path of a group alias member, the state file's rows as they
 * are, what mailcow holds now, and what the next cycle would do and why. What the next cycle would do is the real
 * planner's plan, before and after the mass-change limit ({@link Cycles#preview}); nothing is decided here.
 */
public final class Explanation {

    /** What was read for the address; {@code mailboxNow}, {@code aliasNow}: mailcow's single GETs ({} when missing). */
    public record Input(String address, Directory directory, MailcowView mailcow, SyncState state,
                        Map<?, ?> mailboxNow, Map<?, ?> aliasNow, List<Map<String, Object>> userRows,
                        List<Map<String, Object>> aliasRows, List<Map<String, Object>> journal,
                        List<Map<String, Object>> heldIn) {
    }

    /** {@code found}: the address is in the directory, the state file or mailcow. */
    public record Result(boolean found, List<String> lines) {
    }

    private final Exclusions exclusions;
    private final String aliasAttributes;

    public Explanation(Exclusions exclusions, List<String> aliasAttributes) {
        this.exclusions = exclusions;
        this.aliasAttributes = String.join(", ", aliasAttributes);
    }

    /**
     * {@code planned}: the planner's plan; {@code limited}: the plan as the cycle would apply it; {@code abort}: why
     * the cycle would stop before planning (null: it would not).
     */
    public Result explain(Input in, Plan planned, Plan limited, String abort) {
        String key = in.address().toLowerCase(Locale.ROOT);
        List<String> lines = new ArrayList<>();
        lines.add("Address " + in.address());
        boolean inDirectory = directory(in, key, lines);
        boolean inState = state(in, lines);
        boolean inMailcow = mailcow(in, lines);
        nextCycle(in, key, planned, limited, abort, inState, lines);
        return new Result(inDirectory || inState || inMailcow, lines);
    }

    private boolean directory(Input in, String key, List<String> lines) {
        lines.add("Directory:");
        int before = lines.size();
        for (DirectoryUser u : in.directory().users()) {
            if (u.mail() != null && EmailAddress.key(u.mail()).equals(key)) {
                lines.add("  user " + u.dn() + " (" + user(u) + "): its mail attribute; the address of its mailbox");
            }
            if (ProxyAddresses.smtpAddresses(u.proxyAddresses()).stream().anyMatch(a -> EmailAddress.key(a).equals(key))) {
                lines.add("  user " + u.dn() + " (" + user(u) + ", mail " + u.mail() + "): an alias attribute ("
                        + aliasAttributes + "); a user alias of its mailbox");
            }
        }
        for (DirectoryGroup g : in.directory().groups()) {
            boolean byMail = g.mail() != null && EmailAddress.key(g.mail()).equals(key);
            boolean byAlias = ProxyAddresses.smtpAddresses(g.proxyAddresses()).stream()
                    .anyMatch(a -> EmailAddress.key(a).equals(key));
            if (byMail || byAlias) {
                lines.add("  group " + g.dn() + ": " + (byMail ? "its mail attribute" : "an alias attribute ("
                        + aliasAttributes + ")") + "; a group alias to its members with mail: "
                        + (g.memberMails().isEmpty() ? "none" : String.join(", ", g.memberMails())));
                g.memberPaths().forEach((member, path) -> lines.add("    " + member + " through " + path(g, path)));
            }
            if (g.memberMails().stream().anyMatch(m -> EmailAddress.key(m).equals(key))) {
                List<String> path = g.memberPaths().get(key);
                lines.add("  member of group " + g.dn() + " (alias " + g.mail() + ")"
                        + (path == null ? ", directly" : " through " + path(g, path)));
            }
        }
        if (lines.size() == before) {
            lines.add("  no user or group under the base DN and filters has this address");
            return false;
        }
        return true;
    }

    private static String path(DirectoryGroup top, List<String> nested) {
        List<String> all = new ArrayList<>();
        all.add(top.dn());
        all.addAll(nested);
        return String.join(" > ", all);
    }

    private static String user(DirectoryUser u) {
        return "anchor " + (u.objectGuid() == null ? "none" : u.objectGuid()) + ", " + (u.disabled() ? "disabled" : "enabled");
    }

    private static boolean state(Input in, List<String> lines) {
        lines.add("State file:");
        in.userRows().forEach(r -> lines.add("  users: " + row(r)));
        in.aliasRows().forEach(r -> lines.add("  aliases: " + row(r)));
        String key = in.address().toLowerCase(Locale.ROOT);
        if (in.state().pendingMailboxes().contains(key)) {
            lines.add("  pending mailbox creation (its answer never came)");
        }
        if (in.state().pendingAliases().contains(key)) {
            lines.add("  pending alias addition (its answer never came)");
        }
        in.heldIn().forEach(r -> lines.add("  held back under plan " + r.get("plan_id") + ": " + r.get("change")
                + " (approve with --approve " + r.get("plan_id") + ")"));
        in.journal().forEach(r -> lines.add("  journal: cycle " + r.get("cycle") + " " + r.get("change") + ", before "
                + r.get("before") + ", after " + r.get("after") + (r.get("undone_in") == null ? "" : ", undone by cycle "
                + r.get("undone_in"))));
        boolean managed = !in.userRows().isEmpty() || !in.aliasRows().isEmpty();
        if (!managed) {
            lines.add("  no users or aliases row: not managed by ldap-mailcow");
        }
        return managed;
    }

    /** Every column as it is, in the table's order: columns added later show up too. */
    private static String row(Map<String, Object> row) {
        return row.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }

    private static boolean mailcow(Input in, List<String> lines) {
        lines.add("mailcow now:");
        boolean mailbox = in.mailboxNow() != null && !in.mailboxNow().isEmpty();
        boolean alias = in.aliasNow() != null && !in.aliasNow().isEmpty();
        if (mailbox) {
            Map<?, ?> m = in.mailboxNow();
            lines.add("  mailbox " + m.get("username") + ": active=" + m.get("active") + ", name=" + m.get("name")
                    + ", authsource=" + m.get("authsource") + ", quota=" + m.get("quota"));
        }
        if (alias) {
            Map<?, ?> a = in.aliasNow();
            lines.add("  alias " + a.get("address") + " (id " + a.get("id") + "): goto=" + a.get("goto") + ", active="
                    + a.get("active") + ", sogo_visible=" + a.get("sogo_visible"));
        }
        if (!mailbox && !alias) {
            lines.add("  no mailbox and no alias (get/mailbox and get/alias answer {})");
        }
        return mailbox || alias;
    }

    private void nextCycle(Input in, String key, Plan planned, Plan limited, String abort, boolean managed,
                           List<String> lines) {
        lines.add("Next cycle:");
        if (abort != null) {
            lines.add("  would stop before planning: " + abort);
            return;
        }
        if (exclusions.excludes(key)) {
            lines.add("  left alone: excluded by LDAP_MAILCOW_EXCLUDE (never created, changed or deactivated)");
            return;
        }
        int before = lines.size();
        for (MailboxChange c : planned.mailboxChanges()) {
            if (c.email().toLowerCase(Locale.ROOT).equals(key)) {
                lines.add("  " + verdict(c, limited.mailboxChanges().contains(c), c.writesMailcow(), limited) + c);
            }
        }
        for (AliasChange c : planned.aliasChanges()) {
            if (c.address().toLowerCase(Locale.ROOT).equals(key)) {
                lines.add("  " + verdict(c, limited.aliasChanges().contains(c), c.writesMailcow(), limited) + c);
            }
        }
        for (Skip s : planned.skips()) {
            if (s.entry().toLowerCase(Locale.ROOT).equals(key) || s.reason().toLowerCase(Locale.ROOT).contains(key)) {
                lines.add("  skipped: " + s);
            }
        }
        if (lines.size() == before) {
            boolean inMailcow = in.mailcow().mailboxes().containsKey(key) || in.mailcow().aliases().containsKey(key);
            if (inMailcow && !managed) {
                lines.add("  left alone: not created by this tool (no state row), and nothing in the directory claims it");
            } else if (inMailcow) {
                lines.add("  nothing: inactive already, and gone from the directory");
            } else {
                lines.add("  nothing: neither the directory nor the state file asks for this address");
            }
        }
    }

    private static String verdict(Object change, boolean applied, boolean writes, Plan limited) {
        if (!applied) {
            return "held back by the limit (LDAP_MAILCOW_MAX_DEACTIVATIONS; " + limited.withheldRemovals() + "): ";
        }
        return writes ? "would apply " : "no write (state only): ";
    }
}
