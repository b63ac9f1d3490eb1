package org.ldapmailcow.sync;

import org.ldapmailcow.model.Offboarding;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.ldapmailcow.directory.DirectoryGroup;
import org.ldapmailcow.directory.DirectoryUser;
import org.ldapmailcow.mailcow.Alias;
import org.ldapmailcow.mailcow.MailcowView;
import org.ldapmailcow.state.ManagedAlias;
import org.ldapmailcow.state.SyncState;
import org.ldapmailcow.directory.ProxyAddresses;
import org.ldapmailcow.model.AliasChange;
import org.ldapmailcow.model.EmailAddress;
import org.ldapmailcow.model.Skip;

/**
 * Decides the aliases: users' SMTP proxy addresses and mail-enabled groups become aliases; aliases this tool
 * created whose source is gone are deleted; aliases it did not create are never touched.
 */
public final class AliasPlanner {

    public static final String USER = "user";
    public static final String GROUP = "group";

    public record Result(List<AliasChange> changes, List<Skip> skips) {
    }

    /**
     * An alias the directory asks for. {@code gotoList} keeps the directory's spelling and order. {@code sogoVisible}:
     * what its owner's offboarding wants for {@code sogo_visible} (null: left alone); {@code forceVisibility}: written
     * even where mailcow's value is not known (the stage changes this cycle).
     */
    record Wanted(String address, List<String> gotoList, boolean active, String kind, String sourceDn,
                  Boolean sogoVisible, boolean forceVisibility) {

        Wanted(String address, List<String> gotoList, boolean active, String kind, String sourceDn) {
            this(address, gotoList, active, kind, sourceDn, null, false);
        }
    }

    private final Exclusions exclusions;
    /** Staged offboarding: a leaver's aliases are hidden and switched off, never deleted. */
    private final boolean neverDeleteLeavers;

    public AliasPlanner(Exclusions exclusions) {
        this(exclusions, false);
    }

    public AliasPlanner(Exclusions exclusions, boolean neverDeleteLeavers) {
        this.exclusions = exclusions;
        this.neverDeleteLeavers = neverDeleteLeavers;
    }

    public Result plan(Map<String, DirectoryUser> mailboxOwners, List<DirectoryGroup> groups, MailcowView mailcow,
                       SyncState state) {
        return plan(mailboxOwners, groups, mailcow, state, Map.of());
    }

    /** {@code steps}: each managed mailbox's offboarding by mailbox key; a user alias follows its mailbox. */
    public Result plan(Map<String, DirectoryUser> mailboxOwners, List<DirectoryGroup> groups, MailcowView mailcow,
                       SyncState state, Map<String, Offboarding.Step> steps) {
        List<Skip> skips = new ArrayList<>();
        Map<String, List<Wanted>> claims = claims(mailboxOwners, groups, skips, steps);
        List<AliasChange> changes = new ArrayList<>();
        Set<String> leftAlone = new LinkedHashSet<>();
        claims.forEach((key, wanted) -> {
            Optional<Wanted> single = single(key, wanted, skips);
            if (single.isEmpty()) {
                leftAlone.add(key);
                return;
            }
            Wanted w = single.get();
            String refusal = refusal(key, w, mailboxOwners, mailcow, state);
            if (refusal != null) {
                skips.add(new Skip(w.address(), refusal));
                leftAlone.add(key);
                return;
            }
            decide(w, mailcow.aliases().get(key), state.aliases().get(key), skips).ifPresent(changes::add);
        });
        state.aliases().forEach((key, managed) -> {
            if (claims.containsKey(key) || leftAlone.contains(key) || exclusions.excludes(key)) {
                return;
            }
            Alias existing = mailcow.aliases().get(key);
            Offboarding.Step step = ownerStep(managed, steps);
            if (step != null && step.holdsAliases()) {
                return;   // its user may still come back (LDAP_MAILCOW_MISSES_BEFORE_REMOVAL)
            }
            if (step != null && neverDeleteLeavers && !GROUP.equals(managed.kind())) {
                if (existing != null) {
                    changes.add(leaverAlias(managed, existing, step));
                }
                return;
            }
            changes.add(new AliasChange(AliasChange.Kind.DELETE, managed.address(), null, null, null, false,
                    managed.kind(),
                    managed.sourceDn(), existing == null ? null : existing.id(),
                    existing == null ? "source gone from the directory; already absent from mailcow"
                            : "source " + (managed.sourceDn() == null ? "" : managed.sourceDn() + " ")
                            + "no longer lists this address"));
        });
        return new Result(changes, skips);
    }

    /** The offboarding of the mailbox a user alias points to (a user alias has one goto: its mailbox). */
    private static Offboarding.Step ownerStep(ManagedAlias managed, Map<String, Offboarding.Step> steps) {
        String gotoList = managed.gotoList();
        if (gotoList == null || gotoList.isBlank() || gotoList.contains(",")) {
            return null;
        }
        return steps.get(EmailAddress.key(gotoList.strip()));
    }

    /** A vanished leaver's alias in staged mode: switched off and hidden as its mailbox is, never deleted. */
    private static AliasChange leaverAlias(ManagedAlias managed, Alias existing, Offboarding.Step step) {
        boolean active = step.aliasesActive() == null ? existing.active() : step.aliasesActive();
        Boolean activeChange = existing.active() != active ? active : null;
        Boolean visible = visibility(step.aliasesVisible(), step.transition(), existing);
        if (activeChange == null && visible == null) {
            return new AliasChange(AliasChange.Kind.KEEP, existing.address(), null, null, existing.gotoList(),
                    existing.active(), managed.kind(), managed.sourceDn(), existing.id(), "unchanged (its user has left)");
        }
        return new AliasChange(AliasChange.Kind.UPDATE, existing.address(), null, activeChange, existing.gotoList(),
                active, managed.kind(), managed.sourceDn(), existing.id(), "its user has left: "
                + (step.stage() == Offboarding.Stage.DEACTIVATED ? "switched off" : "mailbox login disallowed"),
                visible);
    }

    /** The sogo_visible to write: where mailcow's value is known, only if it differs; else only on a stage change. */
    private static Boolean visibility(Boolean wanted, boolean force, Alias existing) {
        if (wanted == null) {
            return null;
        }
        if (existing != null && existing.sogoVisible() != null) {
            return existing.sogoVisible().equals(wanted) ? null : wanted;
        }
        return force ? wanted : null;
    }

    /** Every address the directory wants as an alias, with every entry that claims it. */
    private Map<String, List<Wanted>> claims(Map<String, DirectoryUser> owners, List<DirectoryGroup> groups,
                                             List<Skip> skips, Map<String, Offboarding.Step> steps) {
        Map<String, List<Wanted>> claims = new LinkedHashMap<>();
        owners.forEach((mailboxKey, user) -> {
            Offboarding.Step step = steps.get(mailboxKey);
            boolean active = step == null || step.aliasesActive() == null ? !user.disabled() : step.aliasesActive();
            Boolean visible = step == null ? null : step.aliasesVisible();
            boolean force = step != null && step.transition();
            for (String address : ProxyAddresses.smtpAddresses(user.proxyAddresses())) {
                if (!EmailAddress.key(address).equals(mailboxKey)) {
                    claim(claims, skips, new Wanted(address, List.of(user.mail()), active, USER, user.dn(), visible,
                            force));
                }
            }
        });
        for (DirectoryGroup group : groups) {
            List<String> members = distinct(group.memberMails());
            Set<String> addresses = new LinkedHashSet<>();
            if (group.mail() != null) {
                addresses.add(group.mail().strip());
            }
            addresses.addAll(ProxyAddresses.smtpAddresses(group.proxyAddresses()));
            Set<String> seen = new LinkedHashSet<>();
            for (String address : addresses) {
                if (seen.add(EmailAddress.key(address))) {
                    List<String> gotoList = members.stream()
                            .filter(m -> !EmailAddress.key(m).equals(EmailAddress.key(address))).toList();
                    claim(claims, skips, new Wanted(address, gotoList, !gotoList.isEmpty(), GROUP, group.dn()));
                }
            }
        }
        return claims;
    }

    private void claim(Map<String, List<Wanted>> claims, List<Skip> skips, Wanted wanted) {
        Optional<EmailAddress> address = EmailAddress.parse(wanted.address());
        if (address.isEmpty()) {
            skips.add(new Skip(wanted.sourceDn(), "alias '" + wanted.address() + "' is not a valid address"));
            return;
        }
        List<Wanted> list = claims.computeIfAbsent(address.get().key(), k -> new ArrayList<>());
        if (list.stream().noneMatch(w -> w.sourceDn().equalsIgnoreCase(wanted.sourceDn()))) {
            list.add(wanted);
        }
    }

    private Optional<Wanted> single(String key, List<Wanted> wanted, List<Skip> skips) {
        if (wanted.size() == 1) {
            return Optional.of(wanted.get(0));
        }
        skips.add(new Skip(wanted.get(0).address(), "claimed by " + wanted.stream().map(Wanted::sourceDn)
                .collect(Collectors.joining(" and ")) + "; given to neither"));
        return Optional.empty();
    }

    /** Why an alias the directory wants is not this tool's to write, or null. */
    private String refusal(String key, Wanted w, Map<String, DirectoryUser> owners, MailcowView mailcow,
                           SyncState state) {
        EmailAddress address = EmailAddress.parse(w.address()).orElseThrow();
        if (exclusions.excludes(key)) {
            return "excluded by LDAP_MAILCOW_EXCLUDE";
        }
        if (!mailcow.hosts(address.domain())) {
            return "domain " + address.domain() + " is not hosted by mailcow; alias of " + w.sourceDn() + " skipped";
        }
        if (owners.containsKey(key)) {
            return "wanted by " + w.sourceDn() + " but it is the mailbox of " + owners.get(key).dn() + "; left alone";
        }
        if (mailcow.mailboxes().containsKey(key)) {
            return "wanted by " + w.sourceDn() + " but it is a mailbox in mailcow; left alone";
        }
        Alias existing = mailcow.aliases().get(key);
        if (existing != null && !state.aliases().containsKey(key) && !state.pendingAliases().contains(key)) {
            return "wanted by " + w.sourceDn() + " but mailcow already has this alias (goto " + existing.gotoList()
                    + "), not created by ldap-mailcow; left alone";
        }
        return null;
    }

    private Optional<AliasChange> decide(Wanted w, Alias existing, ManagedAlias managed, List<Skip> skips) {
        if (existing == null) {
            if (w.gotoList().isEmpty()) {
                skips.add(new Skip(w.address(), "group " + w.sourceDn() + " has no member with mail; no alias"));
                return managed == null ? Optional.empty() : Optional.of(new AliasChange(AliasChange.Kind.DELETE,
                        managed.address(), null, null, null, false, w.kind(), w.sourceDn(), null, "group has no member with mail"));
            }
            return Optional.of(new AliasChange(AliasChange.Kind.ADD, w.address(), w.gotoList(), w.active(),
                    String.join(",", w.gotoList()), w.active(), w.kind(),
                    w.sourceDn(), null, managed == null ? "new " + w.kind() + " alias of " + w.sourceDn()
                    : "managed alias missing from mailcow; added again", w.sogoVisible()));
        }
        boolean gotoDiffers = !w.gotoList().isEmpty() && !sameTargets(w.gotoList(), existing.gotoList());
        Boolean active = existing.active() != w.active() ? w.active() : null;
        Boolean visible = visibility(w.sogoVisible(), w.forceVisibility(), existing);
        if (!gotoDiffers && active == null && visible == null) {
            return Optional.of(new AliasChange(AliasChange.Kind.KEEP, existing.address(), null, null,
                    existing.gotoList(), existing.active(), w.kind(),
                    w.sourceDn(), existing.id(), managed == null ? "adopted after an interrupted cycle" : "unchanged"));
        }
        List<String> why = new ArrayList<>();
        if (gotoDiffers) {
            why.add("members are now " + String.join(",", w.gotoList()));
        }
        if (active != null) {
            why.add(w.active() ? "source is active again" : w.gotoList().isEmpty()
                    ? "group has no member with mail" : "user disabled in the directory");
        }
        if (visible != null) {
            why.add(visible ? "its user is back: shown in SOGo again" : "its user is leaving: hidden from SOGo");
        }
        return Optional.of(new AliasChange(AliasChange.Kind.UPDATE, existing.address(),
                gotoDiffers ? w.gotoList() : null, active,
                gotoDiffers ? String.join(",", w.gotoList()) : existing.gotoList(), w.active(), w.kind(),
                w.sourceDn(), existing.id(), String.join("; ", why), visible));
    }

    /** mailcow stores goto comma-joined; order and case never count as a difference. */
    static boolean sameTargets(List<String> wanted, String gotoList) {
        Set<String> have = new LinkedHashSet<>();
        for (String target : gotoList == null ? new String[0] : gotoList.split("[,;\\s]+")) {
            if (!target.isBlank()) {
                have.add(EmailAddress.key(target));
            }
        }
        return have.equals(wanted.stream().map(EmailAddress::key).collect(Collectors.toSet()));
    }

    private static List<String> distinct(List<String> mails) {
        Map<String, String> byKey = new LinkedHashMap<>();
        mails.forEach(m -> byKey.putIfAbsent(EmailAddress.key(m), m.strip()));
        return List.copyOf(byKey.values());
    }
}
