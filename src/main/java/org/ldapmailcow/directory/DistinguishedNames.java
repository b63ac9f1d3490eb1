package org.ldapmailcow.directory;

import java.util.List;
import java.util.Locale;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/** Comparing DNs the way the directory does: by their RDNs, case-insensitively, whatever the escaping. */
public final class DistinguishedNames {

    private DistinguishedNames() {
    }

    /**
     * A key equal for every spelling of the same DN ({@code CN=a\,b} and {@code cn=A\2CB}, spaces after commas).
     * A string that is no DN keys as itself, lower-cased.
     */
    public static String key(String dn) {
        try {
            List<Rdn> rdns = new LdapName(dn).getRdns();
            StringBuilder key = new StringBuilder(dn.length());
            for (int i = rdns.size() - 1; i >= 0; i--) {
                key.append(rdns.get(i)).append(i > 0 ? "," : "");
            }
            return key.toString().toLowerCase(Locale.ROOT);
        } catch (InvalidNameException | RuntimeException e) {
            return dn.strip().toLowerCase(Locale.ROOT);
        }
    }
}
