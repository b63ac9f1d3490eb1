package org.ldapmailcow.state;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the state database says this tool manages, keyed by lower-cased address. {@code pendingAliases} are
 * alias additions that were sent to mailcow but whose answer was never recorded (the process died); such an
 * alias found in mailcow is this tool's own. {@code pendingMailboxes} are the same for mailbox creations: such a
 * mailbox found in mailcow is this tool's own and still needs its user ACL.
 */
public record SyncState(Map<String, ManagedMailbox> mailboxes, Map<String, ManagedAlias> aliases,
                        Set<String> pendingAliases, Set<String> pendingMailboxes) {

    public SyncState {
        mailboxes = Collections.unmodifiableMap(new LinkedHashMap<>(mailboxes));
        aliases = Collections.unmodifiableMap(new LinkedHashMap<>(aliases));
        pendingAliases = keys(pendingAliases);
        pendingMailboxes = keys(pendingMailboxes);
    }

    private static Set<String> keys(Collection<String> addresses) {
        return addresses.stream().map(a -> a.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    public static SyncState of(Collection<ManagedMailbox> mailboxes, Collection<ManagedAlias> aliases,
                               Collection<String> pendingAliases) {
        return of(mailboxes, aliases, pendingAliases, Set.of());
    }

    public static SyncState of(Collection<ManagedMailbox> mailboxes, Collection<ManagedAlias> aliases,
                               Collection<String> pendingAliases, Collection<String> pendingMailboxes) {
        Map<String, ManagedMailbox> boxes = new LinkedHashMap<>();
        mailboxes.forEach(m -> boxes.put(m.email().toLowerCase(Locale.ROOT), m));
        Map<String, ManagedAlias> al = new LinkedHashMap<>();
        aliases.forEach(a -> al.put(a.address().toLowerCase(Locale.ROOT), a));
        return new SyncState(boxes, al, Set.copyOf(pendingAliases), Set.copyOf(pendingMailboxes));
    }

    public static SyncState empty() {
        return new SyncState(Map.of(), Map.of(), Set.of(), Set.of());
    }

    public long activeMailboxes() {
        return mailboxes.values().stream().filter(ManagedMailbox::active).count();
    }
}
