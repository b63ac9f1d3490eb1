package org.ldapmailcow.directory;

import java.util.ArrayList;
import java.util.List;

/** Reads AD's {@code proxyAddresses}: only SMTP-type values ({@code SMTP:} primary, {@code smtp:} secondary). */
public final class ProxyAddresses {

    private static final String SMTP = "smtp:";

    private ProxyAddresses() {
    }

    /**
     * The SMTP-type values as they are, prefix included; the others (X500, SIP, ...) are never used, and an
     * Exchange-migrated directory has several long X500 values per user.
     */
    public static List<String> smtpValues(List<String> proxyAddresses) {
        List<String> result = new ArrayList<>();
        for (String value : proxyAddresses) {
            if (isSmtp(value)) {
                result.add(value);
            }
        }
        return result;
    }

    private static boolean isSmtp(String value) {
        return value != null && value.length() > SMTP.length()
                && value.regionMatches(true, 0, SMTP, 0, SMTP.length());
    }

    /** The addresses of the SMTP-type values, in order, prefix removed; other types (X500, SIP, ...) ignored. */
    public static List<String> smtpAddresses(List<String> proxyAddresses) {
        List<String> result = new ArrayList<>();
        for (String value : proxyAddresses) {
            if (isSmtp(value)) {
                result.add(value.substring(SMTP.length()).strip());
            }
        }
        return result;
    }
}
