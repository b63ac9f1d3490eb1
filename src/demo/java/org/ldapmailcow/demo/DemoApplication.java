package org.ldapmailcow.demo;

import java.io.PrintStream;
import java.util.List;

import org.ldapmailcow.Launcher;
import org.ldapmailcow.ops.LogFormat;

/**
 * The main class of {@code ldap-mailcow-demo.jar}: {@link Demo}, one cycle of the service's own launcher against
 * an embedded directory and a mailcow emulator. The demo depends on the service, never the other way round: the
 * service's jar holds no demo class and the image ships none.
 */
public final class DemoApplication {

    static final String USAGE = "Usage: java -jar ldap-mailcow-demo.jar [--dry-run]";

    private DemoApplication() {
    }

    public static void main(String[] args) {
        LogFormat.select(System.getenv()); // before the first logger, as the service does
        System.exit(run(List.of(args), System.out, System.err));
    }

    /** Runs the demo, a dry run with {@code --dry-run}; the exit code is the cycle's, as {@code --once} gives it. */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        boolean dryRun = false;
        for (String arg : args) {
            switch (arg) {
                case "--dry-run" -> dryRun = true;
                case "--help", "-h" -> {
                    out.println(USAGE);
                    return Launcher.OK;
                }
                default -> {
                    err.println("Unknown option " + arg + " (" + USAGE + ")");
                    return Launcher.BAD_CONFIGURATION;
                }
            }
        }
        return new Demo(out, err).run(dryRun);
    }
}
