package org.ldapmailcow.ldap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.ldapmailcow.ldap.TestSettings.BASE;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.PartialResultException;
import javax.naming.SizeLimitExceededException;
import javax.naming.directory.SearchControls;
import javax.naming.directory.SearchResult;
import javax.naming.ldap.LdapContext;
import javax.naming.ldap.LdapName;

import org.apache.camel.CamelExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSearchRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor;
import com.unboundid.ldap.sdk.Control;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.SearchResultReference;

/**
 * Continuation references, through camel-ldap's paged search, against an in-memory directory that sends the
 * references AD sends for a domain-root search (ahead of the entries, on every page).
 */
class PartitionReferralsTest {

    static final String CONFIGURATION = "ldap://example.local/CN=Configuration,DC=example,DC=local";
    static final String DOMAIN_DNS = "ldap://DomainDnsZones.example.local/DC=DomainDnsZones,DC=example,DC=local";
    static final String FOREST_DNS = "ldap://ForestDnsZones.example.local/DC=ForestDnsZones,DC=example,DC=local";
    static final String CHILD_DOMAIN = "ldap://child.example.local/DC=child,DC=example,DC=local";
    private static final String OU = "OU=Mail Users," + BASE;
    private static final int USERS = 25;

    private final List<String> references = new CopyOnWriteArrayList<>();
    private InMemoryDirectoryServer server;
    private LdapContextFactory factory;

    @BeforeEach
    void startDirectory() throws Exception {
        InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE);
        config.setSchema(null);
        config.addAdditionalBindCredentials(TestSettings.BIND_DN, TestSettings.BIND_PASSWORD);
        config.addInMemoryOperationInterceptor(new InMemoryOperationInterceptor() {
            @Override
            public void processSearchRequest(InMemoryInterceptedSearchRequest request) throws LDAPException {
                for (String url : references) {
                    request.sendSearchReference(new SearchResultReference(new String[] {url}, new Control[0]));
                }
            }
        });
        server = new InMemoryDirectoryServer(config);
        server.add("dn: " + BASE, "objectClass: domain", "dc: example");
        server.add("dn: " + OU, "objectClass: organizationalUnit", "ou: Mail Users");
        for (int i = 0; i < USERS; i++) {
            server.add("dn: CN=User " + i + "," + OU, "objectClass: user", "objectCategory: person",
                    "mail: user" + i + "@example.local");
        }
        server.startListening();
        factory = LdapContextFactory.create(TestSettings.of("ldap://127.0.0.1:" + server.getListenPort()));
    }

    @AfterEach
    void stopDirectory() {
        server.shutDown(true);
    }

    @Test
    void partitionReferencesOnEveryPageLoseNoEntryAndNoPage() {
        references.addAll(List.of(CONFIGURATION, DOMAIN_DNS, FOREST_DNS));
        CountingSupplier contexts = new CountingSupplier(factory);
        List<SearchResult> results;
        try (CamelLdap camel = CamelLdap.start(contexts)) {
            results = camel.search(BASE, CamelLdap.PERSON, 10);
        }
        assertThat(mails(results)).hasSize(USERS).contains("user0@example.local", "user24@example.local");
        assertThat(contexts.searches.get()).isEqualTo(3);
    }

    @ParameterizedTest(name = "foreign reference at position {0}")
    @ValueSource(ints = {0, 1, 3})
    void anyOtherReferenceFailsTheSearchAndIsNamed(int position) {
        references.addAll(List.of(CONFIGURATION, DOMAIN_DNS, FOREST_DNS));
        references.add(position, CHILD_DOMAIN);
        Throwable failure;
        try (CamelLdap camel = CamelLdap.start(factory)) {
            failure = catchThrowable(() -> camel.search(BASE, CamelLdap.PERSON, 10));
        }
        assertThat(failure).isInstanceOf(CamelExecutionException.class)
                .cause().isInstanceOf(PartialResultException.class)
                .hasMessageContaining(CHILD_DOMAIN)
                .message().doesNotContain("Configuration");
    }

    @Test
    void aPartitionReferenceOutsideTheSearchBaseFailsTheSearch() {
        references.add(CONFIGURATION);
        Throwable failure;
        try (CamelLdap camel = CamelLdap.start(factory)) {
            failure = catchThrowable(() -> camel.search(OU, CamelLdap.PERSON, 10));
        }
        assertThat(failure).cause().isInstanceOf(PartialResultException.class).hasMessageContaining(CONFIGURATION);
    }

    @Test
    void aSizeLimitIsNotHiddenBehindPartitionReferences() throws Exception {
        references.addAll(List.of(CONFIGURATION, DOMAIN_DNS, FOREST_DNS));
        LdapContext context = factory.get();
        try {
            SearchControls controls = new SearchControls();
            controls.setSearchScope(SearchControls.SUBTREE_SCOPE);
            controls.setCountLimit(5);
            NamingEnumeration<SearchResult> results = context.search(BASE, CamelLdap.PERSON, controls);
            List<SearchResult> read = new ArrayList<>();
            assertThatThrownBy(() -> {
                while (results.hasMore()) {
                    read.add(results.next());
                }
            }).isInstanceOf(SizeLimitExceededException.class);
            assertThat(read).hasSize(5);
        } finally {
            context.close();
        }
    }

    @Test
    void aReferralForTheSearchBaseItselfFailsTheSearch() throws Exception {
        server.add("dn: OU=Elsewhere," + BASE, "objectClass: referral", "objectClass: extensibleObject",
                "ref: ldap://other.example.local/OU=Elsewhere,DC=example,DC=local");
        Throwable failure;
        try (CamelLdap camel = CamelLdap.start(factory)) {
            failure = catchThrowable(() -> camel.search("OU=Elsewhere," + BASE, CamelLdap.PERSON, 10));
        }
        assertThat(failure).isInstanceOf(CamelExecutionException.class)
                .cause().hasMessageContaining("was referred to ldap://other.example.local/OU=Elsewhere");
    }

    @ParameterizedTest(name = "{0} under {1} -> {2}")
    @CsvSource(delimiter = ';', value = {
        "ldap://example.local/CN=Configuration,DC=example,DC=local; DC=example,DC=local; true",
        "ldap://example.local/CN=Schema,CN=Configuration,DC=example,DC=local; DC=example,DC=local; true",
        "ldap://DomainDnsZones.example.local/DC=DomainDnsZones,DC=example,DC=local; DC=example,DC=local; true",
        "ldap://ForestDnsZones.example.local/DC=ForestDnsZones,DC=example,DC=local; DC=example,DC=local; true",
        "ldap://example.local/cn=configuration,dc=EXAMPLE,dc=local??base; DC=example,DC=local; true",
        "ldap://example.local/CN=Configuration,DC=example,DC=local; ''; true",
        "ldap://child.example.local/DC=child,DC=example,DC=local; DC=example,DC=local; false",
        "ldap://example.local/OU=Configuration,DC=example,DC=local; DC=example,DC=local; false",
        "ldap://example.local/CN=Configuration,OU=Staff,DC=example,DC=local; DC=example,DC=local; false",
        "ldap://example.local/CN=Configuration,DC=example,DC=local; OU=Mail Users,DC=example,DC=local; false",
        "ldap://example.local/CN=Configuration,DC=other,DC=com; DC=example,DC=local; false",
        "ldap://example.local/DC=example,DC=local; DC=example,DC=local; false",
        "ldap://example.local/CN=Configuration; ''; false",
        "ldap://example.local/; DC=example,DC=local; false",
        "http://example.local/CN=Configuration,DC=example,DC=local; DC=example,DC=local; false",
        "not a url; DC=example,DC=local; false",
    })
    void whichReferencesArePartitionReferences(String url, String base, boolean expected) throws Exception {
        assertThat(PartitionReferrals.isPartitionReference(url, new LdapName(base))).isEqualTo(expected);
    }

    private static Set<String> mails(List<SearchResult> results) {
        return results.stream().map(r -> {
            try {
                return r.getAttributes().get("mail").get().toString();
            } catch (NamingException e) {
                throw new IllegalStateException(e);
            }
        }).collect(Collectors.toSet());
    }
}
