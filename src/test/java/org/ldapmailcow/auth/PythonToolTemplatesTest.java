package org.ldapmailcow.auth;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Templates an admin of the Python tool mounted at {@code /templates} (its README's "LDAP Fine-tuning"), in its
 * {@code string.Template} syntax. The fixtures in {@code src/test/resources/auth/python-tool}: {@code templates}
 * are the Python tool's own three templates, {@code edited} an admin's changes to them (an extra line, a changed
 * filter, the braced and {@code $$} forms), {@code expected} what the Python tool wrote from them, made with
 * Python's own {@code string.Template} by {@code render.py} (the Python tool's rendering code path: substitute
 * with its keywords, {@code print} to the file).
 */
class PythonToolTemplatesTest {

    static final Path FIXTURES = Path.of("src/test/resources/auth/python-tool");
    static final List<String> PYTHON_FILES = List.of(AuthConfigRenderingTest.PASSDB, AuthConfigRenderingTest.EXTRA,
            AuthConfigRenderingTest.PLIST);

    /** Values that the Python tool wrote into its files unescaped, breaking them. */
    static final String BASE_DN = "OU=100% R&D,DC=example,DC=local";
    static final String PASSWORD = AuthConfigRenderingTest.MARK + "<&>\"' $HOME #x %u \\";
    static final String SOGO_FILTER = "objectClass='user' AND description='a<b'";

    @TempDir
    Path tmp;
    Path conf;
    /** Stands for the container's /templates. */
    Path mounted;
    LogCapture log;

    @BeforeEach
    void setUp() {
        conf = tmp.resolve("conf");
        mounted = tmp.resolve("templates");
        log = LogCapture.open(Level.DEBUG);
    }

    @AfterEach
    void noLogLineShowsThePassword() {
        log.close();
        assertThat(log.lines()).noneMatch(line -> line.contains(AuthConfigRenderingTest.MARK));
    }

    @ParameterizedTest
    @ValueSource(strings = {"templates", "edited"})
    void templatesMountedWhereThePythonToolReadThemRenderToTheBytesItWrote(String templates) throws Exception {
        mount(FIXTURES.resolve(templates));

        Object restart = render(plain());

        String expected = templates.equals("templates") ? "original" : "edited";
        for (String file : PYTHON_FILES) {
            assertThat(Files.readAllBytes(conf.resolve(file))).as(file)
                    .isEqualTo(Files.readAllBytes(FIXTURES.resolve("expected").resolve(expected).resolve(file)));
        }
        // the Python tool had no plist_ldap.sh: it comes from the shipped template
        assertThat(read(conf.resolve(AuthConfigRenderingTest.SCRIPT))).isEqualTo(
                read(AuthConfigRenderingTest.EXPECTED.resolve("plain").resolve(AuthConfigRenderingTest.SCRIPT)));
        assertThat(restart).isEqualTo(List.of("dovecot-mailcow", "sogo-mailcow"));
        for (String file : PYTHON_FILES) {
            assertThat(log.lines(Level.WARN, PythonTemplates.class)).as(file).anyMatch(line -> line.startsWith(
                    mounted.resolve(file) + " is a template in the Python tool's syntax")
                    && line.contains("To move to the new syntax, copy ldap-mailcow's templates/" + file)
                    && line.contains("mount it as " + AuthConfigRenderingTest.SHIPPED_TEMPLATES.resolve(file)));
        }
    }

    @Test
    void afterTheSwapTheFilesThePythonToolLeftAreNotRewritten() throws Exception {
        mount(FIXTURES.resolve("edited"));
        // as the Python tool left them in the conf volume
        for (String file : PYTHON_FILES) {
            Files.createDirectories(conf.resolve(file).getParent());
            Files.copy(FIXTURES.resolve("expected/edited").resolve(file), conf.resolve(file));
        }

        Object restart = render(plain());

        assertThat(filesBelow(conf)).containsExactlyInAnyOrder(AuthConfigRenderingTest.PASSDB,
                AuthConfigRenderingTest.EXTRA, AuthConfigRenderingTest.PLIST, AuthConfigRenderingTest.SCRIPT);
        assertThat(restart).as("only the new plist_ldap.sh: SOGo only").isEqualTo(List.of("sogo-mailcow"));
    }

    @Test
    void onlyTheFilesMountedThereReplaceTheShippedTemplates() throws Exception {
        Files.createDirectories(mounted.resolve("sogo"));
        Files.copy(FIXTURES.resolve("templates/sogo/plist_ldap"), mounted.resolve(AuthConfigRenderingTest.PLIST));

        render(plain());

        assertThat(Files.readAllBytes(conf.resolve(AuthConfigRenderingTest.PLIST)))
                .isEqualTo(Files.readAllBytes(FIXTURES.resolve("expected/original/sogo/plist_ldap")));
        for (String shipped : List.of(AuthConfigRenderingTest.PASSDB, AuthConfigRenderingTest.EXTRA)) {
            assertThat(read(conf.resolve(shipped))).as(shipped)
                    .isEqualTo(read(AuthConfigRenderingTest.EXPECTED.resolve("plain").resolve(shipped)));
        }
        assertThat(log.lines(Level.WARN, PythonTemplates.class)).singleElement().asString()
                .startsWith(mounted.resolve(AuthConfigRenderingTest.PLIST) + " is a template in the Python tool's");
    }

    @Test
    void whenBothVariablesNameOneDirectoryItsFilesAreTheNewTemplates() throws Exception {
        Map<String, String> env = plain();
        env.put("LDAP_MAILCOW_PYTHON_TEMPLATES_DIR", AuthConfigRenderingTest.SHIPPED_TEMPLATES.toAbsolutePath().toString());

        render(env);

        for (String file : AuthConfigRenderingTest.FILES) {
            assertThat(read(conf.resolve(file))).as(file)
                    .isEqualTo(read(AuthConfigRenderingTest.EXPECTED.resolve("plain").resolve(file)));
        }
        assertThat(log.lines(Level.WARN, PythonTemplates.class)).isEmpty();
    }

    @Test
    void aTemplateSavedWithWindowsLineEndsRendersAsThePythonToolsTextModeReadIt() throws Exception {
        mount(FIXTURES.resolve("templates"));
        Path passdb = mounted.resolve(AuthConfigRenderingTest.PASSDB);
        Files.writeString(passdb, read(passdb).replace("\n", "\r\n"));

        render(plain());

        assertThat(Files.readAllBytes(conf.resolve(AuthConfigRenderingTest.PASSDB)))
                .isEqualTo(Files.readAllBytes(FIXTURES.resolve("expected/original/dovecot/ldap/passdb.conf")));
    }

    @Test
    void valuesThatBrokeThePythonToolsFilesAreEscapedAndEveryOtherLineIsItsOwn() throws Exception {
        mount(FIXTURES.resolve("templates"));

        render(special());

        // the Python tool's output for these values, line by line: only the lines with such a value differ
        Path python = FIXTURES.resolve("expected/python-special");
        assertThat(differingLines(conf.resolve(AuthConfigRenderingTest.PASSDB),
                python.resolve(AuthConfigRenderingTest.PASSDB))).containsExactly(3, 8);
        assertThat(differingLines(conf.resolve(AuthConfigRenderingTest.PLIST),
                python.resolve(AuthConfigRenderingTest.PLIST))).containsExactly(16, 21, 37);

        Map<String, String> passdb = DovecotSettings.read(read(conf.resolve(AuthConfigRenderingTest.PASSDB)));
        assertThat(passdb.get("dnpass")).isEqualTo(PASSWORD);
        assertThat(DovecotSettings.expand(passdb.get("base"), "alice")).isEqualTo(BASE_DN);
        assertThat(passdb.get("dn")).isEqualTo("CN=Bind DN,CN=Users,DC=example,DC=local");
        assertThat(passdb.get("pass_filter")).isEqualTo("(&(ObjectClass=person)(sAMAccountName=%n))");

        Map<String, Object> source = PlistSource.parse(read(conf.resolve(AuthConfigRenderingTest.PLIST))
                .replace("<!-- LDAP Configuration -->", ""));
        assertThat(source).containsEntry("bindPassword", PASSWORD).containsEntry("baseDN", BASE_DN)
                .containsEntry("filter", SOGO_FILTER).containsEntry("id", "${line}_ldap");
        assertThat(read(conf.resolve(AuthConfigRenderingTest.PLIST)))
                .as("no $ left for mailcow's envsubst but its own ${line}").contains("&#36;HOME")
                .doesNotContain("$HOME");
        assertThat(log.lines(Level.WARN, PythonTemplates.class)).contains(
                mounted.resolve(AuthConfigRenderingTest.PASSDB) + " line 8: the value of $ldap_bind_dn_password is "
                        + "escaped; the Python tool wrote it as it is, which Dovecot could not read");
    }

    @Test
    void anInvalidPlaceholderStopsWithFileLineAndColumnAndWritesNothing() throws Exception {
        mount(FIXTURES.resolve("templates"));
        Path plist = mounted.resolve(AuthConfigRenderingTest.PLIST);
        Files.writeString(plist, read(plist).replace("<string>YES</string>", "<string>$ YES</string>"));

        AuthConfigException e = failure(plain());

        assertThat(e).hasMessage("Cannot render " + plist + ", line 29, column 13: invalid placeholder: a $ must "
                + "start $name or ${name}, or be written $$");
        assertThat(conf).doesNotExist();
    }

    @Test
    void aNameThePythonToolDidNotKnowStopsTheStart() throws Exception {
        mount(FIXTURES.resolve("templates"));
        Path passdb = mounted.resolve(AuthConfigRenderingTest.PASSDB);
        Files.writeString(passdb, read(passdb) + "auth_realms = ${ldap_realm}\n");

        AuthConfigException e = failure(plain());

        assertThat(e).hasMessage("Cannot render " + passdb + ", line 18, column 15: no value for $ldap_realm");
        assertThat(conf).doesNotExist();
    }

    // ---- helpers ----

    /** The values of the Python tool's README example. */
    private Map<String, String> plain() {
        Map<String, String> env = AuthConfigContext.env(conf, AuthConfigRenderingTest.SHIPPED_TEMPLATES);
        env.put("LDAP_MAILCOW_PYTHON_TEMPLATES_DIR", mounted.toString());
        return env;
    }

    private Map<String, String> special() {
        Map<String, String> env = plain();
        env.put("LDAP_MAILCOW_LDAP_URI", "ldaps://dc.example.local:636");
        env.put("LDAP_MAILCOW_LDAP_GC_URI", "ldaps://dc.example.local:3269");
        env.put("LDAP_MAILCOW_LDAP_BASE_DN", BASE_DN);
        env.put("LDAP_MAILCOW_LDAP_BIND_DN_PASSWORD", PASSWORD);
        env.put("LDAP_MAILCOW_LDAP_FILTER", "(&(objectClass=user)(objectCategory=person))");
        env.put("LDAP_MAILCOW_SOGO_LDAP_FILTER", SOGO_FILTER);
        return env;
    }

    private void mount(Path templates) throws IOException {
        for (String file : PYTHON_FILES) {
            Files.createDirectories(mounted.resolve(file).getParent());
            Files.copy(templates.resolve(file), mounted.resolve(file));
        }
    }

    /** The 1-based numbers of the lines in which two files differ. */
    private static List<Integer> differingLines(Path a, Path b) throws IOException {
        List<String> left = Files.readAllLines(a, UTF_8);
        List<String> right = Files.readAllLines(b, UTF_8);
        assertThat(left).hasSameSizeAs(right);
        return java.util.stream.IntStream.range(0, left.size()).filter(i -> !left.get(i).equals(right.get(i)))
                .mapToObj(i -> i + 1).toList();
    }

    private static Object render(Map<String, String> env) throws Exception {
        try (AuthConfigContext context = AuthConfigContext.start(env)) {
            return context.render();
        }
    }

    private static AuthConfigException failure(Map<String, String> env) {
        Throwable thrown = catchThrowable(() -> render(env));
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof AuthConfigException e) {
                return e;
            }
        }
        throw new AssertionError("expected an AuthConfigException, got " + thrown, thrown);
    }

    private static List<String> filesBelow(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).map(f -> dir.relativize(f).toString()).toList();
        }
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, UTF_8);
    }
}
