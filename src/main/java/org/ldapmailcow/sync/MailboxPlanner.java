package org.ldapmailcow.sync;

import org.ldapmailcow.model.Offboarding;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
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

    /**
     * The decisions, the skipped entries, the users that own a mailbox, and each managed mailbox's offboarding
     * step by mailbox key (for the alias planner: its aliases follow its mailbox).
     */
    public record Result(List<MailboxChange> changes, List<Skip> skips, Map<String, DirectoryUser> mailboxOwners,
                         Map<String, Offboarding.Step> steps) {

        public Result(List<MailboxChange> changes, List<Skip> skips, Map<String, DirectoryUser> mailboxOwners) {
            this(changes, skips, mailboxOwners, Map.of());
        }
    }

    private static final String VANISHED = "no longer returned by the directory (deleted, moved or outside the filter)";

    private final Exclusions exclusions;
    private final Offboarding offboarding;
    private final int offboardingDays;

    public MailboxPlanner(Exclusions exclusions) {
        this(exclusions, new Offboarding(Offboarding.Mode.DEACTIVATE, 30, 1), 30);
    }

    public MailboxPlanner(Exclusions exclusions, Offboarding offboarding, int offboardingDays) {
        this.exclusions = exclusions;
        this.offboarding = offboarding;
        this.offboardingDays = offboardingDays;
    }

    public Result plan(List<DirectoryUser> users, MailcowView mailcow, SyncState state) {
        return plan(users, mailcow, state, Instant.now());
    }

    /** {@code now}: the cycle's time, which offboarding stages are measured in. */
    public Result plan(List<DirectoryUser> users, MailcowView mailcow, SyncState state, Instant now) {
        List<Skip> skips = new ArrayList<>();
        Map<String, DirectoryUser> owners = mailboxOwners(users, mailcow, skips);
        List<MailboxChange> changes = new ArrayList<>();
        Map<String, Offboarding.Step> steps = new HashMap<>();
        owners.forEach((key, user) -> {
            MailboxChange change = decide(user, mailcow.mailboxes().get(key), state.mailboxes().get(key),
                    state.pendingMailboxes().contains(key), now);
            changes.add(change);
            if (change.step() != null) {
                steps.put(key, change.step());
            }
        });
        state.mailboxes().forEach((key, managed) -> {
            Mailbox mailbox = mailcow.mailboxes().get(key);
            if (owners.containsKey(key) || exclusions.excludes(key) || mailbox == null) {
                return;
            }
            Offboarding.Step step = offboarding.decide(Offboarding.Presence.MISSING, stage(managed, mailbox, false),
                    since(managed), managed.missedCycles(), now);
            // its aliases follow the step even when the mailbox needs nothing written
            steps.put(key, step);
            MailboxChange change = vanished(managed, mailbox, step, stage(managed, mailbox, false));
            if (change != null) {
                changes.add(change);
            }
        });
        return new Result(changes, skips, owners, steps);
    }

    /** A managed mailbox whose user the directory no longer returns. */
    private MailboxChange vanished(ManagedMailbox managed, Mailbox mailbox, Offboarding.Step step,
                                   Offboarding.Stage stage) {
        int current = mailbox.activeValue();
        if (step.action() == Offboarding.Action.WAIT) {
            // not gone yet: only the state learns the count (its ACL flag stays as recorded)
            return new MailboxChange(MailboxChange.Kind.KEEP, managed.email(), null, null, mailbox.name(),
                    mailbox.active(), VANISHED + ": missing from " + step.misses() + " cycle(s) in a row; left as it "
                    + "is until LDAP_MAILCOW_MISSES_BEFORE_REMOVAL", managed.sourceDn(), managed.objectGuid(), false, step);
        }
        int wanted = step.mailboxActive();
        if (current == wanted && !step.revokesAppPasswords()) {
            // already as its stage wants it: nothing to write; only a new stage is recorded (once)
            return step.stage() == stage ? null : new MailboxChange(MailboxChange.Kind.KEEP, managed.email(), null,
                    null, mailbox.name(), wanted != 0, VANISHED + "; " + stageText(step), managed.sourceDn(),
                    managed.objectGuid(), false, step);
        }
        if (wanted == 0) {
            return new MailboxChange(MailboxChange.Kind.DEACTIVATE, managed.email(), null, false, mailbox.name(), false,
                    offboarding.mode() == Offboarding.Mode.STAGED ? VANISHED + "; " + stageText(step) : VANISHED,
                    managed.sourceDn(), managed.objectGuid(), false, step);
        }
        return new MailboxChange(MailboxChange.Kind.UPDATE, managed.email(), null, current == wanted ? null : true,
                mailbox.name(), true, VANISHED + "; " + stageText(step), managed.sourceDn(), managed.objectGuid(),
                false, step);
    }

    /** The stage the state recorded; an inactive mailbox of someone gone counts as switched off already. */
    private static Offboarding.Stage stage(ManagedMailbox managed, Mailbox mailbox, boolean enabled) {
        Offboarding.Stage recorded = current(managed);
        if (recorded == Offboarding.Stage.NONE && !enabled && mailbox != null && mailbox.activeValue() == 0) {
            return Offboarding.Stage.DEACTIVATED;
        }
        return recorded;
    }

    private static Offboarding.Stage current(ManagedMailbox managed) {
        return managed == null ? Offboarding.Stage.NONE : Offboarding.Stage.of(managed.offboardingStage());
    }

    private static Instant since(ManagedMailbox managed) {
        if (managed == null || managed.offboardingSince() == null || managed.offboardingSince().isBlank()) {
            return null;
        }
        try {
            return Instant.parse(managed.offboardingSince().strip());
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    private String stageText(Offboarding.Step step) {
        return switch (step.action()) {
            case STAGE -> "offboarding staged: login disallowed (mail still accepted), revoke app passwords, hide "
                    + "aliases from SOGo; switched off after " + offboardingDays + " day(s)";
            case DEACTIVATE -> offboarding.mode() == Offboarding.Mode.STAGED
                    ? "offboarding: " + offboardingDays + " day(s) since login was disallowed; switched off"
                    : "switched off";
            case RESTORE -> "offboarding undone";
            case KEEP -> step.stage() == Offboarding.Stage.STAGED ? "offboarding staged since " + step.since()
                    : step.stage() == Offboarding.Stage.DEACTIVATED ? "switched off" : "unchanged";
            case WAIT -> "missing";
        };
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
    private MailboxChange decide(DirectoryUser user, Mailbox mailbox, ManagedMailbox managed, boolean pendingCreate,
                                 Instant now) {
        boolean enabled = !user.disabled();
        if (mailbox == null) {
            String name = user.displayName() != null ? user.displayName() : EmailAddress.parse(user.mail()).orElseThrow().localPart();
            // a disabled user's new mailbox is created switched off, and recorded so (never staged to take mail)
            Offboarding.Step step = enabled ? null : new Offboarding.Step(Offboarding.Action.KEEP,
                    Offboarding.Stage.DEACTIVATED, now, 0, false, 0, false, null, false);
            return new MailboxChange(MailboxChange.Kind.CREATE, user.mail(), name, enabled, name, enabled,
                    (managed == null ? "new directory user" : "managed mailbox missing from mailcow; created again")
                            + (enabled ? "" : "; created inactive: account disabled in the directory"),
                    user.dn(), user.objectGuid(), true, step);
        }
        Offboarding.Step step = offboarding.decide(enabled ? Offboarding.Presence.ENABLED : Offboarding.Presence.DISABLED,
                stage(managed, mailbox, enabled), since(managed), managed == null ? 0 : managed.missedCycles(), now);
        int wanted = step.mailboxActive();
        boolean active = wanted != 0;
        String name = user.displayName() != null && !user.displayName().equals(mailbox.name()) ? user.displayName() : null;
        Boolean activeChange = mailbox.activeValue() != wanted ? active : null;
        List<String> why = new ArrayList<>();
        if (name != null) {
            why.add("display name is now '" + name + "'");
        }
        if (activeChange != null || step.revokesAppPasswords()) {
            why.add(enabled ? "account enabled in the directory" : "account disabled in the directory");
            if (step.action() != Offboarding.Action.KEEP && offboarding.mode() == Offboarding.Mode.STAGED
                    || step.action() == Offboarding.Action.RESTORE) {
                why.add(stageText(step));
            }
        }
        String resultName = name != null ? name : mailbox.name();
        if (managed == null) {
            why.add(0, pendingCreate ? "mailbox created by an earlier cycle whose answer was lost; taken under "
                    + "management with its user ACL" : "mailbox existed in mailcow; taken under management");
            return new MailboxChange(MailboxChange.Kind.ADOPT, mailbox.username(), name, activeChange, resultName,
                    active, String.join("; ", why), user.dn(), user.objectGuid(), pendingCreate, step);
        }
        if (!managed.aclApplied()) {
            why.add("user ACL not applied yet");
        }
        MailboxChange.Kind kind = why.isEmpty() ? MailboxChange.Kind.KEEP : MailboxChange.Kind.UPDATE;
        // mailcow's spelling of the address: edit/user-acl finds the mailbox under no other
        return new MailboxChange(kind, mailbox.username(), name, activeChange, resultName, active,
                why.isEmpty() ? "unchanged" : String.join("; ", why), user.dn(), user.objectGuid(),
                !managed.aclApplied(), step);
    }
}
