package org.ldapmailcow.sync;

import java.util.Arrays;
import java.util.List;

import org.ldapmailcow.directory.DirectoryGroup;
import org.ldapmailcow.directory.DirectoryUser;
import org.ldapmailcow.mailcow.Alias;
import org.ldapmailcow.mailcow.Mailbox;
import org.ldapmailcow.mailcow.MailcowView;
import org.ldapmailcow.state.ManagedAlias;
import org.ldapmailcow.state.ManagedMailbox;
import org.ldapmailcow.state.SyncState;

/** Small builders for planner tests. */
final class Fixtures {

    private Fixtures() {
    }

    static DirectoryUser user(String cn, String mail, String displayName, boolean disabled, String... proxies) {
        return new DirectoryUser("CN=" + cn + ",OU=Mail Users,DC=example,DC=local", mail, displayName, disabled,
                Arrays.asList(proxies), "guid-" + cn);
    }

    static DirectoryGroup group(String cn, String mail, List<String> members, String... proxies) {
        return new DirectoryGroup("CN=" + cn + ",OU=Mail Users,DC=example,DC=local", mail, Arrays.asList(proxies), members);
    }

    static Mailbox mailbox(String email, String name, boolean active) {
        return new Mailbox(email, name, active, "mailcow");
    }

    static Alias alias(String id, String address, String gotoList, boolean active) {
        return new Alias(id, address, gotoList, active);
    }

    static MailcowView mailcow(List<Mailbox> mailboxes, List<Alias> aliases) {
        return MailcowView.of(List.of("example.local"), mailboxes, aliases, true);
    }

    static ManagedMailbox managed(String email, boolean active) {
        return new ManagedMailbox(email, active, null, null, null, "2026-01-01T00:00:00Z");
    }

    static ManagedAlias managedAlias(String address, String gotoList, String kind) {
        return new ManagedAlias(address, gotoList, true, kind, "CN=x", "2026-01-01T00:00:00Z");
    }

    static SyncState state(List<ManagedMailbox> mailboxes, List<ManagedAlias> aliases) {
        return SyncState.of(mailboxes, aliases, List.of());
    }
}
