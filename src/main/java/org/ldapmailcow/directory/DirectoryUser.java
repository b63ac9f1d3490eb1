package org.ldapmailcow.directory;

import java.util.List;

/**
 * A user entry as read from the directory. {@code mail} is in the one spelling mailcow stores
 * ({@link org.ldapmailcow.sync.EmailAddress#normalise}); {@code disabled} is
 * bit 2 (ACCOUNTDISABLE) of {@code userAccountControl}; {@code proxyAddresses} holds the SMTP-type values only.
 */
public record DirectoryUser(String dn, String mail, String displayName, boolean disabled,
                            List<String> proxyAddresses, String objectGuid) {

    public DirectoryUser {
        proxyAddresses = proxyAddresses == null ? List.of() : List.copyOf(proxyAddresses);
    }

    public static boolean disabled(String userAccountControl) {
        if (userAccountControl == null || userAccountControl.isBlank()) {
            return false;
        }
        try {
            return (Long.parseLong(userAccountControl.strip()) & 2L) != 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
