package org.ldapmailcow.ldap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.ldapmailcow.ldap.CamelLdap.PERSON;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import javax.naming.AuthenticationException;
import javax.naming.NameNotFoundException;
import javax.naming.NamingException;
import javax.naming.directory.SearchControls;
import javax.naming.directory.SearchResult;
import javax.naming.ldap.LdapContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

import org.apache.camel.CamelExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ldapmailcow.adtest.AdDc;
import org.ldapmailcow.adtest.AdTest;
import org.ldapmailcow.adtest.OtherCa;
import org.ldapmailcow.config.Settings;


/** {@link LdapContextFactory} with camel-ldap against the Samba AD test DC. */
@AdTest
class LdapContextFactoryAdTest {

    private static final String CA_FILE = Settings.PREFIX + "LDAP_CA_FILE";
    /** The fixture users of seed.sh in OU=Mail Users: CN -> mail ("" = none). */
    private static final Map<String, String> FIXTURE = Map.of(
            "Alice Anderson", "alice@example.local", "Bob Brown", "bob@example.local",
            "Carol Clark", "carol@example.local", "Dave Davis", "dave@example.local",
            "Eve Evans", "eve@example.local", "Frank Foster", "",
            "Grace Green", "Grace.Green@Example.Local", "Heidi Müller-Hill", "heidi.mueller@example.local",
            "Ivan Ivanov", "ivan@example.local", "Judy Jones", "judy@example.local");

    @TempDir
    static Path scratch;
    private static Path otherCa;

    private final AdDc dc;

    LdapContextFactoryAdTest(AdDc dc) {
        this.dc = dc;
    }

    @Test
    void pagedSearchUnderTheOuReturnsTheFixtureUsersWithTheirAttributes() throws Exception {
        CountingSupplier contexts = new CountingSupplier(LdapContextFactory.create(dc.settings()));
        List<SearchResult> users;
        try (CamelLdap camel = CamelLdap.start(contexts)) {
            users = camel.search(dc.ouDn(), PERSON, 500);
        }
        Map<String, SearchResult> byDn = byDn(users);
        assertThat(byDn).hasSize(users.size());
        for (Map.Entry<String, String> user : FIXTURE.entrySet()) {
            SearchResult entry = byDn.get(("CN=" + user.getKey() + "," + dc.ouDn()).toLowerCase());
            assertThat(entry).as(user.getKey()).isNotNull();
            assertThat(value(entry, "mail")).as(user.getKey() + " mail").isEqualTo(user.getValue());
            Object guid = entry.getAttributes().get("objectGUID").get();
            assertThat(guid).as("objectGUID arrives as bytes").isInstanceOf(byte[].class);
            assertThat((byte[]) guid).hasSize(16);
        }
        SearchResult eve = byDn.get(("CN=Eve Evans," + dc.ouDn()).toLowerCase());
        assertThat(value(eve, "userAccountControl")).isEqualTo("514");
        SearchResult heidi = byDn.get(("CN=Heidi Müller-Hill," + dc.ouDn()).toLowerCase());
        assertThat(value(heidi, "displayName")).isEqualTo("Heidi Müller-Hill");
        assertThat(byDn).doesNotContainKey(("CN=Outside User,CN=Users," + dc.baseDn()).toLowerCase());
        assertThat(contexts.opened.get()).as("one connection per exchange").isEqualTo(1);
        assertThat(contexts.closed.get()).as("camel-ldap closes it").isEqualTo(1);
    }

    @Test
    void searchAtTheDomainRootSkipsThePartitionReferenceAndLosesNoEntryOnAnyPage() {
        LdapContextFactory factory = LdapContextFactory.create(dc.settings());
        CountingSupplier rootContexts = new CountingSupplier(factory);
        List<SearchResult> root;
        try (CamelLdap camel = CamelLdap.start(rootContexts)) {
            // a small page, so that the reference (sent with the first page) is followed by more pages
            root = camel.search(dc.baseDn(), PERSON, 7);
        }
        List<SearchResult> ou;
        List<SearchResult> users;
        try (CamelLdap camel = CamelLdap.start(factory)) {
            ou = camel.search(dc.ouDn(), PERSON, 500);
            users = camel.search("CN=Users," + dc.baseDn(), PERSON, 500);
        }
        Set<String> expected = new HashSet<>(byDn(ou).keySet());
        expected.addAll(byDn(users).keySet());
        assertThat(byDn(root).keySet()).isEqualTo(expected);
        assertThat(byDn(root)).containsKeys(("CN=Outside User,CN=Users," + dc.baseDn()).toLowerCase(),
                ("CN=Alice Anderson," + dc.ouDn()).toLowerCase());
        assertThat(rootContexts.searches.get()).as("pages of 7 for %d entries", root.size())
                .isBetween(pages(root.size(), 7), pages(root.size(), 7) + 1);
    }

    @Test
    void globalCatalogSearchAtTheDomainRootGivesTheSameUsers() {
        Settings settings = dc.settings();
        List<SearchResult> gc;
        List<SearchResult> root;
        try (CamelLdap viaGc = CamelLdap.start(LdapContextFactory.create(settings, settings.ldapGcUri));
             CamelLdap viaDc = CamelLdap.start(LdapContextFactory.create(settings))) {
            gc = viaGc.search(dc.baseDn(), PERSON, 500);
            root = viaDc.search(dc.baseDn(), PERSON, 500);
        }
        assertThat(URI.create(settings.ldapGcUri).getPort()).isEqualTo(3268);
        assertThat(byDn(gc).keySet()).isEqualTo(byDn(root).keySet()).hasSize(root.size());
        assertThat(byDn(gc)).containsKey(("CN=Judy Jones," + dc.ouDn()).toLowerCase());
    }

    @Test
    void everyBulkUserArrivesThroughPagesOf500() throws NamingException {
        String bulkOu = "OU=Bulk," + dc.ouDn();
        // Samba ignores MaxPageSize, so an unpaged JNDI search is a ground truth here (real AD stops at 1000)
        int truth = unpagedCount(bulkOu);
        AdDc.assume(truth > 1000, "needs more than 1000 bulk users in " + bulkOu + " (found " + truth
                + "): BULK_NOPASS=1 ../shared/ad-test-dc/bulk.sh 2000");
        CountingSupplier contexts = new CountingSupplier(LdapContextFactory.create(dc.settings()));
        List<SearchResult> bulk;
        try (CamelLdap camel = CamelLdap.start(contexts)) {
            bulk = camel.search(bulkOu, PERSON, 500);
        }
        assertThat(byDn(bulk)).hasSize(truth);
        assertThat(contexts.searches.get()).isBetween(pages(truth, 500), pages(truth, 500) + 1);
    }

    @Test
    void ldapsWithTheDcsCaFileVerifiesAndSearches() {
        assertThat(dc.caCert()).as("AD_CA_CERT").isNotNull();
        URI ldaps = URI.create(dc.ldapsUri());
        List<String> uris = ldaps.getHost().equals("127.0.0.1")
                ? List.of(dc.ldapsUri(), "ldaps://localhost:" + ldaps.getPort()) // both are in the certificate
                : List.of(dc.ldapsUri());
        for (String uri : uris) {
            Settings settings = dc.settings(Map.of(Settings.PREFIX + "LDAP_URI", uri,
                    CA_FILE, dc.caCert().toString()));
            try (CamelLdap camel = CamelLdap.start(LdapContextFactory.create(settings))) {
                assertThat(byDn(camel.search(dc.ouDn(), PERSON, 500)))
                        .as(uri).containsKey(("CN=Alice Anderson," + dc.ouDn()).toLowerCase());
            }
        }
    }

    @Test
    void aCaFileWithSeveralCertificatesTrustsEachOfThem(@TempDir Path dir) throws Exception {
        Path bundle = dir.resolve("bundle.pem");
        Files.writeString(bundle, "# other CA first, then the DC's\n" + Files.readString(otherCa())
                + Files.readString(dc.caCert()));
        Settings settings = dc.settings(Map.of(Settings.PREFIX + "LDAP_URI", dc.ldapsUri(),
                CA_FILE, bundle.toString()));
        try (CamelLdap camel = CamelLdap.start(LdapContextFactory.create(settings))) {
            assertThat(camel.search(dc.ouDn(), PERSON, 500)).isNotEmpty();
        }
    }

    @Test
    void anotherCaIsRefusedWithAOneLineReason() {
        Path other = otherCa();
        Settings settings = dc.settings(Map.of(Settings.PREFIX + "LDAP_URI", dc.ldapsUri(),
                CA_FILE, other.toString()));
        LdapContextFactory factory = LdapContextFactory.create(settings);
        assertThatThrownBy(factory::get)
                .isInstanceOf(LdapConnectionException.class)
                .hasMessageStartingWith("LDAP connection to " + dc.ldapsUri() + " failed: TLS certificate not trusted by "
                        + CA_FILE + " (" + other + ")")
                .message().doesNotContain("\n");
    }

    @Test
    void withoutCaFileOnlyTheJvmTrustStoreCountsSoTheTestCaIsRefused() {
        Settings settings = dc.settings(Map.of(Settings.PREFIX + "LDAP_URI", dc.ldapsUri()));
        assertThatThrownBy(LdapContextFactory.create(settings)::get)
                .isInstanceOf(LdapConnectionException.class)
                .hasMessageContaining("TLS certificate not trusted by the JVM's default trust store");
    }

    @Test
    void aHostNameNotInTheCertificateIsRefused() throws Exception {
        URI ldaps = URI.create(dc.ldapsUri());
        // the forwarder passes the bytes on to the DC, whose certificate names the DC's address, not this one
        String elsewhere = ldaps.getHost().equals("127.0.0.2") ? "127.0.0.3" : "127.0.0.2";
        try (TcpForwarder forwarder = TcpForwarder.forward(elsewhere, ldaps.getHost(), ldaps.getPort())) {
            String uri = "ldaps://" + elsewhere + ":" + forwarder.port();
            Settings settings = dc.settings(Map.of(Settings.PREFIX + "LDAP_URI", uri,
                    CA_FILE, dc.caCert().toString()));
            assertThatThrownBy(LdapContextFactory.create(settings)::get)
                    .isInstanceOf(LdapConnectionException.class)
                    .hasMessageContaining("TLS host name check failed")
                    .hasMessageContaining(elsewhere);
        }
    }

    @Test
    void theJvmDefaultSslContextStaysUntouched() throws Exception {
        Settings settings = dc.settings(Map.of(Settings.PREFIX + "LDAP_URI", dc.ldapsUri(),
                CA_FILE, dc.caCert().toString()));
        LdapContextFactory.create(settings).get().close();
        URI ldaps = URI.create(dc.ldapsUri());
        try (SSLSocket socket = (SSLSocket) SSLSocketFactory.getDefault().createSocket(ldaps.getHost(),
                ldaps.getPort())) {
            assertThatThrownBy(socket::startHandshake).isInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void aWrongBindPasswordFailsTheExchangeWithoutShowingThePassword() {
        String password = "Wr0ng-Secret-4711";
        Settings settings = dc.settings(Map.of(Settings.PREFIX + "LDAP_BIND_DN_PASSWORD", password));
        Throwable failure;
        try (CamelLdap camel = CamelLdap.start(LdapContextFactory.create(settings))) {
            failure = catchThrowable(() -> camel.search(dc.ouDn(), PERSON, 500));
        }
        assertThat(failure).isInstanceOf(CamelExecutionException.class)
                .hasRootCauseInstanceOf(AuthenticationException.class);
        LdapConnectionException connection = findCause(failure, LdapConnectionException.class);
        assertThat(connection.getMessage()).contains("bind as '" + dc.bindDn() + "' refused", "data 52e");
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        assertThat(trace.toString()).contains("data 52e").doesNotContain(password);
    }

    @Test
    void aDeadPortFailsWithinTheConnectTimeout() throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Settings settings = dc.settings(Map.of(Settings.PREFIX + "LDAP_URI", "ldap://127.0.0.1:" + port,
                Settings.PREFIX + "LDAP_CONNECT_TIMEOUT", "2"));
        long start = System.nanoTime();
        assertThatThrownBy(LdapContextFactory.create(settings)::get)
                .isInstanceOf(LdapConnectionException.class)
                .hasMessageStartingWith("LDAP connection to ldap://127.0.0.1:" + port + " failed: cannot connect");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2000);
    }

    // ---- helpers ----

    private static Map<String, SearchResult> byDn(List<SearchResult> results) {
        return results.stream().collect(Collectors.toMap(r -> r.getNameInNamespace().toLowerCase(),
                Function.identity(), (a, b) -> {
                    throw new AssertionError("duplicate entry " + a.getNameInNamespace());
                }, HashMap::new));
    }

    private static String value(SearchResult entry, String attribute) throws NamingException {
        var values = entry.getAttributes().get(attribute);
        return values == null ? "" : values.get().toString();
    }

    /** Pages needed for {@code entries}; a server may send one more, empty, page after a full one. */
    static int pages(int entries, int pageSize) {
        return Math.max(1, (entries + pageSize - 1) / pageSize);
    }

    private int unpagedCount(String base) throws NamingException {
        LdapContext context = LdapContextFactory.create(dc.settings()).get();
        try {
            SearchControls controls = new SearchControls();
            controls.setSearchScope(SearchControls.SUBTREE_SCOPE);
            controls.setReturningAttributes(new String[0]);
            var results = context.search(base, PERSON, controls);
            int n = 0;
            while (results.hasMore()) {
                results.next();
                n++;
            }
            return n;
        } catch (NameNotFoundException e) {
            return 0;
        } finally {
            context.close();
        }
    }

    private static <T extends Throwable> T findCause(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in " + failure);
    }

    /** A PEM file with a self-signed CA certificate made for this test class, unrelated to the DC. */
    private static synchronized Path otherCa() {
        if (otherCa == null) {
            otherCa = OtherCa.pem(scratch);
        }
        return otherCa;
    }
}
