package org.ldapmailcow.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.ldapmailcow.demo.MailcowEmulator;

/**
 * The mailcow emulator in a JVM of its own, so a test can do to it what happens to a real mailcow: SIGKILL (the
 * port is closed: connection refused from then on) or SIGSTOP (the kernel still accepts connections, nothing
 * answers). Its request lines are collected as they come.
 */
final class MailcowProcess implements AutoCloseable {

    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final String baseUrl;

    private MailcowProcess(Process process) throws Exception {
        this.process = process;
        CompletableFuture<String> url = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.startsWith("listening ")) {
                        url.complete(line.substring("listening ".length()));
                    }
                    synchronized (lines) {
                        lines.add(line);
                    }
                }
            } catch (IOException gone) {
                // the process was killed
            }
            url.completeExceptionally(new IllegalStateException("the emulator ended: " + lines()));
        }, "mailcow-process-output");
        reader.setDaemon(true);
        reader.start();
        this.baseUrl = url.get(60, TimeUnit.SECONDS);
    }

    static MailcowProcess start(String apiKey, String domain, long writeLatencyMs) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx96m", "-cp", System.getProperty("java.class.path"), MailcowEmulator.class.getName(), apiKey, domain,
                Long.toString(writeLatencyMs));
        pb.redirectErrorStream(true);
        return new MailcowProcess(pb.start());
    }

    String baseUrl() {
        return baseUrl;
    }

    List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** Requests answered so far whose line starts with e.g. {@code POST add/}. */
    long answered(String endpointPrefix) {
        return lines().stream().filter(l -> l.startsWith("request " + endpointPrefix)).count();
    }

    /** SIGKILL: the process and its port are gone. */
    void kill() throws Exception {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGSTOP: connections are still accepted by the kernel, nothing is answered. */
    void freeze() throws Exception {
        signal("-STOP");
    }

    /** SIGCONT. */
    void thaw() throws Exception {
        signal("-CONT");
    }

    private void signal(String signal) throws Exception {
        int code = new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start().waitFor();
        if (code != 0) {
            throw new IllegalStateException("kill " + signal + " " + process.pid() + " exited " + code);
        }
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            thaw();
            kill();
        }
    }
}
