package org.ldapmailcow.demo;

import java.util.List;

/**
 * A mailbox as the emulator holds it.
 *
 * @param quotaBytes  0 means unlimited
 * @param userAcl     the user ACLs that are on, in mailcow's column order
 * @param passwordSet false for mailboxes that authenticate elsewhere (authsource other than mailcow)
 * @param loginDisallowed mailcow's {@code active = 2}: mail is still accepted, nobody can log in
 */
public record MailboxView(String username, String name, boolean active, long quotaBytes, String authsource,
                          List<String> userAcl, boolean passwordSet, boolean loginDisallowed) {

    public long quotaMiB() {
        return quotaBytes / MailcowState.MIB;
    }
}
