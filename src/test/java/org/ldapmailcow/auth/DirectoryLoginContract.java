package org.ldapmailcow.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ldapmailcow.openldaptest.OpenLdapServer;

import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;

/**
 * Issue 13: the Dovecot and SOGo files rendered with {@code LDAP_MAILCOW_DIRECTORY} of a directory type other than
 * AD, checked against a real server of that type: Dovecot's filter, expanded for a login as Dovecot expands it,
 * finds the user by uid (plain, with any domain) and by mail, exactly one entry, and the user's password binds as
 * it; SOGo binds on uid and does not call the source "Active Directory". The servers' fixtures have the same users.
 */
abstract class DirectoryLoginContract {

    /** The value of LDAP_MAILCOW_DIRECTORY. */
    abstract String directoryType();

    /** The name SOGo shows for the source. */
    abstract String sourceName();

    @TempDir
    Path tmp;

    private Path render(OpenLdapServer ol) throws Exception {
        Path conf = tmp.resolve("conf");
        Map<String, String> env = new LinkedHashMap<>(AuthConfigContext.env(conf, AuthConfigRenderingTest.SHIPPED_TEMPLATES));
        env.put("LDAP_MAILCOW_DIRECTORY", directoryType());
        env.put("LDAP_MAILCOW_LDAP_URI", ol.ldapUri());
        env.put("LDAP_MAILCOW_LDAP_GC_URI", ol.ldapUri());
        env.put("LDAP_MAILCOW_LDAP_BASE_DN", ol.baseDn());
        env.put("LDAP_MAILCOW_LDAP_BIND_DN", ol.bindDn());
        env.put("LDAP_MAILCOW_LDAP_BIND_DN_PASSWORD", ol.bindPassword());
        env.put("LDAP_MAILCOW_PYTHON_TEMPLATES_DIR", tmp.resolve("no-python-templates").toString());
        try (AuthConfigContext context = AuthConfigContext.start(env)) {
            context.render();
        }
        return conf;
    }

    @Test
    void dovecotFindsEachUserByUidAndMailAndTheirPasswordBinds(OpenLdapServer ol) throws Exception {
        Map<String, String> passdb = DovecotSettings.read(Files.readString(render(ol).resolve("dovecot/ldap/passdb.conf")));
        assertThat(passdb.get("pass_filter")).contains("(uid=%n)").doesNotContain("sAMAccountName");

        URI uri = URI.create(passdb.get("uris"));
        try (LDAPConnection ldap = new LDAPConnection(uri.getHost(), uri.getPort(), passdb.get("dn"), passdb.get("dnpass"))) {
            String alice = "uid=alice," + ol.ouDn();
            String heidi = "uid=heidi," + ol.ouDn();
            for (String login : new String[] {"alice", "alice@example.local", "alice@other.tld", "ALICE",
                    "Alice@Example.Local"}) {
                assertThat(found(ldap, passdb, login)).as(login).containsExactly(alice);
            }
            for (String login : new String[] {"heidi", "heidi@example.local", "heidi.mueller@example.local"}) {
                assertThat(found(ldap, passdb, login)).as(login).containsExactly(heidi);
            }
            assertThat(found(ldap, passdb, "frank")).as("no mail, found by uid").hasSize(1);
            for (String login : new String[] {"*", "nobody", "a*", "alice)(uid=*"}) {
                assertThat(found(ldap, passdb, login)).as(login).isEmpty();
            }
        }
        try (LDAPConnection user = new LDAPConnection(uri.getHost(), uri.getPort())) {
            assertThat(user.bind("uid=alice," + ol.ouDn(), ol.userPassword()).getResultCode().isConnectionUsable())
                    .isTrue();
        }
    }

    @Test
    void sogoBindsOnUidAndNamesTheSourceForItsDirectory(OpenLdapServer ol) throws Exception {
        Path conf = render(ol);
        String envsubst = Files.readString(conf.resolve("sogo/plist_ldap")).replace("${line}", "example.local");
        Process script = new ProcessBuilder("bash", conf.resolve("sogo/plist_ldap.sh").toString(), "example.local")
                .redirectErrorStream(true).start();
        String printed = new String(script.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(script.waitFor()).isZero();
        for (String fragment : new String[] {envsubst.substring(envsubst.indexOf("<dict>")), printed}) {
            Map<String, Object> source = PlistSource.parse(fragment);
            assertThat(source.get("bindFields")).asList().containsExactly("uid", "mail");
            assertThat(source.get("displayName")).isEqualTo(sourceName());
            assertThat(source.get("filter")).isEqualTo("objectClass='inetOrgPerson'");
        }
    }

    private static Set<String> found(LDAPConnection ldap, Map<String, String> passdb, String login) throws Exception {
        String base = DovecotSettings.expand(passdb.get("base"), login);
        Filter filter = Filter.create(DovecotSettings.expand(passdb.get("pass_filter"), login));
        Set<String> dns = new TreeSet<>();
        for (SearchResultEntry e : ldap.search(base, SearchScope.SUB, filter, "1.1").getSearchEntries()) {
            dns.add(e.getDN());
        }
        return dns;
    }
}
