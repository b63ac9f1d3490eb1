package org.ldapmailcow.ldap;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

import javax.naming.ldap.Control;
import javax.naming.ldap.PagedResultsControl;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.unboundid.asn1.ASN1Element;
import com.unboundid.asn1.ASN1Exception;
import com.unboundid.asn1.ASN1Integer;
import com.unboundid.asn1.ASN1OctetString;
import com.unboundid.asn1.ASN1Sequence;

/**
 * The largest page size the server accepts, learnt from its refusals. AD answers a page size above its MaxPageSize
 * with smaller pages, but OpenLDAP refuses a search whose page size exceeds its paged-results limit
 * (adminLimitExceeded, "illegal pagedResults page size"); then the page size is halved, once per connection factory
 * and with one warning, instead of failing every cycle. Shared by all connections of one factory.
 */
final class PageSizeCap {

    private static final Logger LOG = LoggerFactory.getLogger(PageSizeCap.class);

    private final AtomicInteger cap = new AtomicInteger(Integer.MAX_VALUE);

    /** The page size of the simple paged results control among these, or -1 when there is none. */
    static int pageSize(Control[] controls) {
        Paged paged = paged(controls);
        return paged == null ? -1 : paged.size();
    }

    /** Whether the paged control among these asks for a first page (no cookie yet). */
    static boolean firstPage(Control[] controls) {
        Paged paged = paged(controls);
        return paged != null && paged.cookie().length == 0;
    }

    /** The controls with a paged results control no larger than the cap. */
    Control[] capped(Control[] controls) throws IOException {
        if (controls == null) {
            return null;
        }
        Control[] result = controls.clone();
        for (int i = 0; i < result.length; i++) {
            Paged paged = paged(result[i]);
            if (paged != null && paged.size() > cap.get()) {
                result[i] = new PagedResultsControl(cap.get(), paged.cookie().length == 0 ? null : paged.cookie(),
                        result[i].isCritical());
            }
        }
        return result;
    }

    /**
     * After the server refused {@code refused}: halves it (at least 1) and warns. Returns false when there is
     * nothing left to lower.
     */
    boolean lower(int refused) {
        if (refused <= 1) {
            return false;
        }
        int lowered = Math.max(1, refused / 2);
        if (cap.getAndUpdate(current -> Math.min(current, lowered)) > lowered) {
            LOG.warn("The directory refused LDAP page size {} (above its limit for paged searches); using {} "
                    + "instead. Set LDAP_MAILCOW_LDAP_PAGE_SIZE to at most the server's limit to avoid the retry.",
                    refused, lowered);
        }
        return true;
    }

    private record Paged(int size, byte[] cookie) {
    }

    private static Paged paged(Control[] controls) {
        if (controls != null) {
            for (Control control : controls) {
                Paged paged = paged(control);
                if (paged != null) {
                    return paged;
                }
            }
        }
        return null;
    }

    /** Reads realSearchControlValue ::= SEQUENCE { size INTEGER, cookie OCTET STRING } (RFC 2696). */
    private static Paged paged(Control control) {
        if (control == null || !PagedResultsControl.OID.equals(control.getID()) || control.getEncodedValue() == null) {
            return null;
        }
        try {
            ASN1Element[] elements = ASN1Sequence.decodeAsSequence(control.getEncodedValue()).elements();
            return new Paged(ASN1Integer.decodeAsInteger(elements[0]).intValue(),
                    ASN1OctetString.decodeAsOctetString(elements[1]).getValue());
        } catch (ASN1Exception | RuntimeException e) {
            return null;
        }
    }
}
