package org.ldapmailcow.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import javax.naming.directory.BasicAttributes;
import javax.naming.directory.SearchResult;

import org.ldapmailcow.demo.DemoDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DirectoryReaderTest {

    private static final String ALICE = "CN=Alice Anderson," + DemoDirectory.MAIL_USERS_OU;

    private DemoDirectory directory;
    private final DirectoryReader reader = new DirectoryReader();

    @BeforeEach
    void start() {
        directory = new DemoDirectory().seedSample().start();
    }

    @AfterEach
    void stop() {
        directory.close();
    }

    private Map<String, DirectoryUser> usersByDn(boolean binaryGuid) throws Exception {
        JndiDirectorySearch search = new JndiDirectorySearch(TestLdap.contexts(directory, binaryGuid), 500);
        return reader.users(TestLdap.userResults(search, DemoDirectory.BASE_DN)).stream()
                .collect(Collectors.toMap(DirectoryUser::dn, Function.identity()));
    }

    private static String dn(String cn) {
        return "CN=" + cn + "," + DemoDirectory.MAIL_USERS_OU;
    }

    @Test
    void mapsTheUserAttributes() throws Exception {
        DirectoryUser alice = usersByDn(true).get(ALICE);

        assertThat(alice.mail()).isEqualTo("alice@example.local");
        assertThat(alice.displayName()).isEqualTo("Alice Anderson");
        assertThat(alice.disabled()).isFalse();
        // the directory also holds an X500: and a sip: value for her; only SMTP-type values are kept
        assertThat(alice.proxyAddresses()).containsExactly("SMTP:alice@example.local",
                "smtp:alice.anderson@example.local", "smtp:a.anderson@example.local");
        assertThat(alice.objectGuid()).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    }

    @Test
    void returnsPeopleOnlyAndKeepsThoseWithoutMail() throws Exception {
        Map<String, DirectoryUser> users = usersByDn(true);

        assertThat(users.keySet()).containsExactlyInAnyOrder(DemoDirectory.BIND_DN, ALICE, dn("Bob Brown"),
                dn("Carol Clark"), dn("Dave Davis"), dn("Eve Evans"), dn("Frank Foster"), dn("Grace Green"),
                dn("Heidi Müller-Hill"), dn("Ivan Ivanov"), dn("Judy Jones"));
        assertThat(users.get(dn("Frank Foster")).mail()).isNull();
        assertThat(users.get(dn("Dave Davis")).proxyAddresses()).isEmpty();
    }

    @Test
    void keepsTheDirectorySpelling() throws Exception {
        Map<String, DirectoryUser> users = usersByDn(true);

        // mail alone is normalised, to the spelling mailcow stores (issue 12)
        assertThat(users.get(dn("Grace Green")).mail()).isEqualTo("grace.green@example.local");
        assertThat(users.get(dn("Heidi Müller-Hill")).displayName()).isEqualTo("Heidi Müller-Hill");
        assertThat(users.get(dn("Carol Clark")).proxyAddresses()).first().isEqualTo("SMTP:carol.clark@example.local");
    }

    @Test
    void disabledIsBitTwoOfUserAccountControl() throws Exception {
        directory.setAttribute(dn("Judy Jones"), "userAccountControl", "66050");
        Map<String, DirectoryUser> users = usersByDn(true);

        assertThat(users.get(dn("Eve Evans")).disabled()).isTrue();
        assertThat(users.get(dn("Judy Jones")).disabled()).isTrue();
        assertThat(users.get(dn("Ivan Ivanov")).disabled()).isFalse();
        assertThat(users.get(ALICE).disabled()).isFalse();
    }

    @Test
    void formatsTheBinaryGuidWithAdByteOrder() throws Exception {
        byte[] guid = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e,
                (byte) 0xff};
        directory.setAttribute(ALICE, "objectGUID", guid);

        assertThat(usersByDn(true).get(ALICE).objectGuid()).isEqualTo("03020100-0504-0706-0809-0a0b0c0d0eff");
    }

    @Test
    void takesAGuidGivenAsTextAndDropsOneMangledIntoText() throws Exception {
        directory.setAttribute(ALICE, "objectGUID", "{3F2504E0-4F89-11D3-9A0C-0305E82C3301}");
        Map<String, DirectoryUser> users = usersByDn(false);

        assertThat(users.get(ALICE).objectGuid()).isEqualTo("3f2504e0-4f89-11d3-9a0c-0305e82c3301");
        assertThat(users.get(dn("Bob Brown")).objectGuid()).isNull();
        assertThat(users.get(dn("Bob Brown")).mail()).isEqualTo("bob@example.local");
    }

    @Test
    void skipsAnEntryThatCannotBeReadAndKeepsTheOthers() throws Exception {
        directory.setAttribute(dn("Bob Brown"), "userAccountControl", "enabled");
        directory.setAttribute(dn("Carol Clark"), "objectGUID", new byte[] {1, 2, 3});
        Map<String, DirectoryUser> users = usersByDn(true);

        assertThat(users).doesNotContainKeys(dn("Bob Brown"), dn("Carol Clark")).containsKeys(ALICE, dn("Dave Davis"));
        assertThat(users).hasSize(9);
    }

    @Test
    void skipsResultsWithoutAttributes() {
        SearchResult broken = new SearchResult("CN=Broken", null, null);
        broken.setNameInNamespace("CN=Broken," + DemoDirectory.MAIL_USERS_OU);
        SearchResult fine = new SearchResult("CN=Fine", null, new BasicAttributes("mail", "fine@example.local", true));
        fine.setNameInNamespace("CN=Fine," + DemoDirectory.MAIL_USERS_OU);

        List<DirectoryUser> users = reader.users(List.of(broken, fine));

        assertThat(users).extracting(DirectoryUser::mail).containsExactly("fine@example.local");
    }
}
