package org.ldapmailcow.directory;

import java.util.Hashtable;
import java.util.function.Supplier;

import javax.naming.Context;
import javax.naming.NamingException;
import javax.naming.ldap.InitialLdapContext;
import javax.naming.ldap.LdapContext;

import org.apache.camel.RuntimeCamelException;
import org.ldapmailcow.config.Settings;
import org.ldapmailcow.sync.Secrets;

/** Fresh JNDI contexts to the directory: simple bind, timeouts, binary GUIDs. */
public final class LdapContexts {

    private LdapContexts() {
    }

    public static Supplier<LdapContext> supplier(Settings settings) {
        Hashtable<String, Object> env = new Hashtable<>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.ldap.LdapCtxFactory");
        env.put(Context.PROVIDER_URL, settings.ldapUri);
        env.put(Context.SECURITY_AUTHENTICATION, "simple");
        env.put(Context.SECURITY_PRINCIPAL, settings.bindDn);
        env.put(Context.SECURITY_CREDENTIALS, settings.bindPassword());
        env.put(Context.REFERRAL, "ignore");
        env.put("com.sun.jndi.ldap.connect.timeout", Long.toString(settings.ldapConnectTimeout.toMillis()));
        env.put("com.sun.jndi.ldap.read.timeout", Long.toString(settings.ldapReadTimeout.toMillis()));
        env.put("java.naming.ldap.attributes.binary", "objectGUID objectSid");
        return () -> {
            try {
                return new InitialLdapContext(env, null);
            } catch (NamingException e) {
                throw new RuntimeCamelException("Cannot connect to the directory at " + settings.ldapUri + ": "
                        + Secrets.safeMessage(e), e);
            }
        };
    }
}
