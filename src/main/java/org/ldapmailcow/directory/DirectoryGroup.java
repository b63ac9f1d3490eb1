package org.ldapmailcow.directory;

import java.util.List;
import java.util.Map;

/**
 * A mail-enabled group with its members already resolved: {@code memberMails} are the mail addresses of the
 * enabled people reachable through nested membership, in the directory's spelling. {@code memberPaths} holds,
 * by lower-cased mail, the nested groups (DNs, outermost first) through which a member is reached; only
 * {@code --explain} asks for them ({@link GroupResolver#recordPaths}), a cycle leaves them empty.
 */
public record DirectoryGroup(String dn, String mail, List<String> proxyAddresses, List<String> memberMails,
                             Map<String, List<String>> memberPaths) {

    public DirectoryGroup {
        proxyAddresses = proxyAddresses == null ? List.of() : List.copyOf(proxyAddresses);
        memberMails = memberMails == null ? List.of() : List.copyOf(memberMails);
        memberPaths = memberPaths == null ? Map.of() : Map.copyOf(memberPaths);
    }

    public DirectoryGroup(String dn, String mail, List<String> proxyAddresses, List<String> memberMails) {
        this(dn, mail, proxyAddresses, memberMails, Map.of());
    }
}
