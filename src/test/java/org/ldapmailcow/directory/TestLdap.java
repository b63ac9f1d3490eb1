package org.ldapmailcow.directory;

import java.util.Hashtable;
import java.util.List;
import java.util.function.Supplier;

import javax.naming.Context;
import javax.naming.NamingException;
import javax.naming.directory.SearchResult;
import javax.naming.ldap.InitialLdapContext;
import javax.naming.ldap.LdapContext;

import org.ldapmailcow.config.Settings;
import org.ldapmailcow.demo.DemoDirectory;

/** JNDI access to a {@link DemoDirectory}, set up as the service does against AD. */
final class TestLdap {

    static final int PAGE_SIZE = 500;

    private TestLdap() {
    }

    static Hashtable<String, String> environment(DemoDirectory directory, boolean binaryGuid) {
        Hashtable<String, String> env = new Hashtable<>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.ldap.LdapCtxFactory");
        env.put(Context.PROVIDER_URL, directory.ldapUri());
        env.put(Context.SECURITY_AUTHENTICATION, "simple");
        env.put(Context.SECURITY_PRINCIPAL, directory.bindDn());
        env.put(Context.SECURITY_CREDENTIALS, directory.bindPassword());
        env.put(Context.REFERRAL, "ignore");
        env.put("com.sun.jndi.ldap.connect.timeout", "5000");
        env.put("com.sun.jndi.ldap.read.timeout", "10000");
        if (binaryGuid) {
            env.put("java.naming.ldap.attributes.binary", "objectGUID");
        }
        return env;
    }

    static Supplier<LdapContext> contexts(DemoDirectory directory, boolean binaryGuid) {
        Hashtable<String, String> env = environment(directory, binaryGuid);
        return () -> {
            try {
                return new InitialLdapContext(env, null);
            } catch (NamingException e) {
                throw new IllegalStateException("cannot connect to " + env.get(Context.PROVIDER_URL), e);
            }
        };
    }

    static JndiDirectorySearch search(DemoDirectory directory) {
        return new JndiDirectorySearch(contexts(directory, true), PAGE_SIZE);
    }

    /** What camel-ldap's user search would hand the reader, with the default user filter. */
    static List<SearchResult> userResults(DirectorySearch search, String base) throws NamingException {
        return search.search(base, DirectorySearch.SUBTREE, Settings.DEFAULT_USER_FILTER,
                DirectoryType.AD.userAttributes().toArray(String[]::new));
    }

    /** What camel-ldap's group search would hand the resolver, with the default group filter. */
    static List<SearchResult> groupResults(DirectorySearch search) throws NamingException {
        return search.search(DemoDirectory.BASE_DN, DirectorySearch.SUBTREE, Settings.DEFAULT_GROUP_FILTER,
                DirectoryType.AD.groupAttributes().toArray(String[]::new));
    }
}
