package org.ldapmailcow.mailcow;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What mailcow holds, keyed by lower-cased address: either read from its bulk listings (a full reconcile) or
 * taken from the state database between full reconciles ({@code fromListings == false}).
 */
public record MailcowView(Set<String> hostedDomains, Map<String, Mailbox> mailboxes, Map<String, Alias> aliases,
                          boolean fromListings) {

    public MailcowView {
        hostedDomains = hostedDomains.stream().map(d -> d.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        mailboxes = Collections.unmodifiableMap(new LinkedHashMap<>(mailboxes));
        aliases = Collections.unmodifiableMap(new LinkedHashMap<>(aliases));
    }

    /** Mailcow as its listings show it: every mailbox and alias, managed or not. */
    public static MailcowView ofListings(List<String> domains, List<Mailbox> mailboxes, List<Alias> aliases) {
        return of(domains, mailboxes, aliases, true);
    }

    /**
     * Between full reconciles: mailcow as this tool last left it (its state file's mailboxes and aliases).
     * Unmanaged objects are unknown here; writing over one makes mailcow refuse, which schedules a full reconcile.
     */
    public static MailcowView asLastLeft(List<String> domains, List<Mailbox> mailboxes, List<Alias> aliases) {
        return of(domains, mailboxes, aliases, false);
    }

    public static MailcowView of(Collection<String> domains, Collection<Mailbox> mailboxes, Collection<Alias> aliases,
                                 boolean fromListings) {
        Map<String, Mailbox> boxes = new LinkedHashMap<>();
        mailboxes.forEach(m -> boxes.put(m.username().toLowerCase(Locale.ROOT), m));
        Map<String, Alias> al = new LinkedHashMap<>();
        aliases.forEach(a -> al.put(a.address().toLowerCase(Locale.ROOT), a));
        return new MailcowView(Set.copyOf(domains), boxes, al, fromListings);
    }

    public boolean hosts(String domain) {
        return hostedDomains.contains(domain.toLowerCase(Locale.ROOT));
    }
}
