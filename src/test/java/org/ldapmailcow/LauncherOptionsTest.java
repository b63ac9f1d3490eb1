package org.ldapmailcow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.ldapmailcow.config.Settings;

/** Issue 6: --help names every variable the settings read, with its default; --version and bad options. */
class LauncherOptionsTest {

    /** The helpers Settings reads a variable through; the first argument is its name, the second its default. */
    private static final Pattern READ = Pattern.compile(
            "\\b(required|optional|orDefault|installed|secret|uri|dn|integer|bool|choice|list|readableFile|ldapFilter)"
                    + "\\(\"([A-Z_]+)\"((?:,\\s*(?:\"[^\"]*\"|[^,)\"]+))*)");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int launch(String... args) {
        return new Launcher(Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
    }

    @Test
    void helpListsEveryVariableTheSettingsReadWithItsDefault() throws Exception {
        assertThat(launch("--help")).isZero();
        String help = out.toString(StandardCharsets.UTF_8);
        for (String option : List.of("--once", "--demo", "--dry-run", "--force", "--help", "--version")) {
            assertThat(help).contains(option);
        }

        String environment = help.substring(help.indexOf("Environment (required)"));
        String source = Files.readString(Path.of("src/main/java/org/ldapmailcow/config/Settings.java"));
        Matcher m = READ.matcher(source);
        List<String> checked = new ArrayList<>();
        while (m.find()) {
            String variable = Settings.PREFIX + m.group(2);
            String line = environment.lines().filter(l -> l.matches(".*\\b" + variable + "\\b.*")).findFirst().orElse(null);
            assertThat(line).as(variable + " in --help").isNotNull();
            String def = defaultOf(m.group(1), m.group(3));
            if (def != null) {
                assertThat(line).as("default of " + variable).contains(def);
            }
            if (m.group(1).equals("secret")) {
                assertThat(line).as(variable + "_FILE").contains("_FILE");
            }
            checked.add(variable);
        }
        assertThat(checked).hasSizeGreaterThan(30);
        assertThat(help).contains(Settings.DEFAULT_SOGO_FILTER);
    }

    /** The default as --help should print it, or null where the call names none. */
    private static String defaultOf(String helper, String args) throws Exception {
        List<String> a = new ArrayList<>();
        for (String arg : args.split(",\\s*")) {
            if (!arg.isBlank()) {
                a.add(arg.strip());
            }
        }
        String def = switch (helper) {
            case "integer", "orDefault", "installed", "bool", "list" -> a.isEmpty() ? null : a.get(0);
            case "choice", "ldapFilter" -> a.size() < 2 ? null : a.get(1);
            default -> null;
        };
        if (def == null || def.equals("null") || def.startsWith("List.of")) {
            return null;
        }
        if (def.startsWith("\"")) {
            return def.substring(1, def.length() - 1);
        }
        if (def.matches("[0-9_]+")) {
            return def.replace("_", "");
        }
        if (helper.equals("choice")) {
            return def.substring(def.indexOf('.') + 1).toLowerCase(Locale.ROOT);
        }
        if (def.matches("DEFAULT_[A-Z_]+")) {
            Object value = Settings.class.getField(def).get(null);
            return value instanceof List<?> list ? String.join(",", list.stream().map(String::valueOf).toList())
                    : value.toString();
        }
        return def;
    }

    @Test
    void versionPrintsTheNameAndVersion() {
        assertThat(launch("--version")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("ldap-mailcow ");
    }

    @Test
    void demoSaysInOneLineWhereTheDemoJarIs() {
        assertThat(launch("--demo")).isEqualTo(Launcher.BAD_CONFIGURATION);
        assertThat(err.toString(StandardCharsets.UTF_8).strip()).doesNotContain("\n")
                .contains("java -jar target/ldap-mailcow-demo.jar");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void anUnknownOptionIsABadConfigurationNamedOnStderr() {
        assertThat(launch("--onse")).isEqualTo(Launcher.BAD_CONFIGURATION);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--onse").contains("--help");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }
}
