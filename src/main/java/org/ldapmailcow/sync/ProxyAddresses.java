package org.ldapmailcow.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Reads AD's {@code proxyAddresses}: only SMTP-type values ({@code SMTP:} primary, {@code smtp:} secondary). */
public final class ProxyAddresses {

    private static final String SMTP = "smtp:";

    private ProxyAddresses() {
    }

    /** The addresses of the SMTP-type values, in order, prefix removed; other types (X500, SIP, ...) ignored. */
    public static List<String> smtpAddresses(List<String> proxyAddresses) {
        List<String> result = new ArrayList<>();
        for (String value : proxyAddresses) {
            if (value != null && value.length() > SMTP.length()
                    && value.substring(0, SMTP.length()).toLowerCase(Locale.ROOT).equals(SMTP)) {
                result.add(value.substring(SMTP.length()).strip());
            }
        }
        return result;
    }
}
