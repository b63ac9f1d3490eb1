package org.ldapmailcow.demo;

import static org.ldapmailcow.demo.DemoDirectory.DISABLED_ACCOUNT;
import static org.ldapmailcow.demo.DemoDirectory.MAIL_USERS_OU;
import static org.ldapmailcow.demo.DemoDirectory.NORMAL_ACCOUNT;

import java.util.List;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;

/**
 * The demo's people and lists, after the {@code ad-test-dc} fixture: Exchange-style proxy addresses, a primary
 * address that differs from mail, a disabled account, one without mail, a UTF-8 name, a mixed-case address,
 * nested distribution groups (All Staff ⊃ Sales Team ⊃ Sales EMEA), a security group with a disabled member, an
 * empty list, and groups without mail. Also a contact and a computer, which the user filter must not return.
 */
final class SampleDirectory {

    private static final String D = "@" + DemoDirectory.DOMAIN;
    private static final String X500 =
            "X500:/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=";

    private SampleDirectory() {
    }

    static void seed(DemoDirectory directory) {
        String alice = directory.addUser("Alice Anderson", "alice" + D, "Alice Anderson", NORMAL_ACCOUNT,
                "SMTP:alice" + D, "smtp:alice.anderson" + D, "smtp:a.anderson" + D, X500 + "alice", "sip:alice" + D);
        String bob = directory.addUser("Bob Brown", "bob" + D, "Bob Brown", NORMAL_ACCOUNT,
                "SMTP:bob" + D, "smtp:bobby" + D, "smtp:bob@example.org", "SIP:bob" + D,
                "X400:c=US;a= ;p=Example;o=Exchange;s=Brown;g=Bob;", X500 + "bob");
        String carol = directory.addUser("Carol Clark", "carol" + D, "Carol Clark", NORMAL_ACCOUNT,
                "SMTP:carol.clark" + D, "smtp:carol" + D);
        String dave = directory.addUser("Dave Davis", "dave" + D, "Dave Davis", NORMAL_ACCOUNT);
        String eve = directory.addUser("Eve Evans", "eve" + D, "Eve Evans", DISABLED_ACCOUNT,
                "SMTP:eve" + D, "smtp:eve.evans" + D);
        String frank = directory.addUser("Frank Foster", null, "Frank Foster", NORMAL_ACCOUNT);
        String grace = directory.addUser("Grace Green", "Grace.Green@Example.Local", "Grace Green", NORMAL_ACCOUNT,
                "SMTP:Grace.Green@Example.Local", "smtp:GGreen" + D);
        String heidi = directory.addUser("Heidi Müller-Hill", "heidi.mueller" + D, "Heidi Müller-Hill",
                NORMAL_ACCOUNT, "SMTP:heidi.mueller" + D, "smtp:heidi" + D);
        String ivan = directory.addUser("Ivan Ivanov", "ivan" + D, "Ivan Ivanov", 66048,
                "SMTP:ivan" + D, "smtp:ivan@example.org");
        String judy = directory.addUser("Judy Jones", "judy" + D, "Judy Jones", NORMAL_ACCOUNT, "SMTP:judy" + D);
        directory.setAttribute(judy, "accountExpires", "132223104000000000"); // expired 2020-01-01, not disabled

        String salesEmea = directory.addGroup("Sales EMEA", "sales-emea" + D, List.of(ivan), "SMTP:sales-emea" + D);
        String sales = directory.addGroup("Sales Team", "sales" + D, List.of(carol, dave, salesEmea),
                "SMTP:sales" + D, "smtp:vertrieb" + D, X500 + "sales");
        directory.addGroup("All Staff", "allstaff" + D, List.of(alice, bob, frank, sales),
                "SMTP:allstaff" + D, "smtp:everyone" + D);
        String support = directory.addGroup("Support", "support" + D, List.of(grace, heidi, eve),
                "SMTP:support" + D, "smtp:helpdesk" + D);
        directory.setAttribute(support, "groupType", "-2147483640"); // universal security, mail-enabled
        directory.addGroup("Empty List", "empty" + D, List.of());
        String noMail = directory.addGroup("No Mail Group", null, List.of(alice));
        directory.setAttribute(noMail, "groupType", "-2147483646");
        String mailEnabled = directory.addGroup("MailEnabled", null, List.of(alice, bob, eve, frank, judy, sales));
        directory.setAttribute(mailEnabled, "groupType", "-2147483640");

        String partner = DemoDirectory.dn("External Partner", MAIL_USERS_OU);
        directory.add(new Entry(partner,
                new Attribute("objectClass", "top", "person", "organizationalPerson", "contact"),
                new Attribute("objectCategory", "person"), new Attribute("distinguishedName", partner),
                new Attribute("displayName", "External Partner"), new Attribute("mail", "partner@partner.example.com"),
                new Attribute("proxyAddresses", "SMTP:partner@partner.example.com")));
        String computer = DemoDirectory.dn("WS01", MAIL_USERS_OU);
        directory.add(new Entry(computer,
                new Attribute("objectClass", "top", "person", "organizationalPerson", "user", "computer"),
                new Attribute("objectCategory", "computer"), new Attribute("distinguishedName", computer),
                new Attribute("sAMAccountName", "WS01$"), new Attribute("userAccountControl", "4096")));
    }
}
