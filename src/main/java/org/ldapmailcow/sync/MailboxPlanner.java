package org.ldapmailcow.sync;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.ldapmailcow.directory.DirectoryUser;
import org.ldapmailcow.mailcow.Mailbox;
import org.ldapmailcow.mailcow.MailcowView;
import org.ldapmailcow.state.ManagedMailbox;
import org.ldapmailcow.state.SyncState;
import org.ldapmailcow.model.EmailAddress;
import org.ldapmailcow.model.MailboxChange;
import org.ldapmailcow.model.Skip;

/** Decides, for every directory user and every managed mailbox, what the cycle does to mailcow's mailboxes. */
public final class MailboxPlanner {

    /** The decisions, the skipped entries, and the users that own a mailbox (for the alias planner). */
    public record Result(List<MailboxChange> changes, List<Skip> skips, Map<String, DirectoryUser> mailboxOwners) {
    }

    private final Exclusions exclusions;

    public MailboxPlanner(Exclusions exclusions) {
        this.exclusions = exclusions;
    }

    public Result plan(List<DirectoryUser> users, MailcowView mailcow, SyncState state) {
        List<Skip> skips = new ArrayList<>();
        Map<String, DirectoryUser> owners = mailboxOwners(users, mailcow, skips);
        List<MailboxChange> changes = new ArrayList<>();
        owners.forEach((key, user) -> changes.add(decide(user, mailcow.mailboxes().get(key), state.mailboxes().get(key),
                state.pendingMailboxes().contains(key))));
        state.mailboxes().forEach((key, managed) -> {
            Mailbox mailbox = mailcow.mailboxes().get(key);
            if (!owners.containsKey(key) && !exclusions.excludes(key) && mailbox != null && mailbox.active()) {
                changes.add(new MailboxChange(MailboxChange.Kind.DEACTIVATE, managed.email(), null, false,
                        mailbox.name(), false, "no longer returned by the directory (deleted, moved or outside the filter)",
                        managed.sourceDn(), managed.objectGuid()));
            }
        });
        return new Result(changes, skips, owners);
    }

    /** Valid, hosted, not excluded users by mailbox key; one user per address. */
    private Map<String, DirectoryUser> mailboxOwners(List<DirectoryUser> users, MailcowView mailcow, List<Skip> skips) {
        Map<String, DirectoryUser> owners = new LinkedHashMap<>();
        Map<String, List<String>> unhosted = new TreeMap<>();
        for (DirectoryUser user : users) {
            if (user.mail() == null || user.mail().isBlank()) {
                skips.add(new Skip(user.dn(), "no mail attribute; no mailbox"));
                continue;
            }
            Optional<EmailAddress> address = EmailAddress.parse(user.mail());
            if (address.isEmpty()) {
                skips.add(new Skip(user.dn(), "mail '" + user.mail() + "' is not a valid address; no mailbox"));
                continue;
            }
            if (exclusions.excludes(address.get().value())) {
                continue;
            }
            if (!mailcow.hosts(address.get().domain())) {
                unhosted.computeIfAbsent(address.get().domain(), d -> new ArrayList<>()).add(user.dn());
                continue;
            }
            String key = address.get().key();
            DirectoryUser earlier = owners.get(key);
            if (earlier == null || (earlier.disabled() && !user.disabled())) {
                owners.put(key, user);
            }
            if (earlier != null) {
                DirectoryUser kept = owners.get(key);
                skips.add(new Skip(kept == user ? earlier.dn() : user.dn(), "mail " + user.mail()
                        + " is also the mail of " + kept.dn() + ", which owns the mailbox"));
            }
        }
        unhosted.forEach((domain, dns) -> skips.add(new Skip("domain " + domain, "not hosted by mailcow; "
                + dns.size() + " user(s) skipped, e.g. " + dns.get(0))));
        return owners;
    }

    /**
     * {@code pendingCreate}: this tool sent add/mailbox for the address but never recorded the answer (killed,
     * timed out, empty answer). Such a mailbox found in mailcow is its own and gets the user ACL on adoption;
     * any other mailbox found in mailcow is adopted with the ACL it has, as the Python tool left it.
     */
    private MailboxChange decide(DirectoryUser user, Mailbox mailbox, ManagedMailbox managed, boolean pendingCreate) {
        boolean active = !user.disabled();
        if (mailbox == null) {
            String name = user.displayName() != null ? user.displayName() : EmailAddress.parse(user.mail()).orElseThrow().localPart();
            return new MailboxChange(MailboxChange.Kind.CREATE, user.mail(), name, active, name, active,
                    (managed == null ? "new directory user" : "managed mailbox missing from mailcow; created again")
                            + (active ? "" : "; created inactive: account disabled in the directory"),
                    user.dn(), user.objectGuid());
        }
        String name = user.displayName() != null && !user.displayName().equals(mailbox.name()) ? user.displayName() : null;
        Boolean activeChange = mailbox.active() != active ? active : null;
        List<String> why = new ArrayList<>();
        if (name != null) {
            why.add("display name is now '" + name + "'");
        }
        if (activeChange != null) {
            why.add(active ? "account enabled in the directory" : "account disabled in the directory");
        }
        String resultName = name != null ? name : mailbox.name();
        if (managed == null) {
            why.add(0, pendingCreate ? "mailbox created by an earlier cycle whose answer was lost; taken under "
                    + "management with its user ACL" : "mailbox existed in mailcow; taken under management");
            return new MailboxChange(MailboxChange.Kind.ADOPT, mailbox.username(), name, activeChange, resultName,
                    active, String.join("; ", why), user.dn(), user.objectGuid(), pendingCreate);
        }
        if (!managed.aclApplied()) {
            why.add("user ACL not applied yet");
        }
        MailboxChange.Kind kind = why.isEmpty() ? MailboxChange.Kind.KEEP : MailboxChange.Kind.UPDATE;
        // mailcow's spelling of the address: edit/user-acl finds the mailbox under no other
        return new MailboxChange(kind, mailbox.username(), name, activeChange, resultName, active,
                why.isEmpty() ? "unchanged" : String.join("; ", why), user.dn(), user.objectGuid(),
                !managed.aclApplied());
    }
}
