package org.ldapmailcow.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ldapmailcow.adtest.AdDc;
import org.ldapmailcow.adtest.AdTest;

/**
 * Which logins Dovecot accepts after the swap, with Dovecot's own filter semantics on the Samba AD DC: the rendered
 * {@code passdb.conf} is read as Dovecot reads it, its {@code base}, {@code user_filter} and {@code pass_filter}
 * expanded for a login as Dovecot expands them ({@code %u}, {@code %n}, {@code %d}, each value LDAP-escaped), and
 * the DC is searched at the rendered {@code uris} (the Global Catalog) with the rendered bind account. Dovecot
 * logs a user in only when that search finds exactly one entry (and the password binds as it).
 *
 * <p>The Python tool's file is rendered from its own template, mounted the old way, with the same compose
 * variables: every login its filter found an entry for finds the same entry now, and the mail address finds its
 * owner too; no login finds two entries.
 */
@AdTest
class DovecotLoginAdTest {

    /** Every person account of the fixture (bulk.sh's users are searched, not logged in with, for time). */
    static final String FIXTURE_PEOPLE = "(&(objectClass=user)(objectCategory=person)(!(sAMAccountName=bulk*)))";

    @TempDir
    Path tmp;
    AdDc dc;

    @BeforeEach
    void setUp(AdDc dc) {
        this.dc = dc;
    }

    @Test
    void everyLoginThePythonToolAcceptedFindsTheSameUserAndTheMailAddressFindsItsOwnerAndNoLoginFindsTwo()
            throws Exception {
        Map<String, String> passdb = rendered(false);
        Map<String, String> python = rendered(true);
        assertThat(python.get("pass_filter")).as("the Python tool's filter")
                .isEqualTo("(&(ObjectClass=person)(sAMAccountName=%n))");

        try (LDAPConnection gc = connect(passdb)) {
            List<SearchResultEntry> people = gc.search(dc.baseDn(), SearchScope.SUB, FIXTURE_PEOPLE,
                    "sAMAccountName", "mail").getSearchEntries();
            assertThat(people).extracting(e -> e.getAttributeValue("sAMAccountName"))
                    .contains("alice", "heidi", "grace", "frank", "outsider");
            Map<String, String> accepted = new LinkedHashMap<>();
            for (SearchResultEntry person : people) {
                String sam = person.getAttributeValue("sAMAccountName");
                String mail = person.getAttributeValue("mail");
                List<String> logins = new ArrayList<>(List.of(sam, sam + "@" + dc.domain(), sam + "@other.tld",
                        sam.toUpperCase(Locale.ROOT) + "@" + dc.domain().toUpperCase(Locale.ROOT)));
                if (mail != null) {
                    logins.add(mail);
                    logins.add(mail.toLowerCase(Locale.ROOT));
                }
                for (String login : logins) {
                    Set<String> now = found(gc, passdb, login);
                    Set<String> before = found(gc, python, login);
                    assertThat(now).as("login %s finds at most one entry", login).hasSizeLessThanOrEqualTo(1);
                    if (!before.isEmpty()) {
                        assertThat(now).as("login %s, accepted by the Python tool", login).isEqualTo(before);
                    }
                    if (login.equalsIgnoreCase(mail) || login.equals(sam)) {
                        assertThat(now).as("login %s", login).containsExactly(person.getDN());
                    }
                    accepted.put(login, now.isEmpty() ? "-" : now.iterator().next());
                }
            }
            // the users whose sAMAccountName is not their mail's local part, by each name they may type
            String heidi = dnOf(people, "heidi");
            assertThat(accepted).containsEntry("heidi", heidi).containsEntry("heidi@" + dc.domain(), heidi)
                    .containsEntry("heidi.mueller@" + dc.domain(), heidi).containsEntry("heidi@other.tld", heidi);
            String grace = dnOf(people, "grace");
            assertThat(accepted).containsEntry("grace", grace).containsEntry("Grace.Green@Example.Local", grace)
                    .containsEntry("grace.green@example.local", grace);
            assertThat(accepted).as("a person without mail is found by the account name, as before")
                    .containsEntry("frank", dnOf(people, "frank"));
        }
    }

    @Test
    void loginsThatAreFilterSyntaxFindNobody() throws Exception {
        Map<String, String> passdb = rendered(false);
        try (LDAPConnection gc = connect(passdb)) {
            for (String login : List.of("*", "*@" + dc.domain(), "a*", "alice)(sAMAccountName=*",
                    "x)(|(mail=*", "x)(mail=*@" + dc.domain(), "nobody", "nobody@" + dc.domain())) {
                assertThat(found(gc, passdb, login)).as("login %s", login).isEmpty();
            }
        }
    }

    // ---- helpers ----

    /** The passdb.conf the service renders for the DC with the default filters, read as Dovecot reads it. */
    private Map<String, String> rendered(boolean pythonTemplateMounted) throws Exception {
        Path conf = tmp.resolve(pythonTemplateMounted ? "conf-python" : "conf");
        Map<String, String> env = new LinkedHashMap<>(dc.environment(Map.of()));
        env.put("LDAP_MAILCOW_CONF_DIR", conf.toString());
        env.put("LDAP_MAILCOW_TEMPLATES_DIR", AuthConfigRenderingTest.SHIPPED_TEMPLATES.toString());
        Path mounted = tmp.resolve("templates");
        if (pythonTemplateMounted) {
            Files.createDirectories(mounted.resolve("dovecot/ldap"));
            Files.copy(PythonToolTemplatesTest.FIXTURES.resolve("templates/dovecot/ldap/passdb.conf"),
                    mounted.resolve("dovecot/ldap/passdb.conf"));
        }
        env.put("LDAP_MAILCOW_PYTHON_TEMPLATES_DIR", mounted.toString());
        try (AuthConfigContext context = AuthConfigContext.start(env)) {
            context.render();
        }
        Map<String, String> passdb = DovecotSettings.read(Files.readString(conf.resolve("dovecot/ldap/passdb.conf")));
        assertThat(passdb.get("user_filter")).as("user_filter = pass_filter").isEqualTo(passdb.get("pass_filter"));
        return passdb;
    }

    /** Connects to the rendered {@code uris} and binds with the rendered {@code dn} and {@code dnpass}. */
    private static LDAPConnection connect(Map<String, String> passdb) throws Exception {
        URI uri = URI.create(passdb.get("uris"));
        assertThat(uri.getScheme()).isEqualTo("ldap");
        return new LDAPConnection(uri.getHost(), uri.getPort(), passdb.get("dn"), passdb.get("dnpass"));
    }

    /** The DNs Dovecot's search finds for a login. */
    private static Set<String> found(LDAPConnection gc, Map<String, String> passdb, String login) throws Exception {
        String base = DovecotSettings.expand(passdb.get("base"), login);
        Filter filter = Filter.create(DovecotSettings.expand(passdb.get("pass_filter"), login));
        Set<String> dns = new TreeSet<>();
        for (SearchResultEntry e : gc.search(base, SearchScope.SUB, filter, "1.1").getSearchEntries()) {
            dns.add(e.getDN());
        }
        return dns;
    }

    private static String dnOf(List<SearchResultEntry> people, String sam) {
        return people.stream().filter(e -> sam.equals(e.getAttributeValue("sAMAccountName"))).findFirst()
                .orElseThrow().getDN();
    }
}
