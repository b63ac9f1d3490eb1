package org.ldapmailcow.it;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

import org.apache.logging.log4j.Level;
import org.ldapmailcow.Launcher;
import org.ldapmailcow.auth.LogCapture;

/** {@code ldap-mailcow <args>} through the real launcher, as an admin runs it: exit code, log, standard output and error. */
record LauncherRun(int exitCode, List<String> log, String out, String err) {

    static LauncherRun run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (LogCapture capture = LogCapture.open(Level.INFO)) {
            int code = new Launcher(env, new PrintStream(out, true, UTF_8), new PrintStream(err, true, UTF_8)).run(args);
            return new LauncherRun(code, capture.lines(), out.toString(UTF_8), err.toString(UTF_8));
        }
    }

    /** The messages of one logger, at any level. */
    List<String> messages(Class<?> logger) {
        String name = " " + logger.getName() + " ";
        return log.stream().filter(l -> l.contains(name)).map(l -> l.substring(l.indexOf(name) + name.length())).toList();
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n" + String.join("\n", log) + "\nout: " + out + "\nerr: " + err;
    }
}
