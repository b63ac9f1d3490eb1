package org.ldapmailcow.directory;

import java.util.List;

/**
 * A mail-enabled group with its members already resolved: {@code memberMails} are the mail addresses of the
 * enabled people reachable through nested membership, in the directory's spelling.
 */
public record DirectoryGroup(String dn, String mail, List<String> proxyAddresses, List<String> memberMails) {

    public DirectoryGroup {
        proxyAddresses = proxyAddresses == null ? List.of() : List.copyOf(proxyAddresses);
        memberMails = memberMails == null ? List.of() : List.copyOf(memberMails);
    }
}
