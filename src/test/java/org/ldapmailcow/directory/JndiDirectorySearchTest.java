package org.ldapmailcow.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;

import javax.naming.NamingEnumeration;
import javax.naming.SizeLimitExceededException;
import javax.naming.directory.SearchControls;
import javax.naming.directory.SearchResult;
import javax.naming.ldap.LdapContext;

import org.ldapmailcow.demo.DemoDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JndiDirectorySearchTest {

    private static DemoDirectory directory;

    @BeforeAll
    static void start() {
        directory = new DemoDirectory().start();
        directory.addUsers(2500, "paged");
    }

    @AfterAll
    static void stop() {
        directory.close();
    }

    @Test
    void pagesThroughMoreEntriesThanTheServerHandsOutAtOnce() throws Exception {
        JndiDirectorySearch search = TestLdap.search(directory);
        directory.resetSearchCount();

        List<SearchResult> results = search.search(DemoDirectory.BULK_OU, DirectorySearch.SUBTREE,
                "(&(objectClass=user)(objectCategory=person))", "mail");

        assertThat(results).hasSize(2500);
        assertThat(results).extracting(EntryAttributes::dn).doesNotHaveDuplicates()
                .contains("CN=paged00001," + DemoDirectory.BULK_OU, "CN=paged02500," + DemoDirectory.BULK_OU);
        assertThat(search.searchCount()).isEqualTo(1);
        assertThat(search.requestCount()).isBetween(5, 6).isEqualTo(directory.searchCount());
        assertThat(new DirectoryReader().users(results)).hasSize(2500);
    }

    @Test
    void anUnpagedSearchStopsAtTheSizeLimitLikeActiveDirectory() throws Exception {
        LdapContext ctx = TestLdap.contexts(directory, true).get();
        try {
            SearchControls controls = new SearchControls();
            controls.setSearchScope(SearchControls.SUBTREE_SCOPE);
            NamingEnumeration<SearchResult> results = ctx.search(DemoDirectory.BULK_OU,
                    "(&(objectClass=user)(objectCategory=person))", controls);

            assertThatThrownBy(() -> {
                while (results.hasMore()) {
                    results.next();
                }
            }).isInstanceOf(SizeLimitExceededException.class);
        } finally {
            ctx.close();
        }
    }

    @Test
    void searchesOneEntryByADnWithCharactersJndiWouldReadAsACompositeName() throws Exception {
        String dn = directory.addUser("Slash / \"Quote\" Doe", "slash@example.local", "Slash",
                DemoDirectory.NORMAL_ACCOUNT);
        JndiDirectorySearch search = TestLdap.search(directory);

        List<SearchResult> results = search.search(dn, DirectorySearch.OBJECT, "(objectClass=*)", "mail");

        assertThat(results).singleElement().extracting(EntryAttributes::dn).isEqualTo(dn);
    }

    @Test
    void closesEveryContextItOpens() throws Exception {
        int[] open = {0};
        JndiDirectorySearch search = new JndiDirectorySearch(() -> {
            LdapContext real = TestLdap.contexts(directory, true).get();
            open[0]++;
            return (LdapContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {LdapContext.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("close")) {
                            open[0]--;
                        }
                        try {
                            return method.invoke(real, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }, 100);

        search.search(DemoDirectory.BULK_OU, DirectorySearch.ONE_LEVEL, "(mail=paged0000*)", "mail");
        search.search(DemoDirectory.BULK_OU, DirectorySearch.ONE_LEVEL, "(mail=paged0001*)", "mail");

        assertThat(open[0]).isZero();
        assertThat(search.searchCount()).isEqualTo(2);
    }
}
