package org.ldapmailcow.ldap;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

import javax.naming.LimitExceededException;
import javax.naming.Name;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.ReferralException;
import javax.naming.SizeLimitExceededException;
import javax.naming.directory.SearchResult;
import javax.naming.ldap.Control;
import javax.naming.ldap.LdapContext;
import javax.naming.ldap.LdapName;
import javax.net.ssl.SSLSocketFactory;

import org.ldapmailcow.directory.LeanSearchResult;

/**
 * The {@link LdapContext} handed to camel-ldap: it delegates every call to the JNDI context and
 * <ul>
 *   <li>runs each call with this connection's TLS socket factory installed (JNDI may reconnect inside any
 *       call), see {@link LdapTlsSocketFactory};</li>
 *   <li>wraps search results so that continuation references to AD partitions end the result normally,
 *       see {@link PartitionReferrals}, and keeps each result lean, see {@link LeanSearchResult};</li>
 *   <li>keeps the page size of paged searches within what the server accepts, see {@link PageSizeCap};</li>
 *   <li>turns a referral thrown by the call itself (the server does not hold the search base) into a plain
 *       error that does not carry the JNDI environment.</li>
 * </ul>
 */
final class GuardedLdapContext implements InvocationHandler {

    private final LdapContext delegate;
    private final SSLSocketFactory tls;
    private final String uri;
    private final PageSizeCap pageSizes;

    private GuardedLdapContext(LdapContext delegate, SSLSocketFactory tls, String uri, PageSizeCap pageSizes) {
        this.delegate = delegate;
        this.tls = tls;
        this.uri = uri;
        this.pageSizes = pageSizes;
    }

    static LdapContext wrap(LdapContext delegate, SSLSocketFactory tls, String uri) {
        return wrap(delegate, tls, uri, new PageSizeCap());
    }

    static LdapContext wrap(LdapContext delegate, SSLSocketFactory tls, String uri, PageSizeCap pageSizes) {
        return (LdapContext) Proxy.newProxyInstance(GuardedLdapContext.class.getClassLoader(),
                new Class<?>[] {LdapContext.class}, new GuardedLdapContext(delegate, tls, uri, pageSizes));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
                case "equals" -> proxy == args[0];
                case "hashCode" -> System.identityHashCode(proxy);
                default -> "LdapContext[" + uri + "]";
            };
        }
        Object[] arguments = args;
        if (method.getName().equals("setRequestControls") && args != null && args[0] instanceof Control[] controls) {
            arguments = new Object[] {pageSizes.capped(controls)};
        }
        Object result;
        try {
            result = method.getName().equals("search") ? searchWithinPageLimit(method, arguments)
                    : call(method, arguments);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ReferralException referral) {
                Object target = referral.getReferralInfo();
                throw new NamingException(method.getName() + " on " + uri + " was referred to " + target
                        + " (the server does not hold that entry); referrals are not followed");
            }
            throw cause;
        }
        if (method.getName().equals("search") && result instanceof NamingEnumeration<?>) {
            @SuppressWarnings("unchecked")
            NamingEnumeration<SearchResult> results = (NamingEnumeration<SearchResult>) result;
            return LeanSearchResult.each(new PartitionReferrals.Enumeration(results, absoluteBase(args[0])));
        }
        if (method.getName().equals("newInstance") && result instanceof LdapContext context) {
            return wrap(context, tls, uri, pageSizes);
        }
        return result;
    }

    private Object call(Method method, Object[] args) throws Exception {
        return LdapTlsSocketFactory.using(tls, () -> method.invoke(delegate, args));
    }

    /**
     * The search; when the server refuses the first page for its size (adminLimitExceeded, which JNDI reports at
     * the first {@code hasMore}; a size limit hit is {@link SizeLimitExceededException} and not retried), again
     * with a smaller page.
     */
    private Object searchWithinPageLimit(Method method, Object[] args) throws Exception {
        while (true) {
            Object result = call(method, args);
            if (!(result instanceof NamingEnumeration<?>)) {
                return result;
            }
            @SuppressWarnings("unchecked")
            NamingEnumeration<Object> results = (NamingEnumeration<Object>) result;
            try {
                results.hasMore();
                return result;
            } catch (LimitExceededException e) {
                Control[] controls = delegate.getRequestControls();
                if (e instanceof SizeLimitExceededException || !PageSizeCap.firstPage(controls)
                        || !pageSizes.lower(PageSizeCap.pageSize(controls))) {
                    return new Replayed<>(results, e);
                }
                results.close();
                delegate.setRequestControls(pageSizes.capped(controls));
            } catch (NamingException e) {
                return new Replayed<>(results, e);
            }
        }
    }

    /**
     * The search result whose first {@code hasMore} was called ahead and threw: the first call throws that again,
     * later calls go on with the result, so the caller sees the sequence it would have seen (referrals included).
     */
    private static final class Replayed<T> implements NamingEnumeration<T> {

        private final NamingEnumeration<T> results;
        private NamingException pending;

        Replayed(NamingEnumeration<T> results, NamingException pending) {
            this.results = results;
            this.pending = pending;
        }

        private void replay() throws NamingException {
            if (pending != null) {
                NamingException failure = pending;
                pending = null;
                throw failure;
            }
        }

        @Override
        public T next() throws NamingException {
            replay();
            return results.next();
        }

        @Override
        public boolean hasMore() throws NamingException {
            replay();
            return results.hasMore();
        }

        @Override
        public void close() throws NamingException {
            results.close();
        }

        @Override
        public boolean hasMoreElements() {
            if (pending != null) {
                return false;
            }
            return results.hasMoreElements();
        }

        @Override
        public T nextElement() {
            if (pending != null) {
                throw new java.util.NoSuchElementException(pending.getMessage());
            }
            return results.nextElement();
        }
    }

    /** The search base as a full DN (relative to the DN in the provider URL, if any). */
    private LdapName absoluteBase(Object base) throws NamingException {
        LdapName full = new LdapName(delegate.getNameInNamespace());
        if (base instanceof Name name) {
            full.addAll(name);
        } else if (base != null && !base.toString().isEmpty()) {
            full.addAll(new LdapName(base.toString()));
        }
        return full;
    }
}
