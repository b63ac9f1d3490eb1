package org.ldapmailcow.it;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

import org.apache.logging.log4j.Level;
import org.ldapmailcow.Launcher;
import org.ldapmailcow.auth.LogCapture;

/**
 * {@code ldap-mailcow --dry-run --once} through the real launcher, and what it printed: its log lines (as
 * {@code LEVEL logger message}) as the service's own log configuration shows them, where Camel's and Quartz's
 * loggers print warnings only (src/main/resources/log4j2.xml), and its standard output and error.
 */
record DryRunLauncher(int exitCode, List<String> log, String out, String err) {

    static DryRunLauncher run(Map<String, String> env) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (LogCapture capture = LogCapture.open(Level.INFO)) {
            int code = new Launcher(env, new PrintStream(out, true, UTF_8), new PrintStream(err, true, UTF_8))
                    .run(new String[] {"--dry-run", "--once"});
            List<String> shown = capture.lines().stream().filter(DryRunLauncher::shown).toList();
            return new DryRunLauncher(code, shown, out.toString(UTF_8), err.toString(UTF_8));
        }
    }

    private static boolean shown(String line) {
        if (line.startsWith("INFO org.apache.camel.main.MainSupport ")) {
            return true;
        }
        return !(line.startsWith("INFO org.apache.camel.") || line.startsWith("INFO org.quartz.")
                || line.startsWith("INFO com.zaxxer."));
    }

    /** The messages of one logger, at any level. */
    List<String> messages(Class<?> logger) {
        String name = " " + logger.getName() + " ";
        return log.stream().filter(l -> l.contains(name)).map(l -> l.substring(l.indexOf(name) + name.length())).toList();
    }

    /** The last log line's message. */
    String lastLine() {
        String last = log.get(log.size() - 1);
        return last.split(" ", 3)[2];
    }

    /** The dry run's plan, one line per change, as "Would apply ..." prints it. */
    List<String> plannedChanges() {
        return messages(org.ldapmailcow.sync.Cycles.class).stream().filter(m -> m.startsWith("Would apply "))
                .map(m -> m.substring("Would apply ".length())).toList();
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n" + String.join("\n", log) + "\nout: " + out + "\nerr: " + err;
    }
}
