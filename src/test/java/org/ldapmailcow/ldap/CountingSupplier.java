package org.ldapmailcow.ldap;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import javax.naming.ldap.LdapContext;

/** Counts the contexts a supplier hands out, their searches (= pages) and how many were closed. */
final class CountingSupplier implements Supplier<LdapContext> {

    private final Supplier<LdapContext> delegate;
    final AtomicInteger opened = new AtomicInteger();
    final AtomicInteger searches = new AtomicInteger();
    final AtomicInteger closed = new AtomicInteger();

    CountingSupplier(Supplier<LdapContext> delegate) {
        this.delegate = delegate;
    }

    @Override
    public LdapContext get() {
        LdapContext context = delegate.get();
        opened.incrementAndGet();
        return (LdapContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {LdapContext.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("search")) {
                        searches.incrementAndGet();
                    } else if (method.getName().equals("close")) {
                        closed.incrementAndGet();
                    }
                    try {
                        return method.invoke(context, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
