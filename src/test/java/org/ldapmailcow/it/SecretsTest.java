package org.ldapmailcow.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ldapmailcow.demo.DemoDirectory.NORMAL_ACCOUNT;

import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ldapmailcow.Launcher;
import org.ldapmailcow.auth.LogCapture;
import org.ldapmailcow.config.Settings;
import org.ldapmailcow.demo.MailcowEmulator;

/** Issue 5: secrets from files, and never in any log line, whatever fails. */
class SecretsTest {

    static final String API_KEY = "Api-Key-Never-Logged-7f3a";

    @TempDir
    Path work;

    @Test
    void secretsComeFromFilesAndAppearInNoLogLineEvenWhenThingsFail() throws Exception {
        Path keyFile = Files.writeString(work.resolve("api-key"), API_KEY + "\n");
        try (LogCapture log = LogCapture.open(Level.ALL);
             SyncHarness h = new SyncHarness(work);
             MailcowEmulator otherMailcow = new MailcowEmulator("some-other-key").start()) {
            String password = h.directory.bindPassword();
            h.directory.addUser("Ann", "ann@example.local", "Ann", NORMAL_ACCOUNT, "smtp:annie@example.local");
            h.mailcow.close();
            SyncHarness ok = h;
            ok.env.remove(Settings.PREFIX + "API_KEY");
            ok.env.remove(Settings.PREFIX + "LDAP_BIND_DN_PASSWORD");
            ok.env.put(Settings.PREFIX + "API_KEY_FILE", keyFile.toString());
            ok.env.put(Settings.PREFIX + "LDAP_BIND_DN_PASSWORD_FILE",
                    Files.writeString(work.resolve("bind-password"), password + "\n").toString());
            ok.set("AUTH_MODE", "templates");

            // a mailcow that rejects the key: start-up fails on 401
            ok.set("API_HOST", otherMailcow.baseUrl());
            Launcher launcher = new Launcher(java.util.Map.of(), System.out, System.err);
            assertThat(launcher.once(Settings.from(ok.env))).isEqualTo(Launcher.STARTUP_FAILED);

            // a mailcow that accepts it, but refuses and fails items
            try (MailcowEmulator mailcow = new MailcowEmulator(API_KEY).start()) {
                mailcow.addDomain("example.local");
                mailcow.refuse(r -> r.endpoint().equals("POST add/alias"), "goto_invalid");
                ok.set("API_HOST", mailcow.baseUrl());
                assertThat(launcher.once(Settings.from(ok.env))).isEqualTo(Launcher.CYCLE_FAILED);
                assertThat(mailcow.mailboxes()).containsKey("ann@example.local");
                assertThat(mailcow.requests()).allSatisfy(r -> assertThat(r.header("X-API-Key")).isEqualTo(API_KEY));

                // a directory that rejects the bind password
                ok.env.remove(Settings.PREFIX + "LDAP_BIND_DN_PASSWORD_FILE");
                ok.set("LDAP_BIND_DN_PASSWORD", password + "-wrong");
                assertThat(launcher.once(Settings.from(ok.env))).isEqualTo(Launcher.STARTUP_FAILED);
            }

            assertThat(log.lines()).isNotEmpty();
            assertThat(log.lines()).noneMatch(l -> l.contains(API_KEY))
                    .noneMatch(l -> l.contains(password));
            for (Path report : Files.list(work.resolve("db")).toList()) {
                if (Files.isRegularFile(report) && report.toString().endsWith(".json")) {
                    assertThat(Files.readString(report)).doesNotContain(API_KEY).doesNotContain(password);
                }
            }
        }
    }
}
