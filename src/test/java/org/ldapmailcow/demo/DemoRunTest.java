package org.ldapmailcow.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first thing an admin runs: {@code java -jar target/ldap-mailcow-demo.jar}, here from a working directory
 * that is not the repository, with a temporary directory of its own to see what it leaves behind.
 */
class DemoRunTest {

    private static final Path MODULE = Path.of("").toAbsolutePath();
    private static final Path JAR = MODULE.resolve("target/ldap-mailcow.jar");
    private static final Path DEMO_JAR = MODULE.resolve("target/ldap-mailcow-demo.jar");
    private static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]+");

    @TempDir
    Path scratch;

    @Test
    void theDemoRunsFromAnyDirectorySpellsEachAddressOnceExplainsInactiveMailboxesAndLeavesNothingBehind()
            throws Exception {
        assumeTrue(Files.isRegularFile(DEMO_JAR), "target/ldap-mailcow-demo.jar is missing: mvn test builds it before the tests");
        Path elsewhere = Files.createDirectories(scratch.resolve("home/admin"));
        Path tmp = Files.createDirectories(scratch.resolve("tmp"));

        Run demo = run(List.of(java(), "-Djava.io.tmpdir=" + tmp, "-jar", DEMO_JAR.toString()), Map.of(), elsewhere);

        assertThat(demo.code).as(demo.out + demo.err).isZero();
        assertThat(demo.err).isEmpty();
        String table = demo.out.substring(demo.out.indexOf("Mailboxes in mailcow after the cycle:"));
        Map<String, Set<String>> spellings = new TreeMap<>();
        Matcher m = ADDRESS.matcher(table);
        while (m.find()) {
            spellings.computeIfAbsent(m.group().toLowerCase(Locale.ROOT), k -> new TreeSet<>()).add(m.group());
        }
        assertThat(spellings).containsKey("grace.green@example.local");
        assertThat(spellings.values()).as("one spelling per address").allSatisfy(s -> assertThat(s).hasSize(1));
        assertThat(spellings.get("grace.green@example.local")).as("as mailcow stores the mailbox")
                .containsExactly("grace.green@example.local");

        String eve = table.lines().filter(l -> l.strip().startsWith("eve@example.local")).findFirst().orElseThrow();
        assertThat(eve).contains("inactive").contains("account disabled");
        assertThat(demo.out).as("the cycle's own line says why too")
                .containsPattern("mailbox create eve@example\\.local: .*account disabled");

        assertThat(demo.out).as("no advice for containers the demo does not have").doesNotContainIgnoringCase("restart")
                .as("no URL of a server that ends with the demo").doesNotContain("observe/health")
                .doesNotContain("http://");
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left.toList()).as("what the demo left in its temporary directory").isEmpty();
        }
        try (Stream<Path> left = Files.list(elsewhere)) {
            assertThat(left.toList()).as("what the demo left in the working directory").isEmpty();
        }
    }

    @Test
    void withoutItsRoutesTheJarSaysInOneLineWhichVariableToSet() throws Exception {
        assumeTrue(Files.isRegularFile(JAR), "target/ldap-mailcow.jar is missing: mvn test builds it before the tests");
        // the jar and its libraries installed somewhere without routes/ beside them
        Path install = Files.createDirectories(scratch.resolve("opt/ldap-mailcow"));
        Files.copy(JAR, install.resolve("ldap-mailcow.jar"));
        Files.createSymbolicLink(install.resolve("lib"), MODULE.resolve("target/lib"));
        Map<String, String> env = new TreeMap<>(Map.of(
                "LDAP_MAILCOW_LDAP_URI", "ldaps://dc.example.local",
                "LDAP_MAILCOW_LDAP_GC_URI", "ldaps://dc.example.local:3269",
                "LDAP_MAILCOW_LDAP_DOMAIN", "example.local",
                "LDAP_MAILCOW_LDAP_BASE_DN", "DC=example,DC=local",
                "LDAP_MAILCOW_LDAP_BIND_DN", "CN=Bind,DC=example,DC=local",
                "LDAP_MAILCOW_LDAP_BIND_DN_PASSWORD", "unused",
                "LDAP_MAILCOW_API_HOST", "https://mail.example.local",
                "LDAP_MAILCOW_API_KEY", "unused",
                "LDAP_MAILCOW_API_QUOTA", "0",
                "LDAP_MAILCOW_SYNC_INTERVAL", "300"));

        Run once = run(List.of(java(), "-jar", install.resolve("ldap-mailcow.jar").toString(), "--once"), env, scratch);

        assertThat(once.code).as(once.out + once.err).isEqualTo(2);
        assertThat(once.err.strip()).doesNotContain("\n").contains("LDAP_MAILCOW_ROUTES_DIR")
                .contains(install.resolve("routes").toString());
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private record Run(int code, String out, String err) {
    }

    private Run run(List<String> command, Map<String, String> env, Path workingDirectory) throws Exception {
        Path out = Files.createTempFile(scratch, "out", ".txt");
        Path err = Files.createTempFile(scratch, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).directory(workingDirectory.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("LDAP_MAILCOW_"));
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not end in 120 s: " + read(out) + read(err));
        }
        return new Run(process.exitValue(), read(out), read(err));
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
