package org.ldapmailcow.model;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Everything one cycle decided, before anything is written. {@code withheldRemovals} is set when the mass
 * change guard held back the deactivations and deletions (they are then absent from the lists).
 */
public record Plan(List<MailboxChange> mailboxChanges, List<AliasChange> aliasChanges, List<Skip> skips,
                   int usersRead, int groupsRead, boolean fullReconcile, String withheldRemovals) {

    public Plan {
        mailboxChanges = List.copyOf(mailboxChanges);
        aliasChanges = List.copyOf(aliasChanges);
        skips = List.copyOf(skips);
    }

    /** Creations, adoptions and edits of single mailboxes: one API write each. */
    public List<MailboxChange> mailboxWrites() {
        return mailboxes(c -> c.kind() != MailboxChange.Kind.DEACTIVATE && c.writesMailcow());
    }

    /** Entries that need no mailcow write but whose state row is recorded (kept, adopted as they are). */
    public List<MailboxChange> mailboxRecords() {
        return mailboxes(c -> c.kind() != MailboxChange.Kind.DEACTIVATE && !c.writesMailcow());
    }

    /** Deactivations, applied in one bulk call. */
    public List<MailboxChange> mailboxDeactivations() {
        return mailboxes(c -> c.kind() == MailboxChange.Kind.DEACTIVATE);
    }

    public List<AliasChange> aliasWrites() {
        return aliases(c -> c.kind() != AliasChange.Kind.DELETE && c.writesMailcow());
    }

    public List<AliasChange> aliasRecords() {
        return aliases(c -> c.kind() == AliasChange.Kind.KEEP);
    }

    /** Deletions of aliases present in mailcow, applied in one bulk call. */
    public List<AliasChange> aliasDeletions() {
        return aliases(c -> c.kind() == AliasChange.Kind.DELETE && c.mailcowId() != null);
    }

    /** Managed aliases already gone from mailcow: only the state forgets them. */
    public List<AliasChange> aliasesToForget() {
        return aliases(c -> c.kind() == AliasChange.Kind.DELETE && c.mailcowId() == null);
    }

    /** Deactivations, vanished users' staging and alias deletions: what the mass change guard counts. */
    public int removals() {
        return mailboxes(MailboxChange::removesVanishedUser).size() + aliasDeletions().size();
    }

    /** The plan without its removals; a held-back leaver's aliases are not hidden or switched off either. */
    public Plan withoutRemovals(String reason) {
        Set<String> heldBack = mailboxes(MailboxChange::removesVanishedUser).stream()
                .map(c -> EmailAddress.key(c.email())).collect(Collectors.toSet());
        return new Plan(mailboxes(c -> !c.removesVanishedUser()),
                aliases(c -> !(c.kind() == AliasChange.Kind.DELETE && c.mailcowId() != null)
                        && !(c.kind() == AliasChange.Kind.UPDATE && c.resultGoto() != null
                        && heldBack.contains(EmailAddress.key(c.resultGoto())))),
                skips, usersRead, groupsRead, fullReconcile, reason);
    }

    /** The same plan with another text for its held-back removals. */
    public Plan withWithheldRemovals(String reason) {
        return new Plan(mailboxChanges, aliasChanges, skips, usersRead, groupsRead, fullReconcile, reason);
    }

    /** Every change that writes to mailcow, as the dry run prints them. */
    public List<String> describeWrites() {
        return Stream.concat(mailboxChanges.stream().filter(MailboxChange::writesMailcow).map(Object::toString),
                aliasChanges.stream().filter(AliasChange::writesMailcow).map(Object::toString)).toList();
    }

    /**
     * What the plan would write to mailcow, in totals, as a dry run ends: {@code would create 3 mailboxes, edit 1,
     * deactivate 2, add 4 aliases, edit 0, delete 1; held back: none}.
     */
    public String describeTotals() {
        long create = mailboxes(c -> c.kind() == MailboxChange.Kind.CREATE).size();
        long edit = mailboxes(c -> (c.kind() == MailboxChange.Kind.ADOPT || c.kind() == MailboxChange.Kind.UPDATE)
                && c.writesMailcow()).size();
        long add = aliases(c -> c.kind() == AliasChange.Kind.ADD).size();
        long editAliases = aliases(c -> c.kind() == AliasChange.Kind.UPDATE && c.writesMailcow()).size();
        return "would create " + create + (create == 1 ? " mailbox" : " mailboxes") + ", edit " + edit
                + ", deactivate " + mailboxDeactivations().size() + ", add " + add + (add == 1 ? " alias" : " aliases")
                + ", edit " + editAliases + ", delete " + aliasDeletions().size()
                + "; held back: " + (withheldRemovals == null ? "none" : withheldRemovals);
    }

    private List<MailboxChange> mailboxes(Predicate<MailboxChange> p) {
        return mailboxChanges.stream().filter(p).toList();
    }

    private List<AliasChange> aliases(Predicate<AliasChange> p) {
        return aliasChanges.stream().filter(p).toList();
    }
}
