package org.ldapmailcow.directory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.PartialResultException;
import javax.naming.directory.SearchControls;
import javax.naming.directory.SearchResult;
import javax.naming.ldap.Control;
import javax.naming.ldap.LdapContext;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.PagedResultsControl;
import javax.naming.ldap.PagedResultsResponseControl;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link DirectorySearch} over JNDI: a fresh context per search (closed afterwards, like camel-ldap does), always
 * paged, because AD refuses unpaged searches over its MaxPageSize (1000). The paging control goes through
 * {@code setRequestControls}: given as connection controls it would not be sent with the search.
 */
public final class JndiDirectorySearch implements DirectorySearch {

    private static final Logger LOG = LoggerFactory.getLogger(JndiDirectorySearch.class);

    private final Supplier<? extends LdapContext> contexts;
    private final int pageSize;
    private final AtomicInteger searches = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();

    public JndiDirectorySearch(Supplier<? extends LdapContext> contexts, int pageSize) {
        if (pageSize < 1) {
            throw new IllegalArgumentException("page size must be positive, got " + pageSize);
        }
        this.contexts = contexts;
        this.pageSize = pageSize;
    }

    @Override
    public List<SearchResult> search(String base, int scope, String filter, String... attributes)
            throws NamingException {
        List<SearchResult> results = new ArrayList<>();
        searchPages(base, scope, filter, results::addAll, attributes);
        return results;
    }

    /**
     * The same search, each page handed to {@code pages} as it arrives and not kept: for searches too large to hold
     * as JNDI results all at once (every user of a large directory).
     */
    public void searchPages(String base, int scope, String filter, Consumer<List<SearchResult>> pages,
                            String... attributes) throws NamingException {
        searchPages(base, scope, filter, new Control[0], pages, attributes);
    }

    /** The same search, sent with {@code extra} controls besides the paging one (e.g. AD's show-deleted). */
    public void searchPages(String base, int scope, String filter, Control[] extra,
                            Consumer<List<SearchResult>> pages, String... attributes) throws NamingException {
        searches.incrementAndGet();
        SearchControls controls = new SearchControls();
        controls.setSearchScope(scope);
        controls.setReturningAttributes(attributes.length == 0 ? null : attributes);
        // an LdapName keeps JNDI from reading the DN as a composite name ('/' and quotes would break it)
        LdapName name = new LdapName(base);
        LdapContext ctx = contexts.get();
        try {
            byte[] cookie = null;
            do {
                Control[] controls1 = java.util.Arrays.copyOf(extra, extra.length + 1);
                controls1[extra.length] = new PagedResultsControl(pageSize, cookie, Control.CRITICAL);
                ctx.setRequestControls(controls1);
                requests.incrementAndGet();
                List<SearchResult> page = new ArrayList<>();
                readPage(ctx.search(name, filter, controls), page, base);
                cookie = cookie(ctx.getResponseControls());
                pages.accept(page);
            } while (cookie != null && cookie.length > 0);
        } catch (IOException e) {
            NamingException wrapped = new NamingException("cannot build the paged results control: " + e);
            wrapped.setRootCause(e);
            throw wrapped;
        } finally {
            ctx.close();
        }
    }

    /** Searches made since the last reset (one per {@link #search} or {@link #searchPages} call, however many pages). */
    public int searchCount() {
        return searches.get();
    }

    /** LDAP search requests sent since the last reset: one per page. */
    public int requestCount() {
        return requests.get();
    }

    public void resetSearchCount() {
        searches.set(0);
        requests.set(0);
    }

    private static void readPage(NamingEnumeration<SearchResult> page, List<SearchResult> into, String base)
            throws NamingException {
        try {
            while (page.hasMore()) {
                into.add(page.next());
            }
        } catch (PartialResultException e) {
            // AD with referral=ignore ends searches at the domain root with unfollowed continuation references;
            // the entries of this naming context are all there
            LOG.debug("search under {} ended with unfollowed referrals: {}", base, e.getMessage());
        } finally {
            page.close();
        }
    }

    private static byte[] cookie(Control[] responseControls) {
        if (responseControls != null) {
            for (Control control : responseControls) {
                if (control instanceof PagedResultsResponseControl paged) {
                    return paged.getCookie();
                }
            }
        }
        return null;
    }
}
