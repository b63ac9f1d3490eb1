package org.ldapmailcow.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.ldapmailcow.config.Settings;
import org.ldapmailcow.demo.Demo;
import org.ldapmailcow.demo.DemoDirectory;
import org.ldapmailcow.demo.MailcowEmulator;

/**
 * The performance benchmark (issue 7): for each directory size, the service runs in a JVM of its own
 * ({@link BenchService}, the production classpath and JVM flags) against an embedded directory filled by
 * {@link BenchDirectory} and the mailcow emulator with per-request latencies, both hosted here. Per size it
 * measures start-up, the first cycle (creates everything), a state-trusting cycle, the floor (the unavoidable
 * reads alone), an unchanged full reconcile, and the service JVM's peak memory; then writes the report.
 *
 * <p>Settings (system properties): {@code bench.sizes} (1000,10000,50000), {@code bench.groupRatio} (0.1 groups
 * per user), {@code bench.writeLatencyMs} (15), {@code bench.readLatencyMs} (10), {@code bench.listingLatencyUs}
 * (1500 per item listed), {@code bench.concurrency} (4), {@code bench.jvmOpts} ({@link #DEFAULT_JVM_OPTS}),
 * {@code bench.output} (docs/benchmarks.md), {@code bench.project} (the working directory).
 */
public final class Benchmark {

    /** The service's JVM flags: the image's IMAGE_JAVA_OPTS (Dockerfile). */
    public static final String DEFAULT_JVM_OPTS = "-Xms16m -Xmx144m -XX:MaxNewSize=24m -XX:+UseSerialGC "
            + "-XX:TieredStopAtLevel=1 -Xss512k -XX:+ExitOnOutOfMemoryError";
    private static final String API_KEY = "bench-api-key";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(60);

    /** What one run is set to. */
    public record Config(List<Integer> sizes, double groupRatio, Duration writeLatency, Duration readLatency,
                         Duration listingLatencyPerItem, int concurrency, List<String> jvmOpts,
                         boolean classDataArchive, Path output, Path project) {

        public static Config fromSystemProperties() {
            List<Integer> sizes = Arrays.stream(System.getProperty("bench.sizes", "1000,10000,50000").split(","))
                    .map(String::strip).filter(s -> !s.isEmpty()).map(Integer::parseInt).toList();
            Path project = Path.of(System.getProperty("bench.project", System.getProperty("user.dir")))
                    .toAbsolutePath();
            return new Config(sizes,
                    Double.parseDouble(System.getProperty("bench.groupRatio", "0.1")),
                    Duration.ofMillis(Long.getLong("bench.writeLatencyMs", 15)),
                    Duration.ofMillis(Long.getLong("bench.readLatencyMs", 10)),
                    Duration.ofNanos(Long.getLong("bench.listingLatencyUs", 1500) * 1000),
                    Integer.getInteger("bench.concurrency", 4),
                    Arrays.stream(System.getProperty("bench.jvmOpts", DEFAULT_JVM_OPTS).split("\\s+"))
                            .filter(s -> !s.isEmpty()).toList(),
                    Boolean.parseBoolean(System.getProperty("bench.classDataArchive", "true")),
                    project.resolve(System.getProperty("bench.output", "docs/benchmarks.md")),
                    project);
        }
    }

    /** Mailcow requests by endpoint and LDAP searches of one step. */
    public record Traffic(Map<String, Long> requests, long writes, int ldapSearches, int ldapPages, long ldapEntries) {

        long reads() {
            return requests.entrySet().stream().filter(e -> e.getKey().startsWith("GET ")).mapToLong(Map.Entry::getValue).sum();
        }

        long total() {
            return requests.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** One step's answer from the service and the traffic it caused. */
    public record Step(Map<String, Object> answer, Traffic traffic) {

        long ms() {
            return ((Number) answer.get("ms")).longValue();
        }

        boolean full() {
            return Boolean.TRUE.equals(answer.get("full"));
        }

        /** A number of the answer, 0 when absent. */
        long num(String key) {
            return answer.get(key) instanceof Number n ? n.longValue() : 0;
        }

        /** How many changes of this kind mailcow confirmed (cycles only). */
        long count(String label) {
            return answer.get("applied") instanceof Map<?, ?> applied && applied.get(label) instanceof Number n
                    ? n.longValue() : 0;
        }
    }

    /** Everything measured for one size. */
    public record SizeResult(int users, int groups, BenchDirectory.Shape shape, long fillMs, long spawnToReadyMs,
                             Map<String, Object> ready, Step first, Step trusting, Step floor, Step full,
                             Map<String, Object> memory, long writeLatencyMs, int concurrency) {

        /** Every write of the first cycle at the emulated latency, spread over the writer threads. */
        long idealFirstMs() {
            return first.traffic().writes() * writeLatencyMs / concurrency;
        }

        long mem(String key) {
            return memory.get(key) instanceof Number n ? n.longValue() : 0;
        }
    }

    private final Config config;
    private final PrintWriter progress;

    public Benchmark(Config config, PrintWriter progress) {
        this.config = config;
        this.progress = progress;
    }

    public static void main(String[] args) throws Exception {
        Config config = Config.fromSystemProperties();
        PrintWriter progress = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        List<SizeResult> results = new Benchmark(config, progress).run();
        progress.println("Report written to " + config.output());
        progress.println(results.size() + " size(s) measured");
    }

    /** Runs every size and writes the report; returns the results. */
    public List<SizeResult> run() throws Exception {
        Path classpath = serviceClasspath();
        List<SizeResult> results = new ArrayList<>();
        for (int users : config.sizes()) {
            results.add(runSize(users, classpath));
            Report.write(config, results);
        }
        return results;
    }

    private SizeResult runSize(int users, Path classpathFile) throws Exception {
        int groups = Math.max(2, (int) Math.round(users * config.groupRatio()));
        Path work = Files.createTempDirectory("ldap-mailcow-bench-" + users + "-");
        log("== %,d users, %,d groups (work directory %s)", users, groups, work);
        try (DemoDirectory directory = new DemoDirectory().start();
             MailcowEmulator mailcow = new MailcowEmulator(API_KEY).start()) {
            long t0 = System.nanoTime();
            BenchDirectory.Shape shape = BenchDirectory.populate(directory, users, groups);
            // cycle 2 is a delta cycle: the embedded directory shows AD's change counter of an unchanged directory
            directory.simulateUnchangedAdChangeTracking();
            long fillMs = (System.nanoTime() - t0) / 1_000_000;
            log("directory filled in %,d ms: %s", fillMs, shape);
            mailcow.addDomain(DemoDirectory.DOMAIN);
            mailcow.setWriteLatency(config.writeLatency());
            mailcow.setReadLatency(config.readLatency());
            mailcow.setListingLatencyPerItem(config.listingLatencyPerItem());

            Map<String, String> env = environment(directory, mailcow, work);
            // the directory is another machine's work in real life: its fill's garbage is not collected while
            // the service JVM starts up beside it
            System.gc();
            try (Child child = Child.start(config, classpathFile, env, work)) {
                Map<String, Object> ready = child.await("ready");
                long spawnToReady = ((Number) ready.get("sinceSpawnMs")).longValue();
                log("service ready %,d ms after spawn: %s", spawnToReady, ready);
                reset(directory, mailcow);

                Step first = step(child, "cycle", directory, mailcow);
                log("first cycle: %s", first);
                Step trusting = step(child, "cycle", directory, mailcow);
                log("unchanged delta cycle: %s", trusting);
                Step floor = step(child, "floor", directory, mailcow);
                log("floor: %s", floor);
                Step full = step(child, "cycle", directory, mailcow);
                log("unchanged full cycle: %s", full);
                Map<String, Object> memory = child.command("exit", "memory");
                log("memory: %s", memory);
                if (first.full() == false || trusting.full() || !full.full()) {
                    throw new IllegalStateException("the cycles did not run as full, trusting, full: "
                            + first.full() + ", " + trusting.full() + ", " + full.full());
                }
                SizeResult result = new SizeResult(users, groups, shape, fillMs, spawnToReady, ready,
                        first, trusting, floor, full, memory, config.writeLatency().toMillis(), config.concurrency());
                deleteTree(work);
                return result;
            }
        } catch (Exception | Error e) {
            log("kept the work directory (service log, state file) for a look: %s", work);
            throw e;
        }
    }

    private Step step(Child child, String command, DemoDirectory directory, MailcowEmulator mailcow)
            throws Exception {
        Map<String, Object> answer = child.command(command, command);
        Traffic traffic = new Traffic(mailcow.countByEndpoint(), mailcow.writeCount(),
                directory.startedSearchCount(), directory.searchCount(), directory.entryCount());
        reset(directory, mailcow);
        return new Step(answer, traffic);
    }

    private static void reset(DemoDirectory directory, MailcowEmulator mailcow) {
        mailcow.resetRequests();
        directory.resetSearchCount();
    }

    private Map<String, String> environment(DemoDirectory directory, MailcowEmulator mailcow, Path work)
            throws IOException {
        Map<String, String> env = new TreeMap<>(Demo.environment(directory, mailcow, work));
        String p = Settings.PREFIX;
        env.put(p + "API_QUOTA", "2048");
        env.put(p + "API_CONCURRENCY", Integer.toString(config.concurrency()));
        // cycle 1 full (at start), cycle 2 trusts the state and reads only the directory's changes, cycle 3 full again
        env.put(p + "FULL_SYNC_EVERY", "2");
        env.put(p + "ROUTES_DIR", config.project().resolve("routes").toString());
        env.put(p + "TEMPLATES_DIR", config.project().resolve("templates").toString());
        env.put(p + "STARTUP_TIMEOUT", "60");
        // as the image sets it: two malloc arenas instead of one per core, for the JVM's own native memory
        env.put("MALLOC_ARENA_MAX", "2");
        try (ServerSocket socket = new ServerSocket(0)) {
            env.put(p + "MANAGEMENT_PORT", Integer.toString(socket.getLocalPort()));
        }
        return env;
    }

    /**
     * The service's classpath, written to a file for {@code java @argfile}: target/ldap-mailcow.jar (whose manifest
     * names the libraries in target/lib, as in the image) and a jar of the benchmark's own classes only (so the
     * tests' log configuration stays out); with the class-data archive the image carries, made the same way.
     */
    private Path serviceClasspath() throws IOException, InterruptedException {
        Path target = config.project().resolve("target");
        Path serviceJar = target.resolve("ldap-mailcow.jar");
        if (!Files.isRegularFile(serviceJar) || !Files.isDirectory(target.resolve("lib"))) {
            throw new IllegalStateException(serviceJar + " or target/lib is missing: build with mvn -Pbenchmark (see bench/run.sh)");
        }
        Path benchDir = target.resolve("bench");
        Files.createDirectories(benchDir);
        Path benchJar = benchDir.resolve("bench-service.jar");
        Path classes = target.resolve("test-classes");
        try (java.util.jar.JarOutputStream jar = new java.util.jar.JarOutputStream(Files.newOutputStream(benchJar));
             Stream<Path> files = Files.list(classes.resolve("org/ldapmailcow/bench"))) {
            for (Path file : files.sorted().toList()) {
                jar.putNextEntry(new java.util.jar.JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                jar.write(Files.readAllBytes(file));
                jar.closeEntry();
            }
        }
        Path argfile = benchDir.resolve("classpath.args");
        String args = "-cp \"" + serviceJar + java.io.File.pathSeparator + benchJar + "\"\n";
        if (config.classDataArchive()) {
            // -Xshare:on: a service that cannot map the archive fails instead of being measured without it
            args += "-XX:SharedArchiveFile=\"" + classDataArchive(serviceJar, benchDir) + "\"\n-Xshare:on\n";
        }
        Files.writeString(argfile, args);
        return argfile;
    }

    /**
     * As the image's build makes it: the classes a run of the demo jar (on top of the service jar) loads, with the
     * service's flags, dumped into a static archive from the service jar's class path alone.
     */
    private Path classDataArchive(Path serviceJar, Path benchDir) throws IOException, InterruptedException {
        Path demoJar = serviceJar.resolveSibling("ldap-mailcow-demo.jar");
        if (!Files.isRegularFile(demoJar)) {
            throw new IllegalStateException(demoJar + " is missing: build with mvn -Pbenchmark (see bench/run.sh)");
        }
        Path archive = benchDir.resolve("ldap-mailcow.jsa");
        Path training = benchDir.resolve("training");
        Path classList = benchDir.resolve("classes.lst");
        deleteTree(training);
        Files.createDirectories(training);
        Files.deleteIfExists(archive);
        Files.deleteIfExists(classList);
        Path log = benchDir.resolve("training.log");
        Files.deleteIfExists(log);
        int code = java(log, "-Djava.io.tmpdir=" + training, "-XX:DumpLoadedClassList=" + classList,
                "-cp", serviceJar + java.io.File.pathSeparator + demoJar, "org.ldapmailcow.demo.DemoApplication");
        if (code == 0) {
            code = java(log, "-Xshare:dump", "-XX:SharedClassListFile=" + classList, "-XX:SharedArchiveFile=" + archive,
                    "-cp", serviceJar.toString());
        }
        if (code != 0 || !Files.isRegularFile(archive)) {
            throw new IllegalStateException("the training run for the class-data archive failed (exit " + code
                    + "), see " + log);
        }
        deleteTree(training);
        log("class-data archive %s (%,d MB) made by a demo run", archive, Files.size(archive) >> 20);
        return archive;
    }

    /** A JVM with the service's flags and {@code args}, its output appended to {@code log}; its exit code. */
    private int java(Path log, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(config.jvmOpts());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(config.project().toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().keySet().removeIf(k -> k.startsWith(Settings.PREFIX) || k.equals("JAVA_TOOL_OPTIONS"));
        builder.environment().put("MALLOC_ARENA_MAX", "2");
        return builder.start().waitFor();
    }

    private void log(String format, Object... args) {
        progress.println(DateTimeFormatter.ISO_LOCAL_TIME.format(Instant.now().atZone(ZoneOffset.systemDefault())
                .toLocalTime().withNano(0)) + " " + String.format(Locale.ROOT, format, args));
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** The service JVM: commands on its stdin, answers from its stderr, its log to a file. */
    static final class Child implements AutoCloseable {
        private final Process process;
        private final Writer stdin;
        private final BlockingQueue<Map<String, Object>> answers = new LinkedBlockingQueue<>();
        private final long spawned = System.nanoTime();

        private Child(Process process) {
            this.process = process;
            this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        }

        static Child start(Config config, Path classpathFile, Map<String, String> env, Path work)
                throws IOException {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(config.jvmOpts());
            command.add("@" + classpathFile);
            command.add(BenchService.class.getName());
            ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile());
            builder.environment().keySet().removeIf(k -> k.startsWith(Settings.PREFIX) || k.equals("JAVA_TOOL_OPTIONS"));
            builder.environment().putAll(env);
            Path log = work.resolve("service.log");
            builder.redirectOutput(log.toFile());
            Child child = new Child(builder.start());
            Thread reader = new Thread(() -> child.readAnswers(log), "bench-service-stderr");
            reader.setDaemon(true);
            reader.start();
            return child;
        }

        private void readAnswers(Path log) {
            try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = err.readLine()) != null; ) {
                    if (line.startsWith(BenchService.PREFIX)) {
                        Map<String, Object> answer = new java.util.LinkedHashMap<>(JSON.readValue(
                                line.substring(BenchService.PREFIX.length()), new TypeReference<Map<String, Object>>() { }));
                        answer.put("sinceSpawnMs", sinceSpawnMs());
                        answers.add(answer);
                    } else {
                        System.err.println("[service] " + line);
                    }
                }
            } catch (IOException e) {
                answers.add(Map.of("cmd", "error", "message", "lost the service's answers: " + e));
            }
            answers.add(Map.of("cmd", "ended", "message", "the service JVM ended; its log is " + log));
        }

        long sinceSpawnMs() {
            return (System.nanoTime() - spawned) / 1_000_000;
        }

        Map<String, Object> command(String command, String answer) throws Exception {
            stdin.write(command + "\n");
            stdin.flush();
            return await(answer);
        }

        Map<String, Object> await(String cmd) throws Exception {
            Map<String, Object> answer = answers.poll(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (answer == null) {
                throw new IllegalStateException("no answer from the service within " + COMMAND_TIMEOUT);
            }
            if (!cmd.equals(answer.get("cmd"))) {
                throw new IllegalStateException("expected " + cmd + " from the service, got " + answer);
            }
            return answer;
        }

        @Override
        public void close() throws Exception {
            stdin.close();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroy();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
