package org.ldapmailcow.directory;

import java.util.List;

/**
 * A user entry as read from the directory. {@code mail} is in the one spelling mailcow stores
 * ({@link org.ldapmailcow.model.EmailAddress#normalise}); {@code disabled} follows the directory type's rule
 * ({@link DirectoryType#disabled}); {@code proxyAddresses} holds the SMTP-type alias values only ({@code smtp:}
 * prefixed, whatever attribute they came from); {@code objectGuid} is the type's immutable anchor.
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
