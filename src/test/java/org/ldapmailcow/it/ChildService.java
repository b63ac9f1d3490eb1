package org.ldapmailcow.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The service in a JVM of its own, as an admin runs it (no option), from the test class path: standard output
 * (the log) and standard error (the launcher's one-line problems) each go to a file.
 */
final class ChildService {

    private final Process process;
    private final Path out;
    private final Path err;

    private ChildService(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    static ChildService start(Map<String, String> env, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path out = dir.resolve("service.out");
        Path err = dir.resolve("service.err");
        ProcessBuilder pb = new ProcessBuilder(java("java"), "-cp", System.getProperty("java.class.path"),
                "org.ldapmailcow.Application");
        pb.environment().putAll(env);
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        return new ChildService(pb.start(), out, err);
    }

    String log() throws IOException {
        return Files.readString(out);
    }

    String errors() throws IOException {
        return Files.readString(err);
    }

    /** Both outputs, for assertion messages. */
    String output() throws IOException {
        return "--- stdout ---\n" + log() + "--- stderr ---\n" + errors();
    }

    /** SIGTERM, as docker stop sends it; returns the time to exit (the process is killed after {@code atMost}). */
    Duration terminate(Duration atMost) throws Exception {
        long start = System.nanoTime();
        process.destroy();
        boolean ended = process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        if (!ended) {
            process.destroyForcibly().waitFor();
        }
        return took;
    }

    /** The exit code, or -1 when the process is still running after {@code atMost} (it is killed then). */
    int exitCode(Duration atMost) throws Exception {
        if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            return -1;
        }
        return process.exitValue();
    }

    void kill() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor();
        }
    }

    private static String java(String tool) {
        return Path.of(System.getProperty("java.home"), "bin", tool).toString();
    }
}
