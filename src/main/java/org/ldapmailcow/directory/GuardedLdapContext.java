package org.ldapmailcow.directory;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

import javax.naming.Name;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.ReferralException;
import javax.naming.directory.SearchResult;
import javax.naming.ldap.LdapContext;
import javax.naming.ldap.LdapName;
import javax.net.ssl.SSLSocketFactory;

/**
 * The {@link LdapContext} handed to camel-ldap: it delegates every call to the JNDI context and
 * <ul>
 *   <li>runs each call with this connection's TLS socket factory installed (JNDI may reconnect inside any
 *       call), see {@link LdapTlsSocketFactory};</li>
 *   <li>wraps search results so that continuation references to AD partitions end the result normally,
 *       see {@link PartitionReferrals}, and keeps each result lean, see {@link LeanSearchResult};</li>
 *   <li>turns a referral thrown by the call itself (the server does not hold the search base) into a plain
 *       error that does not carry the JNDI environment.</li>
 * </ul>
 */
final class GuardedLdapContext implements InvocationHandler {

    private final LdapContext delegate;
    private final SSLSocketFactory tls;
    private final String uri;

    private GuardedLdapContext(LdapContext delegate, SSLSocketFactory tls, String uri) {
        this.delegate = delegate;
        this.tls = tls;
        this.uri = uri;
    }

    static LdapContext wrap(LdapContext delegate, SSLSocketFactory tls, String uri) {
        return (LdapContext) Proxy.newProxyInstance(GuardedLdapContext.class.getClassLoader(),
                new Class<?>[] {LdapContext.class}, new GuardedLdapContext(delegate, tls, uri));
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
        Object result;
        try {
            result = LdapTlsSocketFactory.using(tls, () -> method.invoke(delegate, args));
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
            return wrap(context, tls, uri);
        }
        return result;
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
