package org.ldapmailcow.demo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSearchEntry;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSearchRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Control;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ReadOnlySearchRequest;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.controls.SimplePagedResultsControl;

/**
 * Serves {@code member} the way AD does with MaxValRange 1500: a larger group comes back as
 * {@code member;range=0-1499} plus an empty {@code member}, and a request for {@code member;range=N-*} (or
 * {@code N-M}) gets at most 1500 values, named {@code member;range=N-*} when they are the last. Also counts the
 * search requests that reach the server (one per page of a paged search), and the searches among them that
 * start anew (no paged-results cookie).
 */
final class MemberRangeInterceptor extends InMemoryOperationInterceptor {

    static final int MAX_VALUE_RANGE = 1500;
    private static final Pattern RANGE = Pattern.compile("member;range=(\\d+)-(\\d+|\\*)", Pattern.CASE_INSENSITIVE);
    private static final String REQUESTED_RANGE = "ldap-mailcow.member-range";

    /** A requested range of values: {@code last} is inclusive, {@code Integer.MAX_VALUE} for {@code *}. */
    private record Range(int first, int last) {
    }

    private final AtomicInteger searches = new AtomicInteger();
    private final AtomicInteger started = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong entries = new java.util.concurrent.atomic.AtomicLong();
    /** Attributes the rootDSE shows besides the server's own (AD's change counter, see DemoDirectory). */
    private volatile List<Attribute> rootDseExtras = List.of();

    void rootDseExtras(List<Attribute> extras) {
        rootDseExtras = List.copyOf(extras);
    }

    /** Entries returned by searches since the last reset. */
    long entryCount() {
        return entries.get();
    }

    int searchCount() {
        return searches.get();
    }

    int startedSearchCount() {
        return started.get();
    }

    void resetSearchCount() {
        searches.set(0);
        started.set(0);
        entries.set(0);
    }

    @Override
    public void processSearchRequest(InMemoryInterceptedSearchRequest request) {
        searches.incrementAndGet();
        if (!continuesPagedSearch(request.getRequest())) {
            started.incrementAndGet();
        }
        List<String> attributes = request.getRequest().getAttributeList();
        for (int i = 0; i < attributes.size(); i++) {
            Matcher matcher = RANGE.matcher(attributes.get(i));
            if (matcher.matches()) {
                String last = matcher.group(2);
                request.setProperty(REQUESTED_RANGE, new Range(Integer.parseInt(matcher.group(1)),
                        last.equals("*") ? Integer.MAX_VALUE : Integer.parseInt(last)));
                // the stored attribute has no range option, so ask the backend for all of it
                List<String> plain = new ArrayList<>(attributes);
                plain.set(i, "member");
                SearchRequest changed = request.getRequest().duplicate();
                changed.setAttributes(plain);
                request.setRequest(changed);
                return;
            }
        }
    }

    private static boolean continuesPagedSearch(ReadOnlySearchRequest request) {
        Control control = request.getControl(SimplePagedResultsControl.PAGED_RESULTS_OID);
        if (control == null) {
            return false;
        }
        try {
            SimplePagedResultsControl paged = new SimplePagedResultsControl(control.getOID(), control.isCritical(),
                    control.getValue());
            return paged.getCookie() != null && paged.getCookie().getValueLength() > 0;
        } catch (LDAPException e) {
            return false;
        }
    }

    @Override
    public void processSearchEntry(InMemoryInterceptedSearchEntry result) {
        SearchResultEntry entry = result.getSearchEntry();
        entries.incrementAndGet();
        if (!rootDseExtras.isEmpty() && entry.getDN().isEmpty()) {
            Entry root = entry.duplicate();
            rootDseExtras.forEach(root::addAttribute);
            result.setSearchEntry(root);
            return;
        }
        Attribute member = entry.getAttribute("member");
        Range requested = (Range) result.getProperty(REQUESTED_RANGE);
        if (member == null || requested == null && member.size() <= MAX_VALUE_RANGE) {
            return;
        }
        Range range = requested == null ? new Range(0, Integer.MAX_VALUE) : requested;
        String[] values = member.getValues();
        int first = Math.min(range.first(), values.length);
        int last = (int) Math.min(Math.min(range.last(), (long) first + MAX_VALUE_RANGE - 1), values.length - 1L);
        boolean end = last >= values.length - 1;

        List<String> slice = new ArrayList<>(Arrays.asList(values).subList(first, Math.max(first, last + 1)));
        Entry ranged = entry.duplicate();
        ranged.removeAttribute("member");
        if (requested == null) {
            ranged.addAttribute(new Attribute("member"));
        }
        ranged.addAttribute(new Attribute("member;range=" + first + "-" + (end ? "*" : Integer.toString(last)), slice));
        result.setSearchEntry(ranged);
    }
}
