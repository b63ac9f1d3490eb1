package org.ldapmailcow.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The service in a JVM of its own, as an admin runs it, from the test class path: either standard output (the log)
 * and standard error (the launcher's one-line problems) each in a file, or both in one log file. Closing it kills
 * what is still running.
 */
final class ChildService implements AutoCloseable {

    private final Process process;
    private final Path out;
    /** Null when standard error goes to the log too. */
    private final Path err;

    private ChildService(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /** Standard output to {@code dir/service.out}, standard error to {@code dir/service.err}. */
    static ChildService start(Map<String, String> env, Path dir, String... args) throws IOException {
        Files.createDirectories(dir);
        return start(env, dir.resolve("service.out"), dir.resolve("service.err"), args);
    }

    /** Standard output and standard error both to {@code logFile}. */
    static ChildService startWithLog(Map<String, String> env, Path logFile, String... args) throws IOException {
        return start(env, logFile, null, args);
    }

    private static ChildService start(Map<String, String> env, Path out, Path err, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(java("java"), "-cp", System.getProperty("java.class.path"),
                "org.ldapmailcow.Application"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        pb.redirectOutput(out.toFile());
        if (err == null) {
            pb.redirectErrorStream(true);
        } else {
            pb.redirectError(err.toFile());
        }
        return new ChildService(pb.start(), out, err);
    }

    String log() throws IOException {
        return Files.readString(out);
    }

    String errors() throws IOException {
        if (err == null) {
            throw new IllegalStateException("standard error goes to the log: " + out);
        }
        return Files.readString(err);
    }

    /** Everything it wrote, for assertion messages. */
    String output() throws IOException {
        return err == null ? log() : "--- stdout ---\n" + log() + "--- stderr ---\n" + errors();
    }

    /**
     * SIGTERM, as docker stop sends it; returns the time to exit. A process still running after {@code atMost} has
     * its threads printed into the log, to show where the stop hangs, and is killed.
     */
    Duration terminate(Duration atMost) throws Exception {
        long start = System.nanoTime();
        process.destroy();
        if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
            appendThreads("--- threads " + atMost.toSeconds() + " s after SIGTERM ---");
            process.destroyForcibly().waitFor();
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** Whether it ended within {@code atMost}. */
    boolean waitFor(Duration atMost) throws InterruptedException {
        return process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The exit code of a process that has ended. */
    int exitValue() {
        return process.exitValue();
    }

    /** The exit code, or -1 when the process is still running after {@code atMost} (it is killed then). */
    int exitCode(Duration atMost) throws Exception {
        if (!waitFor(atMost)) {
            process.destroyForcibly().waitFor();
            return -1;
        }
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Sends a signal by name, e.g. {@code STOP} (frozen, as by a hung host) or {@code CONT}. */
    void signal(String name) throws Exception {
        int code = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start().waitFor();
        if (code != 0) {
            throw new AssertionError("kill -" + name + " " + process.pid() + " exited " + code);
        }
    }

    /** SIGKILL; whether the process is gone within {@code atMost}. */
    boolean kill(Duration atMost) throws InterruptedException {
        return process.destroyForcibly().waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** SIGKILL, when it still runs, and waits for it to be gone. */
    void kill() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor();
        }
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }

    private void appendThreads(String heading) throws Exception {
        Path dump = out.resolveSibling(out.getFileName() + ".threads");
        new ProcessBuilder(java("jcmd"), Long.toString(process.pid()), "Thread.print")
                .redirectErrorStream(true).redirectOutput(dump.toFile()).start().waitFor(30, TimeUnit.SECONDS);
        Files.writeString(out, "\n" + heading + "\n" + Files.readString(dump), StandardOpenOption.APPEND);
    }

    private static String java(String tool) {
        return Path.of(System.getProperty("java.home"), "bin", tool).toString();
    }
}
