package org.ldapmailcow.it;

import java.util.Hashtable;
import java.util.List;

import javax.naming.Context;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.BasicAttribute;
import javax.naming.directory.BasicAttributes;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;
import javax.naming.directory.ModificationItem;
import javax.naming.directory.SearchControls;
import javax.naming.directory.SearchResult;

import org.ldapmailcow.adtest.AdDc;

/** Changes made in the Samba AD DC as an administrator would, for tests that follow directory changes. */
final class AdAdmin implements AutoCloseable {

    private final DirContext ctx;

    AdAdmin(AdDc dc) throws NamingException {
        Hashtable<String, Object> env = new Hashtable<>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.ldap.LdapCtxFactory");
        env.put(Context.PROVIDER_URL, dc.ldapUri());
        env.put(Context.SECURITY_AUTHENTICATION, "simple");
        env.put(Context.SECURITY_PRINCIPAL, dc.adminDn());
        env.put(Context.SECURITY_CREDENTIALS, dc.adminPassword());
        ctx = new InitialDirContext(env);
    }

    void addOu(String dn) throws NamingException {
        BasicAttributes attrs = new BasicAttributes(true);
        attrs.put(values("objectClass", "top", "organizationalUnit"));
        ctx.createSubcontext(dn, attrs).close();
    }

    /** An enabled account without a password (PASSWD_NOTREQD), as bulk.sh makes them. */
    String addUser(String ou, String account, String mail, String displayName, String... proxyAddresses)
            throws NamingException {
        String dn = "CN=" + account + "," + ou;
        BasicAttributes attrs = new BasicAttributes(true);
        attrs.put(values("objectClass", "top", "person", "organizationalPerson", "user"));
        attrs.put("sAMAccountName", account);
        attrs.put("userAccountControl", "544");
        attrs.put("mail", mail);
        attrs.put("displayName", displayName);
        if (proxyAddresses.length > 0) {
            attrs.put(values("proxyAddresses", proxyAddresses));
        }
        ctx.createSubcontext(dn, attrs).close();
        return dn;
    }

    String addGroup(String ou, String name, String mail, List<String> members) throws NamingException {
        String dn = "CN=" + name + "," + ou;
        BasicAttributes attrs = new BasicAttributes(true);
        attrs.put(values("objectClass", "top", "group"));
        attrs.put("sAMAccountName", name.replace(' ', '-'));
        attrs.put("groupType", "8");
        if (mail != null) {
            attrs.put("mail", mail);
        }
        if (!members.isEmpty()) {
            attrs.put(values("member", members.toArray(String[]::new)));
        }
        ctx.createSubcontext(dn, attrs).close();
        return dn;
    }

    void replace(String dn, String attribute, String... newValues) throws NamingException {
        ctx.modifyAttributes(dn, new ModificationItem[] {
            new ModificationItem(DirContext.REPLACE_ATTRIBUTE, values(attribute, newValues))});
    }

    /** Moves or renames an entry (its objectGUID stays); returns the new DN. */
    String move(String dn, String newDn) throws NamingException {
        ctx.rename(dn, newDn);
        return newDn;
    }

    void delete(String dn) throws NamingException {
        ctx.destroySubcontext(dn);
    }

    /** Deletes an OU and everything below it, leaves first; nothing when it does not exist. */
    void deleteTree(String dn) throws NamingException {
        SearchControls controls = new SearchControls();
        controls.setSearchScope(SearchControls.ONELEVEL_SCOPE);
        controls.setReturningAttributes(new String[0]);
        try {
            NamingEnumeration<SearchResult> children = ctx.search(dn, "(objectClass=*)", controls);
            List<String> dns = new java.util.ArrayList<>();
            while (children.hasMore()) {
                dns.add(children.next().getNameInNamespace());
            }
            for (String child : dns) {
                deleteTree(child);
            }
            ctx.destroySubcontext(dn);
        } catch (javax.naming.NameNotFoundException e) {
            // already gone
        }
    }

    private static BasicAttribute values(String name, String... values) {
        BasicAttribute attribute = new BasicAttribute(name);
        for (String v : values) {
            attribute.add(v);
        }
        return attribute;
    }

    @Override
    public void close() throws NamingException {
        ctx.close();
    }
}
