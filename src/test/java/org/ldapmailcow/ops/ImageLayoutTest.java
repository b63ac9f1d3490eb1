package org.ldapmailcow.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.RuntimeMXBean;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.ldapmailcow.config.Settings;
import org.ldapmailcow.demo.Demo;
import org.ldapmailcow.demo.DemoDirectory;
import org.ldapmailcow.demo.MailcowEmulator;

/**
 * The container image without a Docker engine: builds the runtime stage's file system from the Dockerfile's own
 * COPY lines (build-stage paths taken from this module's {@code target/}, which {@code mvn test} packages before
 * the tests run) and the RUN lines that run the image's own jar, with its ENV, WORKDIR, USER (through setpriv
 * when the test runs as root) and ENTRYPOINT, every container path placed under a scratch root. Then runs the
 * image's command against the demo directory and the mailcow emulator: one cycle with {@code --once}, and the
 * service with its HEALTHCHECK.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImageLayoutTest {

    private static final Path MODULE = Path.of("").toAbsolutePath();
    private static final String API_KEY = "layout-api-key-7f3a9c";
    private static final Pattern CONTAINER_PATH = Pattern.compile("(?<![\\w.-])(/app|/db|/conf)(?=/|$|[\\s\"'])");
    /** In RUN lines, which run at build time, /tmp is the image's too. */
    private static final Pattern BUILD_PATH = Pattern.compile("(?<![\\w.-])(/app|/db|/conf|/tmp)(?=/|$|[\\s\"'])");
    private static final ObjectMapper JSON = new ObjectMapper();

    Path root;
    Dockerfile dockerfile;
    DemoDirectory directory;
    MailcowEmulator mailcow;
    List<String> asUser = List.of();

    @BeforeAll
    void buildLayout() throws Exception {
        Path jar = MODULE.resolve("target/ldap-mailcow.jar");
        assumeTrue(Files.isRegularFile(jar) && Files.isDirectory(MODULE.resolve("target/lib")),
                "target/ldap-mailcow.jar and target/lib are missing: run the tests through Maven (mvn test builds them)");
        dockerfile = new Dockerfile(MODULE.resolve("Dockerfile"));
        root = Files.createTempDirectory("image-layout");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));

        for (Dockerfile.Copy copy : dockerfile.copies()) {
            copy(source(copy), inRoot(copy.target()), copy.target().endsWith("/"));
        }
        for (String volume : dockerfile.volumes()) {
            Files.createDirectories(inRoot(volume));
        }
        Files.createDirectories(inRoot("/tmp"));
        Files.setPosixFilePermissions(inRoot("/tmp"), PosixFilePermissions.fromString("rwxrwxrwx"));
        // the RUN lines that run the jar (the class-data archive's training run), as root, like docker build;
        // the others create the user and the volumes, emulated below
        for (Dockerfile.Run line : dockerfile.runSteps()) {
            if (line.command().contains("/app/ldap-mailcow.jar")) {
                Result step = run(line, root, imageEnvironment());
                assertThat(step.code).as("RUN " + line.command() + "\n" + step.out + step.err).isZero();
            }
        }

        String user = dockerfile.user();
        boolean root = "0".equals(run(List.of("id", "-u"), Map.of("PATH", System.getenv("PATH")), 10).out.strip());
        if (root && Files.isExecutable(Path.of("/usr/bin/setpriv"))) {
            String[] ids = user.split(":");
            // what the image's RUN line does for the volumes; /app stays root's and read-only for the user
            for (String volume : dockerfile.volumes()) {
                run(List.of("chown", ids[0] + ":" + ids[ids.length - 1], inRoot(volume).toString()), Map.of(), 10);
            }
            asUser = List.of("/usr/bin/setpriv", "--reuid=" + ids[0], "--regid=" + ids[ids.length - 1], "--clear-groups");
        }

        directory = new DemoDirectory().start().seedSample();
        mailcow = new MailcowEmulator(API_KEY).start();
        mailcow.addDomain("example.local");
    }

    @AfterAll
    void stopPeers() throws IOException {
        if (root != null) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            }
        }
        if (mailcow != null) {
            mailcow.close();
        }
        if (directory != null) {
            directory.close();
        }
    }

    @Test
    void imageIsBuiltOnPinnedJdk17AndRunsOnPinnedJre17AsNonRootWithThePythonToolsVolumes() {
        // exact versions: a floating tag (17-jre, 3.9-...) would give an admin's rebuild another JVM than the tested one
        assertThat(dockerfile.stage("build").from()).matches("maven:3\\.\\d+\\.\\d+-eclipse-temurin-17(-[a-z]+)?");
        assertThat(dockerfile.runtime().from()).matches("eclipse-temurin:17\\.0\\.\\d+(\\.\\d+)?_\\d+-jre(-[a-z]+)?");
        assertThat(dockerfile.user()).isNotBlank().doesNotStartWith("0").doesNotStartWith("root");
        assertThat(dockerfile.volumes()).containsExactly("/db", "/conf/dovecot", "/conf/sogo");
        assertThat(dockerfile.healthcheck()).contains(HealthProbe.class.getName());
        assertThat(MODULE.resolve(".dockerignore")).exists();
    }

    @Test
    void theImagesCommandLoadsItsClassesFromTheArchiveMadeAtBuild() throws Exception {
        assertThat(inRoot("/app/ldap-mailcow.jsa")).as("the training run's class-data archive").isRegularFile();
        Path classLog = inRoot("/tmp/class-load.log");
        Map<String, String> env = environment();
        // -Xshare:on: a start that cannot map the archive (other jars, other class path) fails instead of
        // silently reading every class from the jars again
        env.put("JAVA_OPTS", "-Xshare:on -Xlog:class+load=info:file=" + classLog);

        Result version = run(command(List.of("--version")), env, 30);

        assertThat(version.code).as(version.out + version.err).isZero();
        assertThat(version.out.strip()).isEqualTo("ldap-mailcow " + pomVersion());
        assertThat(Files.readString(classLog)).contains("org.ldapmailcow.Launcher source: shared objects file");
    }

    @Test
    void onceFromTheImageLayoutSyncsWritesStateReportAndAuthConfigUnderTheVolumes() throws Exception {
        try (JarFile jar = new JarFile(inRoot("/app/ldap-mailcow.jar").toFile())) {
            assertThat(jar.stream().map(e -> e.getName()))
                    .as("routes and templates come from /app, where a volume can replace them")
                    .noneMatch(n -> n.endsWith(".camel.yaml") || n.startsWith("templates/"));
        }

        Map<String, String> env = environment();
        env.put(LogFormat.VARIABLE, "json");
        env.put(Settings.PREFIX + "MANAGEMENT_PORT", Integer.toString(freePort()));
        Result once = run(command(List.of("--once")), env, 90);

        assertThat(once.code).as(once.out + once.err).isZero();
        assertThat(mailcow.mailboxes()).containsKeys("alice@example.local", "bob@example.local");
        Path db = inRoot("/db/ldap-mailcow.sqlite3");
        assertThat(db).exists();
        if (!asUser.isEmpty()) {
            assertThat(Files.getAttribute(db, "unix:uid")).as("written by the image's user")
                    .isEqualTo(Integer.parseInt(dockerfile.user().split(":")[0]));
        }
        assertThat(inRoot("/conf/dovecot/ldap/passdb.conf")).content().contains(directory.ldapUri());
        assertThat(inRoot("/conf/sogo/plist_ldap")).exists();

        List<Path> reports;
        try (Stream<Path> files = Files.list(inRoot("/db/reports"))) {
            reports = files.toList();
        }
        assertThat(reports).hasSize(1);
        JsonNode report = JSON.readTree(reports.get(0).toFile());
        assertThat(report.get("result").asText()).isEqualTo("succeeded");
        assertThat(report.get("applied").get("mailbox create").asInt()).isEqualTo(mailcow.mailboxes().size());

        List<String> lines = once.out.lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).isNotEmpty();
        List<JsonNode> events = new ArrayList<>();
        for (String line : lines) {
            events.add(JSON.readTree(line)); // every line is one JSON object
        }
        assertThat(events).anySatisfy(e -> assertThat(e.get("message").asText()).startsWith("Cycle 1 succeeded"));
        assertThat(once.out + once.err + Files.readString(reports.get(0)))
                .doesNotContain(API_KEY).doesNotContain(directory.bindPassword());

        Result version = run(command(List.of("--version")), environment(), 30);
        assertThat(version.out.strip()).isEqualTo("ldap-mailcow " + pomVersion());
        Result help = run(command(List.of("--help")), environment(), 30);
        dockerfile.env().forEach((name, value) -> {
            if (name.startsWith(Settings.PREFIX) && !name.endsWith("MANAGEMENT_PORT")) {
                assertThat(help.out).as("--help names the image's defaults").contains(name + "=" + value);
            }
        });
    }

    @Test
    void serviceFromTheImageLayoutPassesItsHealthcheckUntilItStops() throws Exception {
        Map<String, String> env = environment();
        env.put(Settings.PREFIX + "MANAGEMENT_PORT", Integer.toString(freePort()));
        env.put(Settings.PREFIX + "DB_FILE", "/db/service/ldap-mailcow.sqlite3");
        for (Map.Entry<String, String> e : env.entrySet()) {
            e.setValue(mapPaths(e.getValue()));
        }
        Files.createDirectories(inRoot("/db/service"));
        if (!asUser.isEmpty()) {
            run(List.of("chown", "--reference=" + inRoot("/db"), inRoot("/db/service").toString()), Map.of(), 10);
        }
        Path out = root.resolve("service.out");
        Process service = start(command(List.of()), env, out, out);
        try {
            Path reports = inRoot("/db/service/reports");
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!(Files.isDirectory(reports) && Files.list(reports).findAny().isPresent())
                    && service.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(service.isAlive()).as(Files.readString(out)).isTrue();
            assertThat(Files.readString(out)).as("the first cycle runs right after the start").contains("Cycle 1 succeeded");

            Result healthy = run(healthcheck(), env, 30);
            assertThat(healthy.code).as(healthy.out + healthy.err).isZero();
            assertThat(healthy.out).contains("\"UP\"").contains("sync-cycle");
        } finally {
            service.destroy();
            assertThat(service.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        Result stopped = run(healthcheck(), env, 30);
        assertThat(stopped.code).isNotZero();
        assertThat(Files.readString(out)).doesNotContain(API_KEY).doesNotContain(directory.bindPassword());
    }

    @Test
    void anAdminsJavaOptsAddToTheImagesMemoryFlagsInsteadOfReplacingThem() throws Exception {
        int jmxPort = freePort();
        // what README.md and docs/operations.md tell an admin to put into JAVA_OPTS for remote JMX
        String adminFlags = "-Dcom.sun.management.jmxremote.port=" + jmxPort + " -Dcom.sun.management.jmxremote.rmi.port="
                + jmxPort + " -Dcom.sun.management.jmxremote.host=127.0.0.1 -Djava.rmi.server.hostname=127.0.0.1"
                + " -Dcom.sun.management.jmxremote.authenticate=false -Dcom.sun.management.jmxremote.ssl=false";
        Map<String, String> env = environment();
        env.put("JAVA_OPTS", adminFlags);
        env.put(Settings.PREFIX + "MANAGEMENT_PORT", Integer.toString(freePort()));
        env.put(Settings.PREFIX + "DB_FILE", mapPaths("/db/jmx/ldap-mailcow.sqlite3"));
        Files.createDirectories(inRoot("/db/jmx"));
        if (!asUser.isEmpty()) {
            run(List.of("chown", "--reference=" + inRoot("/db"), inRoot("/db/jmx").toString()), Map.of(), 10);
        }
        List<String> imageFlags = List.of(imageJavaOptions().split("\\s+"));
        assertThat(imageFlags).as("the image's measured flags").contains("-Xmx144m", "-XX:+ExitOnOutOfMemoryError");

        Path out = root.resolve("jmx-service.out");
        Process service = start(command(List.of()), env, out, out);
        try {
            JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + jmxPort + "/jmxrmi");
            try (JMXConnector jmx = connect(url, service, out)) {
                MBeanServerConnection mbeans = jmx.getMBeanServerConnection();
                RuntimeMXBean runtime = ManagementFactory.newPlatformMXBeanProxy(mbeans,
                        ManagementFactory.RUNTIME_MXBEAN_NAME, RuntimeMXBean.class);
                assertThat(runtime.getInputArguments()).as("the JVM's options")
                        .containsAll(imageFlags).containsAll(List.of(adminFlags.split(" ")));
                MemoryMXBean memory = ManagementFactory.newPlatformMXBeanProxy(mbeans,
                        ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class);
                assertThat(memory.getHeapMemoryUsage().getMax()).as("heap limit").isLessThanOrEqualTo(144L << 20);
            }
        } finally {
            service.destroy();
            assertThat(service.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aFailingClassDataTrainingRunFailsTheBuildAndShowsItsOutput() throws Exception {
        // an image whose training run cannot start: the jar and its libraries, but no routes beside them
        Path broken = Files.createTempDirectory(root, "broken-build");
        for (Dockerfile.Copy copy : dockerfile.copies()) {
            if (copy.fromStage() != null) {
                copy(source(copy), broken.resolve(copy.target().replaceFirst("^/+", "")), copy.target().endsWith("/"));
            }
        }
        Files.createDirectories(broken.resolve("tmp"));
        Map<String, String> env = new HashMap<>();
        dockerfile.env().forEach((k, v) -> env.put(k, mapPaths(v, CONTAINER_PATH, broken)));
        env.put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":/usr/local/bin:/usr/bin:/bin");

        List<Dockerfile.Run> training = dockerfile.runSteps().stream()
                .filter(l -> l.command().contains("/app/ldap-mailcow.jar")).toList();
        assertThat(training).hasSize(1);
        Result step = run(training.get(0), broken, env);

        assertThat(step.code).as("the RUN fails, and so does docker build").isNotZero();
        assertThat(step.out + step.err).as("what the training run printed is shown, not thrown away")
                .contains("Demo: an embedded directory").contains("LDAP_MAILCOW_ROUTES_DIR");
    }

    private static JMXConnector connect(JMXServiceURL url, Process service, Path out) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                return JMXConnectorFactory.connect(url);
            } catch (IOException notYet) {
                if (!service.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("no JMX at " + url + ": " + Files.readString(out), notYet);
                }
                Thread.sleep(200);
            }
        }
    }

    @Test
    void theDemoTrainsTheClassDataArchiveAtBuildButIsNotInTheImage() throws IOException {
        assertThat(dockerfile.runSteps()).flatExtracting(Dockerfile.Run::mounts).extracting(Dockerfile.Copy::source)
                .as("the training run's demo, bound from the build stage for that step only")
                .contains(dockerfile.stage("build").workdir() + "/target/ldap-mailcow-demo.jar");
        try (Stream<Path> files = Files.walk(inRoot("/app"))) {
            assertThat(files.map(f -> inRoot("/app").relativize(f).toString())).as("the image's /app after its build")
                    .contains("ldap-mailcow.jar", "ldap-mailcow.jsa").noneMatch(n -> n.contains("demo"));
        }
        try (JarFile jar = new JarFile(inRoot("/app/ldap-mailcow.jar").toFile())) {
            assertThat(jar.stream().filter(e -> !e.isDirectory()).map(e -> e.getName())).as("the service's jar")
                    .contains("org/ldapmailcow/Launcher.class").noneMatch(n -> n.startsWith("org/ldapmailcow/demo/"));
        }
    }

    /** The image's own JVM options: those of its ENV that its ENTRYPOINT passes to java before the admin's. */
    private String imageJavaOptions() {
        String entrypoint = String.join(" ", dockerfile.entrypoint());
        Matcher m = Pattern.compile("exec java \\$(\\w+)").matcher(entrypoint);
        assertThat(m.find()).as("ENTRYPOINT " + entrypoint).isTrue();
        return dockerfile.env().get(m.group(1));
    }

    @Test
    void aStateFileLeftByRootStopsTheStartWithOneLineSayingHowToFixIt() throws Exception {
        assumeTrue(!asUser.isEmpty(), "needs root and setpriv to run as the image's user");
        // the Python tool ran as root: its ./data/ldap and the file in it belong to root
        Path legacy = root.resolve("python-tool-data-ldap");
        Files.createDirectories(legacy);
        Path db = legacy.resolve("ldap-mailcow.sqlite3");
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db); var s = c.createStatement()) {
            s.execute("CREATE TABLE users (email VARCHAR NOT NULL, active BOOLEAN NOT NULL, last_seen DATETIME NOT NULL, "
                    + "PRIMARY KEY (email))");
        }
        Map<String, String> env = environment();
        env.put(Settings.PREFIX + "DB_FILE", db.toString());

        Result start = run(command(List.of("--once")), env, 60);

        assertThat(start.code).isEqualTo(4);
        assertThat(start.err.strip()).doesNotContain("\n").contains(db.toString())
                .contains("uid " + dockerfile.user().split(":")[0]).contains("chown");
        try (Stream<Path> files = Files.list(legacy)) {
            assertThat(files.toList()).as("nothing written beside it").containsExactly(db);
        }
    }

    @Test
    void thePythonToolsComposeVariablesAndTemplatesMountedAtSlashTemplatesGiveTheFilesItWrote() throws Exception {
        assumeTrue(run(List.of("sh", "-c", "command -v python3"), Map.of("PATH", System.getenv("PATH")), 10).code == 0,
                "python3 renders the expected files as the Python tool did");
        Path fixtures = MODULE.resolve("src/test/resources/auth/python-tool");
        // the admin's edited templates, mounted as the Python tool's README says: /templates/dovecot/ldap/passdb.conf
        // and /templates/sogo/plist_ldap (and extra.conf, which its image had there as well)
        List<String> files = List.of("dovecot/ldap/passdb.conf", "dovecot/extra.conf", "sogo/plist_ldap");
        for (String file : files) {
            Files.createDirectories(inRoot("/templates/" + file).getParent());
            Files.copy(fixtures.resolve("edited").resolve(file), inRoot("/templates/" + file),
                    StandardCopyOption.REPLACE_EXISTING);
        }
        try (MailcowEmulator switched = new MailcowEmulator(API_KEY).start()) {
            switched.addDomain("example.local");
            // the Python tool's compose environment: its LDAP_MAILCOW_* variables, nothing new
            String p = Settings.PREFIX;
            Map<String, String> compose = new HashMap<>();
            compose.put(p + "LDAP_URI", directory.ldapUri());
            compose.put(p + "LDAP_GC_URI", "ldaps://dc.example.local:3269");
            compose.put(p + "LDAP_DOMAIN", "example.local");
            compose.put(p + "LDAP_BASE_DN", directory.baseDn());
            compose.put(p + "LDAP_BIND_DN", directory.bindDn());
            compose.put(p + "LDAP_BIND_DN_PASSWORD", directory.bindPassword());
            compose.put(p + "API_HOST", switched.baseUrl());
            compose.put(p + "API_KEY", API_KEY);
            compose.put(p + "API_QUOTA", "3072");
            compose.put(p + "SYNC_INTERVAL", "300");
            compose.put(p + "LDAP_FILTER", "(&(objectClass=user)(objectCategory=person))");
            compose.put(p + "SOGO_LDAP_FILTER", "objectClass='user' AND objectCategory='person' AND "
                    + "memberOf:1.2.840.113556.1.4.1941:='CN=Group,CN=Users,DC=example DC=local'");
            compose.put(p + "LDAP_GROUP_FILTER", "(&(objectClass=group)(mail=*))");
            compose.put(p + "LDAP_GROUP_MEMBER_FILTER", "(&(objectClass=person)(mail=*)(distinguishedName={MEMBER_CN}))");
            Map<String, String> env = new HashMap<>(imageEnvironment());
            env.putAll(compose);
            // this container's own volumes, beside the other tests'; /templates is the image's, under the scratch root
            env.put(p + "DB_FILE", inRoot("/db/switch/ldap-mailcow.sqlite3").toString());
            env.put(p + "CONF_DIR", inRoot("/conf/switch").toString());
            env.put(p + "PYTHON_TEMPLATES_DIR", inRoot("/templates").toString());
            env.put(p + "MANAGEMENT_PORT", Integer.toString(freePort()));
            env.put(p + "STARTUP_TIMEOUT", "20");
            for (String dir : List.of("/db/switch", "/conf/switch")) {
                Files.createDirectories(inRoot(dir));
                if (!asUser.isEmpty()) {
                    run(List.of("chown", "--reference=" + inRoot("/db"), inRoot(dir).toString()), Map.of(), 10);
                }
            }

            Result once = run(command(List.of("--once")), env, 90);

            assertThat(once.code).as(once.out + once.err).isZero();
            assertThat(switched.mailboxes()).containsKeys("alice@example.local", "bob@example.local");
            // what the Python tool wrote from the same templates and variables, by Python's string.Template
            Path python = root.resolve("python-tool-conf");
            Result expected = run(List.of("python3", fixtures.resolve("render.py").toString(),
                    inRoot("/templates").toString(), python.toString(), "GC=" + compose.get(p + "LDAP_GC_URI"),
                    "DOMAIN=" + compose.get(p + "LDAP_DOMAIN"), "BASE=" + compose.get(p + "LDAP_BASE_DN"),
                    "BIND=" + compose.get(p + "LDAP_BIND_DN"), "PW=" + compose.get(p + "LDAP_BIND_DN_PASSWORD"),
                    "URI=" + compose.get(p + "LDAP_URI"), "SOGO=" + compose.get(p + "SOGO_LDAP_FILTER")),
                    Map.of("PATH", System.getenv("PATH"), "LANG", "C.UTF-8"), 30);
            assertThat(expected.code).as(expected.err).isZero();
            for (String file : files) {
                assertThat(Files.readAllBytes(inRoot("/conf/switch/" + file))).as(file)
                        .isEqualTo(Files.readAllBytes(python.resolve(file)));
            }
            assertThat(once.out + once.err).contains(inRoot("/templates/sogo/plist_ldap")
                    + " is a template in the Python tool's syntax").doesNotContain(directory.bindPassword());
        }
    }

    // ---- the image, emulated ----

    /** The container's environment: the Dockerfile's ENV plus what an admin sets in the compose file. */
    private Map<String, String> environment() {
        Map<String, String> env = new HashMap<>(Demo.environment(directory, mailcow, root));
        // where state, config and the management server go is the image's to say
        for (String imageDecides : List.of("DB_FILE", "CONF_DIR", "MANAGEMENT_PORT")) {
            env.remove(Settings.PREFIX + imageDecides);
        }
        env.putAll(imageEnvironment());
        env.put(Settings.PREFIX + "STARTUP_TIMEOUT", "20");
        return env;
    }

    /** The Dockerfile's ENV and a PATH with this JVM's java. */
    private Map<String, String> imageEnvironment() {
        Map<String, String> env = new HashMap<>();
        dockerfile.env().forEach((k, v) -> env.put(k, mapPaths(v)));
        env.put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":/usr/local/bin:/usr/bin:/bin");
        return env;
    }

    private List<String> command(List<String> args) {
        List<String> command = new ArrayList<>(asUser);
        dockerfile.entrypoint().forEach(word -> command.add(mapPaths(word)));
        command.addAll(args.isEmpty() ? dockerfile.cmd() : args);
        return command;
    }

    private List<String> healthcheck() {
        List<String> command = new ArrayList<>(asUser);
        dockerfile.healthcheck().forEach(word -> command.add(mapPaths(word)));
        return command;
    }

    private Path workdir() {
        return inRoot(dockerfile.runtime().workdir());
    }

    private Path inRoot(String containerPath) {
        return root.resolve(containerPath.replaceFirst("^/+", ""));
    }

    private String mapPaths(String text) {
        return mapPaths(text, CONTAINER_PATH);
    }

    private String mapPaths(String text, Pattern containerPath) {
        return mapPaths(text, containerPath, root);
    }

    private static String mapPaths(String text, Pattern containerPath, Path imageRoot) {
        Matcher m = containerPath.matcher(text);
        return m.replaceAll(r -> Matcher.quoteReplacement(imageRoot + r.group(1)));
    }

    /** Where a COPY or a bind mount takes its file from: the build context, or the build stage's {@code target/}. */
    private Path source(Dockerfile.Copy copy) {
        if (copy.fromStage() == null) {
            return MODULE.resolve(copy.source());
        }
        String buildDir = dockerfile.stage("build").workdir();
        assertThat(copy.fromStage()).isEqualTo("build");
        assertThat(copy.source()).startsWith(buildDir + "/");
        return MODULE.resolve(copy.source().substring(buildDir.length() + 1));
    }

    /** A build-time RUN in the image under {@code imageRoot}, as root, with its bind mounts present for it only. */
    private Result run(Dockerfile.Run step, Path imageRoot, Map<String, String> env) throws Exception {
        List<Path> mounted = new ArrayList<>();
        for (Dockerfile.Copy mount : step.mounts()) {
            Path target = imageRoot.resolve(mount.target().replaceFirst("^/+", ""));
            copy(source(mount), target, false);
            mounted.add(target);
        }
        try {
            return run(List.of("sh", "-c", mapPaths(step.command(), BUILD_PATH, imageRoot)), env, 180);
        } finally {
            for (Path target : mounted) {
                Files.deleteIfExists(target);
            }
        }
    }

    /** Docker's COPY: a directory's content into the target, a file to the target (or into it, with a slash). */
    private static void copy(Path source, Path target, boolean intoDirectory) throws IOException {
        assertThat(source).as("COPY source").exists();
        if (Files.isDirectory(source)) {
            try (Stream<Path> files = Files.walk(source)) {
                for (Path f : files.toList()) {
                    Path t = target.resolve(source.relativize(f).toString());
                    if (Files.isDirectory(f)) {
                        Files.createDirectories(t);
                    } else {
                        Files.copy(f, t, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        } else {
            Path t = intoDirectory ? target.resolve(source.getFileName().toString()) : target;
            Files.createDirectories(t.getParent());
            Files.copy(source, t, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private record Result(int code, String out, String err) {
    }

    private Result run(List<String> command, Map<String, String> env, int timeoutSeconds) throws Exception {
        Path out = Files.createTempFile(root, "out", ".txt");
        Path err = Files.createTempFile(root, "err", ".txt");
        Process process = start(command, env, out, err);
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not end within " + timeoutSeconds + " s: "
                    + Files.readString(out) + Files.readString(err));
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    /** Starts a process in the image's WORKDIR with exactly {@code env}, like a container does. */
    private Process start(List<String> command, Map<String, String> env, Path out, Path err) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile());
        if (out.equals(err)) {
            builder.redirectErrorStream(true);
        } else {
            builder.redirectError(err.toFile());
        }
        if (Files.isDirectory(workdir())) {
            builder.directory(workdir().toFile());
        }
        builder.environment().clear();
        builder.environment().putAll(env);
        return builder.start();
    }

    private static String pomVersion() throws IOException {
        Matcher m = Pattern.compile("<artifactId>ldap-mailcow</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(MODULE.resolve("pom.xml")));
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
