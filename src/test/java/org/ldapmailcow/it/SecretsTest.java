package org.ldapmailcow.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ldapmailcow.demo.DemoDirectory.NORMAL_ACCOUNT;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ldapmailcow.Launcher;
import org.ldapmailcow.auth.LogCapture;
import org.ldapmailcow.config.Settings;
import org.ldapmailcow.demo.MailcowEmulator;

/** Issue 5: secrets from files, and never in any log line, whatever fails; issue 12: nor the mailbox passwords. */
class SecretsTest {

    static final String API_KEY = "Api-Key-Never-Logged-7f3a";

    @TempDir
    Path work;

    @Test
    void secretsComeFromFilesAndAppearInNoLogLineEvenWhenThingsFail() throws Exception {
        Path keyFile = Files.writeString(work.resolve("api-key"), API_KEY + "\n");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        List<String> mailboxPasswords = new ArrayList<>();
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
            PrintStream console = new PrintStream(printed, true, StandardCharsets.UTF_8);
            Launcher launcher = new Launcher(java.util.Map.of(), console, console);
            assertThat(launcher.once(Settings.from(ok.env))).isEqualTo(Launcher.STARTUP_FAILED);

            // a mailcow that accepts it, but refuses and fails items
            try (MailcowEmulator mailcow = new MailcowEmulator(API_KEY).start()) {
                mailcow.addDomain("example.local");
                mailcow.refuse(r -> r.endpoint().equals("POST add/alias"), "goto_invalid");
                ok.set("API_HOST", mailcow.baseUrl());
                assertThat(launcher.once(Settings.from(ok.env))).isEqualTo(Launcher.CYCLE_FAILED);
                assertThat(mailcow.mailboxes()).containsKey("ann@example.local");
                assertThat(mailcow.requests()).allSatisfy(r -> assertThat(r.header("X-API-Key")).isEqualTo(API_KEY));
                // the passwords the new mailboxes were given, as mailcow received them
                mailcow.requests().stream().filter(r -> r.endpoint().equals("POST add/mailbox"))
                        .forEach(r -> mailboxPasswords.add(r.json().get("password").asText()));
                assertThat(mailboxPasswords).hasSize(1).allSatisfy(p -> assertThat(p).hasSize(32));

                // a directory that rejects the bind password
                ok.env.remove(Settings.PREFIX + "LDAP_BIND_DN_PASSWORD_FILE");
                ok.set("LDAP_BIND_DN_PASSWORD", password + "-wrong");
                assertThat(launcher.once(Settings.from(ok.env))).isEqualTo(Launcher.STARTUP_FAILED);
            }

            assertThat(log.lines()).isNotEmpty();
            assertThat(log.lines()).noneMatch(l -> l.contains(API_KEY))
                    .noneMatch(l -> l.contains(password));
            for (String mailboxPassword : mailboxPasswords) {
                assertThat(log.lines()).as("a new mailbox's password").noneMatch(l -> l.contains(mailboxPassword));
                assertThat(printed.toString(StandardCharsets.UTF_8)).doesNotContain(mailboxPassword);
            }
            assertThat(printed.toString(StandardCharsets.UTF_8)).doesNotContain(API_KEY).doesNotContain(password);
            try (var files = Files.walk(work.resolve("db"))) {
                for (Path report : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                    String text = Files.readString(report);
                    assertThat(text).doesNotContain(API_KEY).doesNotContain(password);
                    mailboxPasswords.forEach(p -> assertThat(text).doesNotContain(p));
                }
            }
        }
    }

    /** A short bind password is kept out of the message, not cut out of it: the text stays whole. */
    @Test
    void aWrongShortBindPasswordLeavesTheMessageWhole() throws Exception {
        try (LogCapture log = LogCapture.open(Level.ALL); SyncHarness h = new SyncHarness(work)) {
            h.set("LDAP_BIND_DN_PASSWORD", "wrong");
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int exit = new Launcher(java.util.Map.of(), new PrintStream(new ByteArrayOutputStream()),
                    new PrintStream(err, true, StandardCharsets.UTF_8)).once(Settings.from(h.env));
            String errors = err.toString(StandardCharsets.UTF_8);
            assertThat(exit).as(errors).isEqualTo(Launcher.STARTUP_FAILED);
            assertThat(errors.lines().toList()).singleElement().satisfies(line -> assertThat(line)
                    .contains("bind as '" + h.directory.bindDn() + "' refused (wrong bind DN or password?)")
                    .doesNotContain("****"));
            assertThat(log.lines()).noneMatch(l -> l.contains("****"))
                    .noneMatch(l -> l.contains(h.directory.bindPassword()));
        }
    }
}
