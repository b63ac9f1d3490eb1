package org.ldapmailcow.adtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ldapmailcow.config.Settings;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** How AD tests find the DC and what happens when it is missing. */
class AdDcExtensionTest {

    @Test
    void readsTheEnvFileThatStartShWrites(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("ad.env"), """
                # source this file: connection settings of the loopback Samba AD test DC
                AD_DIR='%s'
                AD_LDAP_URI='ldap://127.0.0.9:389'
                AD_LDAPS_URI='ldaps://127.0.0.9:636'
                AD_GC_URI='ldap://127.0.0.9:3268'
                AD_BASE_DN='DC=example,DC=local'
                AD_OU_DN='OU=Mail Users,DC=example,DC=local'
                AD_BIND_DN='CN=Bind DN,CN=Users,DC=example,DC=local'
                AD_BIND_PASS='Passw0rd!Bind'
                AD_CA_CERT='/x/tls/ca.pem'
                AD_TRUSTSTORE='/x/tls/truststore.p12'   # PKCS12, password changeit
                """.formatted(dir));
        AdDc dc = AdDc.fromEnvironment(Map.of("AD_DIR", dir.toString(), "AD_GC_URI", "ldap://127.0.0.9:3269"));
        assertThat(dc.ldapUri()).isEqualTo("ldap://127.0.0.9:389");
        assertThat(dc.ldapsUri()).isEqualTo("ldaps://127.0.0.9:636");
        assertThat(dc.gcUri()).as("environment wins over the file").isEqualTo("ldap://127.0.0.9:3269");
        assertThat(dc.bindPassword()).isEqualTo("Passw0rd!Bind");
        assertThat(dc.caCert()).isEqualTo(Path.of("/x/tls/ca.pem"));
        assertThat(dc.domain()).isEqualTo("example.local");
        Settings settings = dc.settings();
        assertThat(settings.ldapUri).isEqualTo("ldap://127.0.0.9:389");
        assertThat(settings.bindPassword()).isEqualTo("Passw0rd!Bind");
    }

    @Test
    void withoutFileOrVariablesTheReasonSaysHowToStartTheDc(@TempDir Path dir) {
        AdDcExtension.Probe probe = AdDcExtension.probe(Map.of("AD_DIR", dir.toString()));
        assertThat(probe.dc()).isNull();
        assertThat(probe.problem()).contains("no AD test DC configured", "AD_LDAP_URI", "start.sh");
    }

    @Test
    void anUnreachableDcIsNamedInTheReason() throws IOException {
        AdDcExtension.Probe probe = AdDcExtension.probe(Map.of("AD_DIR", "/nonexistent",
                "AD_LDAP_URI", "ldap://127.0.0.1:" + freePort(), "AD_BASE_DN", "DC=example,DC=local",
                "AD_BIND_DN", "CN=Bind DN,CN=Users,DC=example,DC=local", "AD_BIND_PASS", "x"));
        assertThat(probe.dc()).isNull();
        assertThat(probe.problem()).startsWith("nothing answers on ldap://127.0.0.1:");
    }

    @Test
    void aMissingDcSkipsWithTheReasonOutsideCiAndFailsInCi() {
        AdDcExtension.Probe missing = new AdDcExtension.Probe(null, "nothing answers on ldap://127.0.0.1:389");
        assertThatThrownBy(() -> AdDcExtension.usable(missing, false))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("nothing answers on ldap://127.0.0.1:389");
        assertThatThrownBy(() -> AdDcExtension.usable(missing, true))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("CI=true")
                .hasMessageContaining("nothing answers on ldap://127.0.0.1:389");
    }

    @Test
    void aMissingDcLeavesTheReasonAndTheCommandThatRunsTheTestsForTheBuildToPrint(@TempDir Path dir) throws IOException {
        Path note = dir.resolve("ad-tests-skipped.txt");
        AdDcExtension.Probe missing = AdDcExtension.probe(Map.of("AD_DIR", dir.toString()));

        assertThat(AdDcExtension.noted(missing, note.toString(), false)).isSameAs(missing);

        assertThat(Files.readString(note).strip()).doesNotContain("\n").startsWith("AD tests skipped: ")
                .contains(missing.problem()).endsWith("sudo .ci/run");
        Files.delete(note);
        AdDcExtension.noted(missing, note.toString(), true);
        assertThat(note).as("under CI=true the AD tests fail instead").doesNotExist();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
