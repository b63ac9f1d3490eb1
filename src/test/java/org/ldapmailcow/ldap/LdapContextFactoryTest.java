package org.ldapmailcow.ldap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ldapmailcow.config.Settings;
import org.ldapmailcow.config.SettingsException;

/** Timeouts and configuration errors of {@link LdapContextFactory}, against servers that misbehave. */
class LdapContextFactoryTest {

    private static final Map<String, String> ONE_SECOND = Map.of(Settings.PREFIX + "LDAP_CONNECT_TIMEOUT", "1",
            Settings.PREFIX + "LDAP_READ_TIMEOUT", "1");

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "ldap; no answer within the read timeout of 1 s",             // the bind request is never answered
        "ldaps; no connection within the connect timeout of 1 s",     // the TLS handshake never completes
    })
    void aServerThatNeverAnswersFailsAfterTheTimeout(String scheme, String reason) throws IOException {
        try (TcpForwarder silent = TcpForwarder.silent("127.0.0.1")) {
            String uri = scheme + "://127.0.0.1:" + silent.port();
            long start = System.nanoTime();
            assertThatThrownBy(LdapContextFactory.create(TestSettings.of(uri, ONE_SECOND))::get)
                    .isInstanceOf(LdapConnectionException.class)
                    .hasMessageStartingWith("LDAP connection to " + uri + " failed: " + reason);
            assertThat(millisSince(start)).isBetween(900L, 5000L);
        }
    }

    @Test
    void aConnectionThatIsNeverAcceptedFailsAfterTheConnectTimeout() throws IOException {
        // a listener with a full accept queue: the kernel drops further connection attempts
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> queued = new ArrayList<>();
            boolean full = false;
            try {
                for (int i = 0; i < 50 && !full; i++) {
                    Socket socket = new Socket();
                    queued.add(socket);
                    try {
                        socket.connect(new InetSocketAddress(server.getInetAddress(), server.getLocalPort()), 300);
                    } catch (SocketTimeoutException e) {
                        full = true;
                    }
                }
                Assumptions.assumeTrue(full, "this network stack accepts every connection; cannot provoke a "
                        + "connect timeout");
                String uri = "ldap://" + server.getInetAddress().getHostAddress() + ":" + server.getLocalPort();
                long start = System.nanoTime();
                assertThatThrownBy(LdapContextFactory.create(TestSettings.of(uri, ONE_SECOND))::get)
                        .isInstanceOf(LdapConnectionException.class)
                        .hasMessageStartingWith("LDAP connection to " + uri
                                + " failed: no connection within the connect timeout of 1 s");
                assertThat(millisSince(start)).isBetween(900L, 5000L);
            } finally {
                for (Socket socket : queued) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void anEmptyBindPasswordIsRefusedBecauseItWouldBeAnAnonymousBind(@TempDir Path dir) throws IOException {
        Path empty = Files.writeString(dir.resolve("password"), "\n");
        Settings settings = TestSettings.of("ldap://127.0.0.1:389", Map.of(
                Settings.PREFIX + "LDAP_BIND_DN_PASSWORD", "",
                Settings.PREFIX + "LDAP_BIND_DN_PASSWORD_FILE", empty.toString()));
        assertThatThrownBy(() -> LdapContextFactory.create(settings))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("LDAP_BIND_DN_PASSWORD is empty");
    }

    @Test
    void aCaFileWithoutCertificatesIsACleanSettingsError(@TempDir Path dir) throws IOException {
        Path notPem = Files.writeString(dir.resolve("ca.pem"), "this is not a certificate\n");
        Settings settings = TestSettings.of("ldaps://127.0.0.1:636",
                Map.of(Settings.PREFIX + "LDAP_CA_FILE", notPem.toString()));
        assertThatThrownBy(() -> LdapContextFactory.create(settings))
                .isInstanceOf(SettingsException.class)
                .hasMessageStartingWith("LDAP_MAILCOW_LDAP_CA_FILE: ")
                .hasMessageContaining(notPem.toString());
    }

    @Test
    void mixedLdapAndLdapsUrisAreRefused() {
        Settings settings = TestSettings.of("ldaps://dc1.example.local ldap://dc2.example.local");
        assertThatThrownBy(() -> LdapContextFactory.create(settings))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("all use ldap:// or all use ldaps://");
    }

    @Test
    void theTlsSocketFactoryRefusesUseOutsideTheFactory() {
        assertThatThrownBy(LdapTlsSocketFactory::getDefault).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theFactoryDescribesItselfWithoutThePassword() {
        LdapContextFactory factory = LdapContextFactory.create(TestSettings.of("ldap://127.0.0.1:389"));
        assertThat(factory.toString()).contains("ldap://127.0.0.1:389", TestSettings.BIND_DN)
                .doesNotContain(TestSettings.BIND_PASSWORD);
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
