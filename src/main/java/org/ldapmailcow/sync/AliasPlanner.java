package org.ldapmailcow.sync;

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

    /** An alias the directory asks for. {@code gotoList} keeps the directory's spelling and order. */
    record Wanted(String address, List<String> gotoList, boolean active, String kind, String sourceDn) {
    }

    private final Exclusions exclusions;

    public AliasPlanner(Exclusions exclusions) {
        this.exclusions = exclusions;
    }

    public Result plan(Map<String, DirectoryUser> mailboxOwners, List<DirectoryGroup> groups, MailcowView mailcow,
                       SyncState state) {
        List<Skip> skips = new ArrayList<>();
        Map<String, List<Wanted>> claims = claims(mailboxOwners, groups, skips);
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
            changes.add(new AliasChange(AliasChange.Kind.DELETE, managed.address(), null, null, null, false,
                    managed.kind(),
                    managed.sourceDn(), existing == null ? null : existing.id(),
                    existing == null ? "source gone from the directory; already absent from mailcow"
                            : "source " + (managed.sourceDn() == null ? "" : managed.sourceDn() + " ")
                            + "no longer lists this address"));
        });
        return new Result(changes, skips);
    }

    /** Every address the directory wants as an alias, with every entry that claims it. */
    private Map<String, List<Wanted>> claims(Map<String, DirectoryUser> owners, List<DirectoryGroup> groups,
                                             List<Skip> skips) {
        Map<String, List<Wanted>> claims = new LinkedHashMap<>();
        owners.forEach((mailboxKey, user) -> {
            for (String address : ProxyAddresses.smtpAddresses(user.proxyAddresses())) {
                if (!EmailAddress.key(address).equals(mailboxKey)) {
                    claim(claims, skips, new Wanted(address, List.of(user.mail()), !user.disabled(), USER, user.dn()));
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
                    : "managed alias missing from mailcow; added again"));
        }
        boolean gotoDiffers = !w.gotoList().isEmpty() && !sameTargets(w.gotoList(), existing.gotoList());
        Boolean active = existing.active() != w.active() ? w.active() : null;
        if (!gotoDiffers && active == null) {
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
        return Optional.of(new AliasChange(AliasChange.Kind.UPDATE, existing.address(),
                gotoDiffers ? w.gotoList() : null, active,
                gotoDiffers ? String.join(",", w.gotoList()) : existing.gotoList(), w.active(), w.kind(),
                w.sourceDn(), existing.id(), String.join("; ", why)));
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
