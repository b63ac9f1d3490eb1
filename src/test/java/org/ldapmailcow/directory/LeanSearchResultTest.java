package org.ldapmailcow.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import javax.naming.directory.BasicAttribute;
import javax.naming.directory.BasicAttributes;
import javax.naming.directory.SearchResult;

import org.ldapmailcow.demo.DemoDirectory;
import org.junit.jupiter.api.Test;

class LeanSearchResultTest {

    private static SearchResult entry(String dn) {
        BasicAttributes attributes = new BasicAttributes(true);
        attributes.put("mail", "ada@example.local");
        BasicAttribute proxies = new BasicAttribute("proxyAddresses");
        proxies.add("SMTP:ada@example.local");
        proxies.add("smtp:a.lovelace@example.local");
        proxies.add("X500:/o=Org/cn=ada");
        attributes.put(proxies);
        attributes.put("objectGUID", new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
        BasicAttribute range = new BasicAttribute("member;range=0-1499");
        range.add("CN=One,DC=example,DC=local");
        range.add("CN=Two,DC=example,DC=local");
        attributes.put(range);
        SearchResult result = new SearchResult("CN=Ada", null, attributes);
        result.setNameInNamespace(dn);
        return result;
    }

    @Test
    void keepsTheFullDnAndEveryValueInOrder() throws Exception {
        String dn = "CN=Ada Lovelace,OU=Staff,DC=example,DC=local";
        SearchResult lean = LeanSearchResult.of(entry(dn));

        assertThat(lean.getNameInNamespace()).isEqualTo(dn);
        assertThat(EntryAttributes.dn(lean)).isEqualTo(dn);
        assertThat(EntryAttributes.first(lean.getAttributes(), "MAIL")).isEqualTo("ada@example.local");
        assertThat(EntryAttributes.all(lean.getAttributes(), "proxyaddresses"))
                .containsExactly("SMTP:ada@example.local", "smtp:a.lovelace@example.local", "X500:/o=Org/cn=ada");
        assertThat((byte[]) EntryAttributes.firstValue(lean.getAttributes(), "objectGUID")).hasSize(16).startsWith(1, 2);
        assertThat(EntryAttributes.withOptions(lean.getAttributes(), "member")).singleElement()
                .satisfies(a -> {
                    assertThat(a.getID()).isEqualTo("member;range=0-1499");
                    assertThat(EntryAttributes.values(a)).hasSize(2);
                });
    }

    @Test
    void readsTheSameUsersAsTheFullResults() throws Exception {
        try (DemoDirectory directory = new DemoDirectory().seedSample().start()) {
            JndiDirectorySearch search = new JndiDirectorySearch(TestLdap.contexts(directory, true), 500);
            List<SearchResult> full = TestLdap.userResults(search, DemoDirectory.BASE_DN);
            List<SearchResult> lean = new java.util.ArrayList<>();
            for (SearchResult result : full) {
                lean.add(LeanSearchResult.of(result));
            }

            assertThat(new DirectoryReader().users(lean)).isNotEmpty()
                    .isEqualTo(new DirectoryReader().users(full));
        }
    }
}
