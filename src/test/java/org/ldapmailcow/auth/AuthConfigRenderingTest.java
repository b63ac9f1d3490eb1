package org.ldapmailcow.auth;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.unboundid.ldap.sdk.Filter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Boots the real route file and sends the start-up sequence's exchange to {@code direct:render-auth-config}. */
class AuthConfigRenderingTest {

    /** Part of the password that survives every escaping: no log line may ever contain it. */
    static final String MARK = "Pw7f3a";
    static final String PASSWORD = MARK + "<&>\"'$HOME $(id) `id` \\ ! %u ";
    static final String BIND_DN = "CN=O'Brien \\\"Svc\\\" \\<x\\> & $USER!,OU=Service Accounts,DC=example,DC=local";
    static final String BASE_DN = "OU=100% R&D \\\"Mail\\\" $Users,DC=example,DC=local";
    static final String USER_FILTER =
            "(&(objectClass=user)(objectCategory=person)(description=a<b & \"c\" 'd' $HOME \\5c 100%!))";
    static final String SOGO_FILTER = "objectClass='user' AND description='a<b & \"c\" $HOME \\ 100%!'";
    static final String LDAP_URI = "ldaps://dc.example.local:636";
    static final String GC_URI = "ldaps://dc.example.local:3269";

    static final String PASSDB = "dovecot/ldap/passdb.conf";
    static final String EXTRA = "dovecot/extra.conf";
    static final String PLIST = "sogo/plist_ldap";
    static final String SCRIPT = "sogo/plist_ldap.sh";
    static final List<String> FILES = List.of(PASSDB, EXTRA, PLIST, SCRIPT);
    static final Path SHIPPED_TEMPLATES = Path.of("templates");
    static final Path EXPECTED = Path.of("src/test/resources/auth/expected");
    static final String BAK = ConfigFileWriter.BACKUP_SUFFIX;

    @TempDir
    Path tmp;
    Path conf;
    LogCapture log;

    static final FileTime PAST = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));

    @BeforeEach
    void captureLog() {
        conf = tmp.resolve("conf");
        log = LogCapture.open(Level.DEBUG);
    }

    @AfterEach
    void noLogLineShowsThePassword() {
        log.close();
        assertThat(log.lines()).isNotEmpty().noneMatch(line -> line.contains(MARK));
    }

    // ---- what is rendered ----

    @ParameterizedTest
    @ValueSource(strings = {"plain", "special"})
    void eachTemplateRendersAsExpected(String values) throws Exception {
        Object body = render(values.equals("plain") ? plain() : special());

        for (String file : FILES) {
            assertThat(read(conf.resolve(file))).as(file).isEqualTo(read(EXPECTED.resolve(values).resolve(file)));
        }
        assertThat(filesBelow(conf)).containsExactlyInAnyOrderElementsOf(FILES);
        assertThat(body).isEqualTo(List.of("dovecot-mailcow", "sogo-mailcow"));
        assertThat(log.lines(Level.WARN, ConfigFileWriter.class)).containsExactly(
                "Dovecot/SOGo authentication configuration changed; restart the mailcow containers that read it: "
                        + "docker compose restart dovecot-mailcow sogo-mailcow");
    }

    @Test
    void dovecotReadsBackEveryValueAndLogsInByAccountNameOrMailAddress() throws Exception {
        render(special());

        Map<String, String> passdb = DovecotSettings.read(read(conf.resolve(PASSDB)));
        assertThat(passdb.get("uris")).isEqualTo(GC_URI);
        assertThat(passdb.get("dn")).isEqualTo(BIND_DN);
        assertThat(passdb.get("dnpass")).isEqualTo(PASSWORD);
        assertThat(DovecotSettings.expand(passdb.get("base"), "alice@example.org")).isEqualTo(BASE_DN);
        String login = "(&" + USER_FILTER + "(|(sAMAccountName=alice)(mail=alice@example.org)))";
        assertThat(DovecotSettings.expand(passdb.get("pass_filter"), "alice@example.org")).isEqualTo(login);
        assertThat(DovecotSettings.expand(passdb.get("user_filter"), "alice@example.org")).isEqualTo(login);
        assertThat(Filter.create(login).getComponents()).hasSize(2);
        assertThat(passdb).containsEntry("auth_bind", "yes").containsEntry("scope", "subtree")
                .containsEntry("ldap_version", "3");
    }

    @Test
    void plistLdapSurvivesMailcowsEnvsubstAndParsesBackToTheValues() throws Exception {
        assumeTrue(onPath("envsubst"), "envsubst (gettext-base) is not installed");
        render(special());

        // what mailcow's SOGo start-up before 2025-03 does with it: line=<domain> envsubst < plist_ldap
        ProcessBuilder envsubst = new ProcessBuilder("envsubst")
                .redirectInput(conf.resolve(PLIST).toFile());
        envsubst.environment().put("line", "example.org");
        envsubst.environment().put("HOME", "/home/elsewhere");
        envsubst.environment().put("USER", "someone");
        Result result = run(envsubst);

        assertThat(result.exit).isZero();
        assertThat(PlistSource.parse(result.stdout)).isEqualTo(expectedSource("example.org"));
    }

    @Test
    void scriptPrintsTheSameSourceForTheDomainItIsGiven() throws Exception {
        render(special());
        Path script = conf.resolve(SCRIPT);

        Result viaBash = run(new ProcessBuilder("bash", script.toString(), "example.org", "YES"));
        assertThat(viaBash.stderr).isEmpty();
        assertThat(viaBash.exit).isZero();
        assertThat(PlistSource.parse(viaBash.stdout)).isEqualTo(expectedSource("example.org"));

        // mailcow runs it as /etc/sogo/plist_ldap.sh <domain> <gal>: shebang and execute bit
        Result direct = run(new ProcessBuilder(script.toString(), "other.example", "NO"));
        assertThat(direct.exit).isZero();
        assertThat(PlistSource.parse(direct.stdout)).isEqualTo(expectedSource("other.example"));
    }

    @Test
    void scriptPrintsNothingForWhatIsNotADomainName() throws Exception {
        render(special());

        Result result = run(new ProcessBuilder("bash", conf.resolve(SCRIPT).toString(),
                "x</string><key>bindPassword</key><string>y", "YES"));

        assertThat(result.exit).isNotZero();
        assertThat(result.stdout).isEmpty();
        assertThat(result.stderr).contains("not a domain name");
    }

    // ---- writing ----

    @Test
    void noLogLineAtAnyLevelShowsThePassword() throws Exception {
        log.close();
        log = LogCapture.open(Level.ALL);
        Path templates = customTemplates();
        appendLine(templates.resolve(PLIST), "${body.bindPassword?number}");

        render(special());
        Files.writeString(conf.resolve(PASSDB), "changed\n");
        render(special());
        renderFailure(templates);

        assertThat(log.lines()).anyMatch(line -> line.startsWith("TRACE "));
        // the check itself is in noLogLineShowsThePassword, after each test
    }

    @Test
    void unchangedFilesAreNotRewritten() throws Exception {
        renderThenBackdate();

        Object body = render(special());

        for (String file : FILES) {
            assertThat(Files.getLastModifiedTime(conf.resolve(file))).as(file).isEqualTo(PAST);
        }
        assertThat(filesBelow(conf)).containsExactlyInAnyOrderElementsOf(FILES);
        assertThat(body).isEqualTo(List.of());
        assertThat(log.lines(Level.WARN, ConfigFileWriter.class)).isEmpty();
        assertThat(log.lines(Level.INFO, ConfigFileWriter.class))
                .contains(conf.resolve(PASSDB) + " is up to date", "Dovecot and SOGo configuration is up to date in "
                        + conf);
    }

    @Test
    void aChangedSettingRewritesOnlyTheFilesThatUseIt() throws Exception {
        renderThenBackdate();

        Map<String, String> env = special();
        env.put("LDAP_MAILCOW_LDAP_URI", "ldaps://dc2.example.local:636");
        Object body = render(env);

        assertThat(body).isEqualTo(List.of("sogo-mailcow"));
        assertThat(Files.getLastModifiedTime(conf.resolve(PASSDB))).isEqualTo(PAST);
        assertThat(Files.getLastModifiedTime(conf.resolve(EXTRA))).isEqualTo(PAST);
        assertThat(read(conf.resolve(PLIST))).contains("<string>ldaps://dc2.example.local:636</string>");
        assertThat(read(conf.resolve(PLIST + BAK))).contains("<string>" + LDAP_URI + "</string>");
        assertThat(read(conf.resolve(SCRIPT))).contains("hostname='ldaps://dc2.example.local:636'");
        assertThat(log.lines(Level.WARN, ConfigFileWriter.class)).singleElement().asString()
                .endsWith("docker compose restart sogo-mailcow");
    }

    @Test
    void eachChangeKeepsThePreviousVersionUnderTheNextBackupNumber() throws Exception {
        render(special());
        Path passdb = conf.resolve(PASSDB);
        String rendered = read(passdb);

        Files.writeString(passdb, rendered + "# first local edit\n");
        Object body = render(special());
        assertThat(read(passdb)).isEqualTo(rendered);
        assertThat(read(conf.resolve(PASSDB + BAK))).isEqualTo(rendered + "# first local edit\n");
        assertThat(body).isEqualTo(List.of("dovecot-mailcow"));

        Files.writeString(passdb, rendered + "# second local edit\n");
        render(special());
        assertThat(read(passdb)).isEqualTo(rendered);
        assertThat(read(conf.resolve(PASSDB + BAK))).isEqualTo(rendered + "# first local edit\n");
        assertThat(read(conf.resolve(PASSDB + BAK + ".1"))).isEqualTo(rendered + "# second local edit\n");
        assertThat(filesBelow(conf)).containsExactlyInAnyOrder(PASSDB, PASSDB + BAK, PASSDB + BAK + ".1",
                EXTRA, PLIST, SCRIPT);
        assertThat(log.lines(Level.INFO, ConfigFileWriter.class))
                .contains("Wrote " + passdb + "; its previous version is kept as passdb.conf" + BAK + ".1");
    }

    @Test
    void filesHoldingThePasswordAreReadableByOwnerAndGroupOnly() throws Exception {
        // as the Python tool left it: world-readable
        Path passdb = conf.resolve(PASSDB);
        Files.createDirectories(passdb.getParent());
        Files.writeString(passdb, "dnpass = \"old secret\"\n");
        Files.setPosixFilePermissions(passdb, PosixFilePermissions.fromString("rw-r--r--"));

        render(special());

        assertThat(permissions(conf.resolve(PASSDB))).isEqualTo("rw-r-----");
        assertThat(permissions(conf.resolve(PLIST))).isEqualTo("rw-r-----");
        assertThat(permissions(conf.resolve(SCRIPT))).isEqualTo("rwx------");
        assertThat(permissions(conf.resolve(EXTRA))).isEqualTo("rw-r--r--");
        assertThat(permissions(conf.resolve(PASSDB + BAK))).isEqualTo("rw-r-----");
    }

    @Test
    void anUnchangedFileThatOthersCanReadIsRestrictedButNotRewritten() throws Exception {
        render(special());
        Path passdb = conf.resolve(PASSDB);
        Files.setPosixFilePermissions(passdb, PosixFilePermissions.fromString("rw-rw-r--"));
        Files.setLastModifiedTime(passdb, PAST);

        render(special());

        assertThat(permissions(passdb)).isEqualTo("rw-r-----");
        assertThat(Files.getLastModifiedTime(passdb)).isEqualTo(PAST);
        assertThat(conf.resolve(PASSDB + BAK)).doesNotExist();
    }

    @Test
    void dryRunWritesNothing() throws Exception {
        Map<String, String> dryRun = special();
        dryRun.put("LDAP_MAILCOW_DRY_RUN", "true");

        assertThat(render(dryRun)).isEqualTo(List.of());
        assertThat(conf).doesNotExist();
        assertThat(log.lines(Level.INFO, ConfigFileWriter.class))
                .contains("Dry run: " + conf.resolve(PASSDB) + " would be created (not written)");

        render(special());
        Path passdb = conf.resolve(PASSDB);
        Files.writeString(passdb, "# local edit\n");
        Files.setPosixFilePermissions(passdb, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setLastModifiedTime(passdb, PAST);
        log.clear();

        assertThat(render(dryRun)).isEqualTo(List.of());
        assertThat(read(passdb)).isEqualTo("# local edit\n");
        assertThat(Files.getLastModifiedTime(passdb)).isEqualTo(PAST);
        assertThat(permissions(passdb)).isEqualTo("rw-r--r--");
        assertThat(conf.resolve(PASSDB + BAK)).doesNotExist();
        assertThat(log.lines(Level.INFO, ConfigFileWriter.class))
                .contains("Dry run: " + passdb + " would change (not written)");
        assertThat(log.lines(Level.WARN, ConfigFileWriter.class)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "mailcow"})
    void otherAuthModesRenderNothing(String mode) throws Exception {
        Map<String, String> env = special();
        env.put("LDAP_MAILCOW_AUTH_MODE", mode);
        // not even read in these modes
        env.put("LDAP_MAILCOW_TEMPLATES_DIR", tmp.resolve("no-templates-here").toString());

        render(env);

        assertThat(conf).doesNotExist();
        assertThat(log.lines(Level.INFO, "render-auth-config"))
                .containsExactly("LDAP_MAILCOW_AUTH_MODE is " + mode + ": no Dovecot or SOGo configuration rendered");
    }

    // ---- template errors ----

    @Test
    void anUnknownPlaceholderStopsWithFileAndLineAndWritesNothing() throws Exception {
        Path templates = customTemplates();
        Path extra = templates.resolve(EXTRA);
        int line = appendLine(extra, "auth_realms = ${body.realms}");

        AuthConfigException e = renderFailure(templates);

        assertThat(e).hasMessage("Cannot render " + extra + ", line " + line + ", column 17: no value for body.realms");
        // dovecot/ldap/passdb.conf rendered before it, but is not written either
        assertThat(conf).doesNotExist();
    }

    @Test
    void aTemplateSyntaxErrorStopsWithFileAndLine() throws Exception {
        Path templates = customTemplates();
        Path script = templates.resolve(SCRIPT);
        int line = appendLine(script, "echo ${esc.shell(}");

        AuthConfigException e = renderFailure(templates);

        assertThat(e.getMessage()).startsWith("Cannot render " + script + ", line " + line + ", column 18: ")
                .contains("Encountered \"}\"").doesNotContain("\n");
        assertThat(conf).doesNotExist();
    }

    @Test
    void aMissingTemplateStopsNamingTheFile() throws Exception {
        Path templates = customTemplates();
        Files.delete(templates.resolve(PLIST));

        AuthConfigException e = renderFailure(templates);

        assertThat(e).hasMessage("Cannot render " + templates.resolve(PLIST) + ": template file not found");
    }

    @Test
    void aTemplateErrorNeverShowsThePassword() throws Exception {
        Path templates = customTemplates();
        // FreeMarker's own message for this quotes the string it could not convert
        int line = appendLine(templates.resolve(PASSDB), "dnpass_length = ${body.bindPassword?number}");

        AuthConfigException e = renderFailure(templates);

        assertThat(e).hasMessage("Cannot render " + templates.resolve(PASSDB) + ", line " + line + ", column 17: "
                + "Can't convert this string to number, in ${body.bindPassword?number}");
        assertThat(e.getCause()).isNull();
    }

    @Test
    void aPasswordDovecotCannotHoldStopsStartUp() throws Exception {
        Map<String, String> env = special();
        env.put("LDAP_MAILCOW_LDAP_BIND_DN_PASSWORD", MARK + "\nsecond line");

        AuthConfigException e = failure(env);

        String passdb = SHIPPED_TEMPLATES.toAbsolutePath().resolve(PASSDB).toString();
        assertThat(e.getMessage()).startsWith("Cannot render " + passdb + ", line ")
                .contains("line break", "in ${esc.dovecot(body.bindPassword)}").doesNotContain(MARK);
        assertThat(conf).doesNotExist();
    }

    // ---- helpers ----

    /** Renders all files, dates them back to {@link #PAST} and forgets the log so far. */
    private void renderThenBackdate() throws Exception {
        render(special());
        for (String file : FILES) {
            Files.setLastModifiedTime(conf.resolve(file), PAST);
        }
        log.clear();
    }

    /** The values of the Python tool's README example. */
    private Map<String, String> plain() {
        return AuthConfigContext.env(conf, SHIPPED_TEMPLATES);
    }

    /** Every value that reaches a template holds characters that XML, Dovecot or the shell treat specially. */
    private Map<String, String> special() {
        Map<String, String> env = AuthConfigContext.env(conf, SHIPPED_TEMPLATES);
        env.put("LDAP_MAILCOW_LDAP_URI", LDAP_URI);
        env.put("LDAP_MAILCOW_LDAP_GC_URI", GC_URI);
        env.put("LDAP_MAILCOW_LDAP_BASE_DN", BASE_DN);
        env.put("LDAP_MAILCOW_LDAP_BIND_DN", BIND_DN);
        env.put("LDAP_MAILCOW_LDAP_BIND_DN_PASSWORD", PASSWORD);
        env.put("LDAP_MAILCOW_LDAP_FILTER", USER_FILTER);
        env.put("LDAP_MAILCOW_SOGO_LDAP_FILTER", SOGO_FILTER);
        return env;
    }

    /** The SOGo user source both SOGo files describe, for the given mail domain. */
    private static Map<String, Object> expectedSource(String domain) {
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("type", "ldap");
        source.put("id", domain + "_ldap");
        source.put("CNFieldName", "cn");
        source.put("IDFieldName", "cn");
        source.put("UIDFieldName", "mail");
        source.put("baseDN", BASE_DN);
        source.put("bindDN", BIND_DN);
        source.put("bindPassword", PASSWORD);
        source.put("bindFields", List.of("sAMAccountName", "mail"));
        source.put("bindAsCurrentUser", "YES");
        source.put("hostname", LDAP_URI);
        source.put("canAuthenticate", "YES");
        source.put("filter", SOGO_FILTER);
        source.put("isAddressBook", "NO");
        source.put("displayName", "Active Directory");
        source.put("scope", "SUB");
        return source;
    }

    private static Object render(Map<String, String> env) throws Exception {
        try (AuthConfigContext context = AuthConfigContext.start(env)) {
            return context.render();
        }
    }

    private AuthConfigException renderFailure(Path templates) throws Exception {
        Map<String, String> env = special();
        env.put("LDAP_MAILCOW_TEMPLATES_DIR", templates.toString());
        return failure(env);
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

    /** A copy of the shipped templates, as an admin would mount with LDAP_MAILCOW_TEMPLATES_DIR. */
    private Path customTemplates() throws IOException {
        Path custom = tmp.resolve("custom-templates");
        try (Stream<Path> files = Files.walk(SHIPPED_TEMPLATES)) {
            for (Path source : files.toList()) {
                Path target = custom.resolve(SHIPPED_TEMPLATES.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
        return custom;
    }

    /** Appends a line to a template; returns its line number. */
    private static int appendLine(Path file, String line) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(file, UTF_8));
        lines.add(line);
        Files.write(file, lines, UTF_8);
        return lines.size();
    }

    private static List<String> filesBelow(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).map(f -> dir.relativize(f).toString()).toList();
        }
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, UTF_8);
    }

    private static String permissions(Path file) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    private static boolean onPath(String command) {
        return Stream.of(System.getenv("PATH").split(":")).anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }

    record Result(int exit, String stdout, String stderr) {
    }

    private Result run(ProcessBuilder builder) throws Exception {
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        Process process = builder.directory(tmp.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile())
                .start();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("timed out: " + builder.command());
        }
        return new Result(process.exitValue(), read(out), read(err));
    }
}
