package org.ldapmailcow.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.ldapmailcow.Launcher;
import org.ldapmailcow.auth.ConfigFileWriter;
import org.ldapmailcow.config.Settings;
import org.ldapmailcow.config.SettingsException;
import org.ldapmailcow.ops.Operations;

/**
 * {@code ldap-mailcow-demo.jar}: an embedded directory with a handful of sample users and a mailcow API emulator on
 * loopback, one real cycle against them, and what it did. Its state and config go to a scratch directory that
 * is removed at the end: the demo leaves nothing behind.
 */
public final class Demo {

    private static final String API_KEY = "demo-api-key";
    /**
     * Lines that would send a demo user to things that end with the demo: the health URL of its management
     * server, and the advice to restart mailcow containers (the emulated mailcow has none) after rendering
     * files into the scratch directory. The demo says itself what was rendered.
     */
    private static final List<String> QUIET = List.of(Operations.class.getName(), ConfigFileWriter.class.getName());

    private final PrintStream out;
    private final PrintStream err;

    public Demo(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public int run(boolean dryRun) {
        Path work = null;
        Map<String, Level> levels = quiet();
        try (DemoDirectory directory = new DemoDirectory().start();
             MailcowEmulator mailcow = new MailcowEmulator(API_KEY).start()) {
            directory.seedSample();
            mailcow.addDomain("example.local");
            work = Files.createTempDirectory("ldap-mailcow-demo");
            out.println("Demo: an embedded directory and a mailcow emulator on loopback, state and config in a scratch"
                    + " directory; all of them end with the demo");
            Map<String, String> env = environment(directory, mailcow, work);
            env.put(Settings.PREFIX + "DRY_RUN", Boolean.toString(dryRun));
            Settings settings = Settings.from(env);
            int code = new Launcher(Map.of(), out, err).once(settings);
            printResult(directory, mailcow, work.resolve("conf"), dryRun);
            out.println("Exit code " + code + " (0: the cycle succeeded)");
            return code;
        } catch (SettingsException e) {
            e.problems().forEach(p -> err.println("ldap-mailcow demo failed: " + p));
            return Launcher.BAD_CONFIGURATION;
        } catch (IOException | RuntimeException e) {
            err.println("ldap-mailcow demo failed: " + e.getMessage());
            return Launcher.STARTUP_FAILED;
        } finally {
            delete(work);
            Configurator.setLevel(levels);
        }
    }

    private void printResult(DemoDirectory directory, MailcowEmulator mailcow, Path conf, boolean dryRun)
            throws IOException {
        // mailcow stores a mailbox lower case and compares addresses ignoring case: every mailbox is shown
        // as mailcow stores it, also where an alias leads to it
        Map<String, String> mailboxes = mailcow.mailboxes().values().stream()
                .collect(Collectors.toMap(m -> lower(m.username()), MailboxView::username, (a, b) -> a));
        out.println();
        out.println("Mailboxes in mailcow after the cycle:");
        mailcow.mailboxes().values().forEach(m -> out.printf("  %-30s %-20s %-8s %d MiB%s%n", m.username(), m.name(),
                m.active() ? "active" : "inactive", m.quotaMiB(),
                m.active() ? "" : disabledInDirectory(directory, m.username())
                        ? "  (account disabled in the directory)" : ""));
        out.println("Aliases in mailcow after the cycle:");
        mailcow.aliases().values().forEach(a -> out.printf("  %-30s -> %s%s%n", a.address(),
                a.gotos().stream().map(g -> mailboxes.getOrDefault(lower(g), g)).collect(Collectors.joining(",")),
                a.active() ? "" : "  (inactive)"));
        out.println(dryRun ? "Auth config: a dry run leaves " + conf + " as it is"
                : "Dovecot and SOGo files rendered (LDAP_MAILCOW_CONF_DIR holds them in the service): "
                + renderedFiles(conf));
        out.println("mailcow API requests: " + mailcow.countByEndpoint());
    }

    private static boolean disabledInDirectory(DemoDirectory directory, String mail) {
        try {
            List<SearchResultEntry> entries = directory.server().search(directory.baseDn(), SearchScope.SUB,
                    Filter.createEqualityFilter("mail", mail), "userAccountControl").getSearchEntries();
            return entries.stream().anyMatch(e -> (e.getAttributeValueAsInteger("userAccountControl") & 2) != 0);
        } catch (LDAPException | RuntimeException e) {
            return false;
        }
    }

    private static String renderedFiles(Path conf) throws IOException {
        if (!Files.isDirectory(conf)) {
            return "none";
        }
        try (Stream<Path> files = Files.walk(conf)) {
            List<String> names = files.filter(Files::isRegularFile).map(f -> conf.relativize(f).toString()).sorted()
                    .toList();
            return names.isEmpty() ? "none" : String.join(", ", names);
        }
    }

    private static String lower(String address) {
        return address.toLowerCase(Locale.ROOT);
    }

    private static Map<String, Level> quiet() {
        Map<String, Level> previous = new HashMap<>();
        Map<String, Level> quiet = new HashMap<>();
        for (String logger : QUIET) {
            previous.put(logger, org.apache.logging.log4j.LogManager.getLogger(logger).getLevel());
            quiet.put(logger, Level.ERROR);
        }
        Configurator.setLevel(quiet);
        return previous;
    }

    private void delete(Path work) {
        if (work == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(work)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            err.println("ldap-mailcow demo: could not remove its scratch directory " + work + ": " + e.getMessage());
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
