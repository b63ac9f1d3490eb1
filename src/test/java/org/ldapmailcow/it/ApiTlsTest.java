package org.ldapmailcow.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ldapmailcow.demo.DemoDirectory.NORMAL_ACCOUNT;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ldapmailcow.Launcher;
import org.ldapmailcow.adtest.OtherCa;
import org.ldapmailcow.config.Settings;
import org.ldapmailcow.demo.MailcowEmulator;

/** Issue 5: mailcow's certificate is verified; a private CA is trusted through LDAP_MAILCOW_API_CA_FILE. */
class ApiTlsTest {

    @TempDir
    Path work;

    @Test
    void privateCaIsTrustedOtherCertificatesAreRefusedAndOptingOutWorks() throws Exception {
        TestTls tls = TestTls.create(work);
        Launcher launcher = new Launcher(Map.of(), System.out, System.err);
        try (SyncHarness h = new SyncHarness(work);
             MailcowEmulator https = new MailcowEmulator(SyncHarness.API_KEY).startTls(tls.serverContext)) {
            https.addDomain("example.local");
            h.directory.addUser("Ann", "ann@example.local", "Ann", NORMAL_ACCOUNT);
            h.set("API_HOST", https.baseUrl());
            assertThat(https.baseUrl()).startsWith("https://");

            // the JVM's trust store does not know the private CA
            assertThat(launcher.once(Settings.from(h.env))).isEqualTo(Launcher.STARTUP_FAILED);
            // nor does another CA
            h.set("API_CA_FILE", OtherCa.pem(work).toString());
            assertThat(launcher.once(Settings.from(h.env))).isEqualTo(Launcher.STARTUP_FAILED);
            assertThat(https.requests()).isEmpty();

            h.set("API_CA_FILE", tls.caPem.toString());
            assertThat(launcher.once(Settings.from(h.env))).isEqualTo(Launcher.OK);
            assertThat(https.mailboxes()).containsKey("ann@example.local");

            h.env.remove(Settings.PREFIX + "API_CA_FILE");
            h.set("API_TLS_VERIFY", "false");
            https.resetRequests();
            assertThat(launcher.once(Settings.from(h.env))).isEqualTo(Launcher.OK);
            assertThat(https.requests()).isNotEmpty();
        }
    }
}
