package org.ldapmailcow.ldap;

import java.util.List;
import java.util.function.Supplier;

import javax.naming.directory.SearchResult;
import javax.naming.ldap.LdapContext;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.ldapmailcow.directory.DirectoryType;

/** A started Camel context with a context supplier bound the production way, for searches via camel-ldap. */
final class CamelLdap implements AutoCloseable {

    static final String PERSON = "(&(objectClass=user)(objectCategory=person))";
    static final String ATTRIBUTES = String.join(",", DirectoryType.AD.userAttributes());

    private final CamelContext camel;
    private final ProducerTemplate template;

    private CamelLdap(Supplier<LdapContext> supplier) {
        camel = new DefaultCamelContext();
        camel.getRegistry().bindAsPrototype("ldapContext", LdapContext.class, supplier::get);
        camel.start();
        template = camel.createProducerTemplate();
    }

    static CamelLdap start(Supplier<LdapContext> supplier) {
        return new CamelLdap(supplier);
    }

    /** A paged subtree search through the ldap component; the body is the filter. */
    @SuppressWarnings("unchecked")
    List<SearchResult> search(String base, String filter, int pageSize) {
        String uri = "ldap:ldapContext?base=RAW(" + base + ")&pageSize=" + pageSize
                + "&returnedAttributes=" + ATTRIBUTES;
        return template.requestBody(uri, filter, List.class);
    }

    @Override
    public void close() {
        camel.stop();
    }
}
