package org.ldapmailcow.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;

class DemoDirectoryTest {

    private DemoDirectory directory;

    @BeforeEach
    void start() {
        directory = new DemoDirectory().start();
    }

    @AfterEach
    void stop() {
        directory.close();
    }

    private LDAPConnection bound() throws LDAPException {
        LDAPConnection connection = new LDAPConnection("127.0.0.1", port());
        connection.bind(directory.bindDn(), directory.bindPassword());
        return connection;
    }

    private int port() {
        return Integer.parseInt(directory.ldapUri().substring(directory.ldapUri().lastIndexOf(':') + 1));
    }

    /** The attributes of one entry by their full names (with options), as the client gets them. */
    private Map<String, Attribute> read(String dn, String... attributes) throws LDAPException {
        try (LDAPConnection connection = bound()) {
            SearchResultEntry entry = connection.searchForEntry(dn, SearchScope.BASE, "(objectClass=*)", attributes);
            Map<String, Attribute> byName = new HashMap<>();
            entry.getAttributes().forEach(attribute -> byName.put(attribute.getName(), attribute));
            return byName;
        }
    }

    @Test
    void listensOnLoopbackAndWantsABindBeforeSearching() throws LDAPException {
        assertThat(directory.ldapUri()).startsWith("ldap://127.0.0.1:");
        try (LDAPConnection anonymous = new LDAPConnection("127.0.0.1", port())) {
            assertThatThrownBy(() -> anonymous.search(directory.baseDn(), SearchScope.SUB, "(objectClass=*)"))
                    .isInstanceOfSatisfying(LDAPException.class,
                            e -> assertThat(e.getResultCode()).isEqualTo(ResultCode.INSUFFICIENT_ACCESS_RIGHTS));
        }
        try (LDAPConnection connection = bound()) {
            assertThat(connection.search(directory.baseDn(), SearchScope.SUB, "(mail=*)").getEntryCount()).isZero();
        }
    }

    @Test
    void storesEntriesTheWayActiveDirectoryShowsThem() throws LDAPException {
        String dn = directory.addUser("Jane Doe", "jane@example.local", "Jane Doe", 512, "SMTP:jane@example.local");

        Map<String, Attribute> jane = read(dn, "*");

        assertThat(dn).isEqualTo("CN=Jane Doe,OU=Mail Users,DC=example,DC=local");
        assertThat(jane.get("distinguishedName").getValue()).isEqualTo(dn);
        assertThat(jane.get("objectClass").getValues()).contains("user", "person");
        assertThat(jane.get("objectCategory").getValue()).isEqualTo("person");
        assertThat(jane.get("sAMAccountName").getValue()).isEqualTo("jane");
        assertThat(jane.get("userAccountControl").getValue()).isEqualTo("512");
        assertThat(jane.get("objectGUID").getValueByteArray()).hasSize(16);
    }

    @Test
    void servesLargeMemberListsInRangesOfFifteenHundred() throws LDAPException {
        List<String> members = directory.addUsers(3100, "r");
        String group = directory.addGroup("Ranged", "ranged@example.local", members);

        Map<String, Attribute> first = read(group);
        assertThat(first.get("member").getValues()).isEmpty();
        assertThat(first.get("member;range=0-1499").getValues()).containsExactlyElementsOf(members.subList(0, 1500));

        Map<String, Attribute> second = read(group, "member;range=1500-*");
        assertThat(second).containsOnlyKeys("member;range=1500-2999");
        assertThat(second.get("member;range=1500-2999").getValues())
                .containsExactlyElementsOf(members.subList(1500, 3000));

        Map<String, Attribute> last = read(group, "member;range=3000-*");
        assertThat(last.get("member;range=3000-*").getValues()).containsExactlyElementsOf(members.subList(3000, 3100));

        Map<String, Attribute> bounded = read(group, "member;range=10-19");
        assertThat(bounded.get("member;range=10-19").getValues()).containsExactlyElementsOf(members.subList(10, 20));
    }

    @Test
    void leavesSmallMemberListsWhole() throws LDAPException {
        List<String> members = directory.addUsers(1500, "s");
        String group = directory.addGroup("Small", "small@example.local", members);

        assertThat(read(group, "member")).containsOnlyKeys("member");
        assertThat(read(group, "member").get("member").getValues()).hasSize(1500);
        assertThat(read(group, "member;range=0-*").get("member;range=0-*").getValues()).hasSize(1500);
    }

    @Test
    void countsSearchRequests() throws LDAPException {
        directory.resetSearchCount();
        read(directory.bindDn());
        read(directory.bindDn());

        assertThat(directory.searchCount()).isEqualTo(2);
        directory.resetSearchCount();
        assertThat(directory.searchCount()).isZero();
    }

    @Test
    void seedsTheSampleOfTheTestDomainController() throws LDAPException {
        directory.seedSample();

        try (LDAPConnection connection = bound()) {
            List<String> mails = new ArrayList<>();
            connection.search(directory.baseDn(), SearchScope.SUB,
                    "(&(objectClass=user)(objectCategory=person)(mail=*))", "mail")
                    .getSearchEntries().forEach(entry -> mails.add(entry.getAttributeValue("mail")));
            Collections.sort(mails);
            assertThat(mails).containsExactly("Grace.Green@Example.Local", "alice@example.local", "bob@example.local",
                    "carol@example.local", "dave@example.local", "eve@example.local", "heidi.mueller@example.local",
                    "ivan@example.local", "judy@example.local");
            assertThat(connection.search(directory.baseDn(), SearchScope.SUB, "(&(objectClass=group)(mail=*))")
                    .getEntryCount()).isEqualTo(5);
            assertThat(connection.getEntry("CN=Eve Evans,OU=Mail Users,DC=example,DC=local")
                    .getAttributeValue("userAccountControl")).isEqualTo("514");
        }
    }

    @Test
    void changesAndDeletesEntries() throws LDAPException {
        String dn = directory.addUser("Temp", "temp@example.local", "Temp", 512);

        directory.setAttribute(dn, "displayName", "Renamed");
        directory.setAttribute(dn, "proxyAddresses");
        assertThat(read(dn, "displayName").get("displayName").getValue()).isEqualTo("Renamed");
        directory.delete(dn);
        assertThat(directory.server().getEntry(dn)).isNull();
    }
}
