package org.ldapmailcow.ldap;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NoSuchElementException;

import javax.naming.InvalidNameException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.PartialResultException;
import javax.naming.ReferralException;
import javax.naming.directory.DirContext;
import javax.naming.directory.SearchResult;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rule for continuation references in search results.
 * <p>
 * A subtree search at an AD domain root returns, besides the entries, continuation references to the naming
 * contexts that sit below the root: {@code CN=Configuration} (with {@code CN=Schema} under it),
 * {@code DC=DomainDnsZones} and {@code DC=ForestDnsZones}. Those partitions hold no users or groups, so a
 * search may end normally when every reference it received points to one of them, below the search base.
 * Anything else (a child domain, another server, a referral for the base itself) is an incomplete result and
 * fails the search, as does every other error.
 * <p>
 * This relies on the context using {@code java.naming.referral=throw} and {@code java.naming.batchsize=0}:
 * "throw" hands over the reference URLs (with "ignore" JNDI only says that some existed), and batch size 0
 * makes JNDI read a whole result before looking at it, so a size/time/admin limit error is never hidden
 * behind a referral exception (with smaller batches JNDI throws the referral and drops the limit error).
 */
final class PartitionReferrals {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionReferrals.class);
    /** Bound on the reference chain walked for one search (a real domain root yields three). */
    private static final int MAX_REFERENCES = 1000;

    private PartitionReferrals() {
    }

    /**
     * Whether {@code url} is an LDAP URL naming an AD configuration, schema or DNS application partition
     * strictly below {@code base}.
     */
    static boolean isPartitionReference(String url, LdapName base) {
        LdapName target = dnOf(url);
        if (target == null || target.size() <= base.size() || !target.startsWith(base.getRdns())) {
            return false;
        }
        List<Rdn> fromLeaf = new ArrayList<>(target.getRdns());
        Collections.reverse(fromLeaf);
        int partition;
        if (is(fromLeaf.get(0), "CN", "Schema") && fromLeaf.size() > 1 && is(fromLeaf.get(1), "CN", "Configuration")) {
            partition = 2;
        } else if (is(fromLeaf.get(0), "CN", "Configuration") || is(fromLeaf.get(0), "DC", "DomainDnsZones")
                || is(fromLeaf.get(0), "DC", "ForestDnsZones")) {
            partition = 1;
        } else {
            return false;
        }
        // ... directly under a domain (DC=...,DC=...)
        List<Rdn> domain = fromLeaf.subList(partition, fromLeaf.size());
        return !domain.isEmpty() && domain.stream().allMatch(rdn -> rdn.getType().equalsIgnoreCase("DC"));
    }

    private static boolean is(Rdn rdn, String type, String value) {
        return rdn.getType().equalsIgnoreCase(type) && rdn.getValue() instanceof String s && s.equalsIgnoreCase(value);
    }

    /** The DN of an {@code ldap://host/DN?...} URL, or null when there is none or it does not parse. */
    static LdapName dnOf(String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("ldap") || scheme.equalsIgnoreCase("ldaps"))) {
                return null;
            }
            String path = uri.getPath();
            if (path == null || path.length() <= 1) {
                return null;
            }
            return new LdapName(path.substring(1));
        } catch (URISyntaxException | InvalidNameException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Walks the chain of continuation references that JNDI threw at the end of a search. Returns their URLs
     * when all of them are partition references below {@code base}; otherwise throws a
     * {@link PartialResultException} naming the others. The JNDI exception itself is not passed on: it carries
     * the context environment, credentials included.
     */
    static List<String> acceptOrThrow(ReferralException first, LdapName base) throws PartialResultException {
        List<String> accepted = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        ReferralException current = first;
        int seen = 0;
        while (current != null && seen++ < MAX_REFERENCES) {
            Object info = current.getReferralInfo();
            if (info != null) {
                String url = info.toString();
                (isPartitionReference(url, base) ? accepted : refused).add(url);
            }
            if (!current.skipReferral()) {
                current = null;
            } else if (current.getReferralInfo() == null) {
                current = nextInChain(current);
            }
        }
        if (current != null) {
            refused.add("(more than " + MAX_REFERENCES + " references)");
        }
        if (!refused.isEmpty()) {
            throw new PartialResultException("search under '" + base + "' returned continuation reference(s) to "
                    + "other naming contexts that may hold entries: " + String.join(", ", refused)
                    + "; refusing an incomplete result (search a narrower base, or use the Global Catalog)");
        }
        return accepted;
    }

    /**
     * The next exception of a JNDI referral chain. With the current one skipped, its referral context does not
     * connect anywhere; any operation on it throws the next unprocessed referral.
     */
    private static ReferralException nextInChain(ReferralException current) throws PartialResultException {
        try {
            ((DirContext) current.getReferralContext()).search("", "(objectClass=*)", null);
        } catch (ReferralException next) {
            return next;
        } catch (NamingException | RuntimeException e) {
            throw new PartialResultException("cannot read the continuation references of a search: " + e);
        }
        throw new PartialResultException("cannot read the continuation references of a search");
    }

    /** A search result enumeration that ends normally on partition references only. */
    static final class Enumeration implements NamingEnumeration<SearchResult> {

        private final NamingEnumeration<SearchResult> delegate;
        private final LdapName base;
        private boolean ended;
        private PartialResultException failure;

        Enumeration(NamingEnumeration<SearchResult> delegate, LdapName base) {
            this.delegate = delegate;
            this.base = base;
        }

        @Override
        public boolean hasMore() throws NamingException {
            if (failure != null) {
                throw failure;
            }
            if (ended) {
                return false;
            }
            try {
                return delegate.hasMore();
            } catch (ReferralException e) {
                List<String> skipped;
                try {
                    skipped = acceptOrThrow(e, base);
                } catch (PartialResultException refused) {
                    failure = refused;
                    throw refused;
                }
                ended = true;
                LOG.debug("search under '{}': skipped continuation references to AD partitions {}", base, skipped);
                return false;
            }
        }

        @Override
        public SearchResult next() throws NamingException {
            if (!hasMore()) {
                throw new NoSuchElementException("no more search results");
            }
            return delegate.next();
        }

        /** Unlike JNDI's own enumerations, a failure is thrown here rather than read as "no more". */
        @Override
        public boolean hasMoreElements() {
            try {
                return hasMore();
            } catch (NamingException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }

        @Override
        public SearchResult nextElement() {
            try {
                return next();
            } catch (NamingException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }

        @Override
        public void close() throws NamingException {
            ended = true;
            delegate.close();
        }
    }
}
