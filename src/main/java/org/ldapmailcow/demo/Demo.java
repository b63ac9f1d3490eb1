package org.ldapmailcow.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.ldapmailcow.Launcher;
import org.ldapmailcow.config.Settings;

/**
 * {@code --demo}: an embedded directory with a handful of sample users and a mailcow API emulator on
 * loopback, one real cycle against them, and what it did. Its state and config go to a scratch directory.
 */
public final class Demo {

    private static final String API_KEY = "demo-api-key";

    private final PrintStream out;
    private final PrintStream err;

    public Demo(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public int run(boolean dryRun) {
        try (DemoDirectory directory = new DemoDirectory().start();
             MailcowEmulator mailcow = new MailcowEmulator(API_KEY).start()) {
            directory.seedSample();
            mailcow.addDomain("example.local");
            Path work = Files.createTempDirectory("ldap-mailcow-demo");
            out.println("Demo directory at " + directory.ldapUri() + ", mailcow emulator at " + mailcow.baseUrl()
                    + ", state and config under " + work);
            Map<String, String> env = environment(directory, mailcow, work);
            env.put(Settings.PREFIX + "DRY_RUN", Boolean.toString(dryRun));
            Settings settings = Settings.from(env);
            int code = new Launcher(Map.of(), out, err).once(settings);
            out.println();
            out.println("Mailboxes in mailcow after the cycle:");
            mailcow.mailboxes().values().forEach(m -> out.printf("  %-30s %-20s %-8s %d MiB%n", m.username(), m.name(),
                    m.active() ? "active" : "inactive", m.quotaMiB()));
            out.println("Aliases in mailcow after the cycle:");
            mailcow.aliases().values().forEach(a -> out.printf("  %-30s -> %s%s%n", a.address(), a.gotoList(),
                    a.active() ? "" : "  (inactive)"));
            out.println(dryRun ? "Auth config: a dry run leaves " + work.resolve("conf") + " as it is"
                    : "Auth config rendered under " + work.resolve("conf"));
            out.println("mailcow API requests: " + mailcow.countByEndpoint());
            out.println("Exit code " + code + " (0: the cycle succeeded)");
            return code;
        } catch (IOException | RuntimeException e) {
            err.println("ldap-mailcow demo failed: " + e.getMessage());
            return Launcher.STARTUP_FAILED;
        }
    }

    /** The service's environment for a demo directory and an emulated mailcow, state and config under {@code work}. */
    public static Map<String, String> environment(DemoDirectory directory, MailcowEmulator mailcow, Path work) {
        Map<String, String> env = new HashMap<>();
        String p = Settings.PREFIX;
        env.put(p + "LDAP_URI", directory.ldapUri());
        env.put(p + "LDAP_GC_URI", directory.ldapUri());
        env.put(p + "LDAP_DOMAIN", DemoDirectory.DOMAIN);
        env.put(p + "LDAP_BASE_DN", directory.baseDn());
        env.put(p + "LDAP_BIND_DN", directory.bindDn());
        env.put(p + "LDAP_BIND_DN_PASSWORD", directory.bindPassword());
        env.putAll(mailcowEnvironment(mailcow, work));
        return env;
    }

    /** The mailcow half: the emulator's URL and key, and state and config under {@code work}. */
    public static Map<String, String> mailcowEnvironment(MailcowEmulator mailcow, Path work) {
        Map<String, String> env = new HashMap<>();
        String p = Settings.PREFIX;
        env.put(p + "API_HOST", mailcow.baseUrl());
        env.put(p + "API_KEY", mailcow.apiKey());
        env.put(p + "API_QUOTA", "1024");
        env.put(p + "SYNC_INTERVAL", "300");
        env.put(p + "DB_FILE", work.resolve("db/ldap-mailcow.sqlite3").toString());
        env.put(p + "CONF_DIR", work.resolve("conf").toString());
        env.put(p + "MANAGEMENT_PORT", "0");
        return env;
    }
}
