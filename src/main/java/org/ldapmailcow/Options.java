package org.ldapmailcow;

import java.util.List;

import org.ldapmailcow.config.Settings;

/**
 * The command line: a mode and two switches; everything else is configured through the environment.
 * {@code approve}, {@code undo} and {@code explain} are one-shot modes with an argument (null when not given).
 */
record Options(boolean once, boolean demo, boolean dryRun, boolean force, boolean help, boolean version,
               String approve, Long undo, String explain) {

    Options(boolean once, boolean demo, boolean dryRun, boolean force, boolean help, boolean version) {
        this(once, demo, dryRun, force, help, version, null, null, null);
    }

    static Options parse(List<String> args) {
        boolean once = false, demo = false, dryRun = false, force = false, help = false, version = false;
        String approve = null, explain = null;
        Long undo = null;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--approve" -> approve = value(args, ++i, arg);
                case "--undo" -> undo = cycleNumber(value(args, ++i, arg));
                case "--explain" -> explain = value(args, ++i, arg);
                case "--once" -> once = true;
                case "--demo" -> demo = true;
                case "--dry-run" -> dryRun = true;
                case "--force" -> force = true;
                case "--help", "-h" -> help = true;
                case "--version" -> version = true;
                default -> throw new IllegalArgumentException("Unknown option " + arg);
            }
        }
        if (once && demo) {
            throw new IllegalArgumentException("--once and --demo exclude each other");
        }
        int modes = (approve != null ? 1 : 0) + (undo != null ? 1 : 0) + (explain != null ? 1 : 0) + (demo ? 1 : 0);
        if (modes > 1) {
            throw new IllegalArgumentException("--approve, --undo, --explain and --demo exclude each other");
        }
        if (approve != null && dryRun) {
            throw new IllegalArgumentException("--approve and --dry-run exclude each other (a dry run shows the "
                    + "held-back removals with their plan id)");
        }
        if (force && (approve != null || undo != null || explain != null)) {
            throw new IllegalArgumentException("--force goes with a cycle only, not with --approve, --undo or --explain");
        }
        return new Options(once, demo, dryRun, force, help, version, approve, undo, explain);
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size() || args.get(i).startsWith("--") || args.get(i).isBlank()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(i).strip();
    }

    private static long cycleNumber(String value) {
        try {
            long n = Long.parseLong(value);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("--undo needs a cycle number (from the summary line or the cycle report), not " + value);
    }

    static String usage() {
        return """
                Usage: java -jar ldap-mailcow.jar [--once] [--dry-run] [--force]
                       java -jar ldap-mailcow.jar --approve <plan id>
                       java -jar ldap-mailcow.jar [--dry-run] --undo <cycle>
                       java -jar ldap-mailcow.jar --explain <address>

                  (no option)  run the service: a cycle right after start, then every LDAP_MAILCOW_SYNC_INTERVAL s
                  --once       run one cycle and exit (0 ok, 1 cycle had failures, 2 bad configuration,
                               3 cycle aborted: directory, mailcow or state file failing, 4 start-up failed,
                               5 another instance (a running service) holds the lock beside the state file)
                  --demo       where the demo is: java -jar ldap-mailcow-demo.jar [--dry-run] runs one cycle
                               against an embedded demo directory and mailcow emulator (not in the image)
                  --dry-run    plan and print every change, write nothing (LDAP_MAILCOW_DRY_RUN=true)
                  --force      lift the mass deactivation limit for this run (LDAP_MAILCOW_FORCE_DEACTIVATIONS=true)
                  --approve <plan id>
                               one cycle that applies the removals the limit held back under that plan id (named
                               in the summary line and the cycle report), re-checked against the directory; other
                               removals stay under the limit (exit codes as --once; 2: no such plan)
                  --undo <cycle>
                               revert the deactivations, alias deletions and goto changes that cycle applied
                               (from the state file's journal); with --dry-run only print that plan
                               (0 ok, 1 part of it failed, 2 nothing journalled for that cycle, 3 mailcow or the
                               state file failing)
                  --explain <address>
                               print everything that decides this address and what the next cycle would do;
                               reads only, takes no lock (0 found, 6 found nowhere, 3 directory, mailcow or
                               state file failing)
                  --help, --version

                %s
                  e.g. LDAP_MAILCOW_LDAP_URI=ldaps://dc.example.local,
                  LDAP_MAILCOW_LDAP_GC_URI=ldaps://dc.example.local:3269 (the Global Catalog: 3269 with ldaps, 3268 with ldap)

                In the container image: LDAP_MAILCOW_DB_FILE=/db/ldap-mailcow.sqlite3, LDAP_MAILCOW_CONF_DIR=/conf,
                LDAP_MAILCOW_ROUTES_DIR=/app/routes, LDAP_MAILCOW_TEMPLATES_DIR=/app/templates; cycle reports go to
                reports/ beside the database; IMAGE_JAVA_OPTS holds the image's JVM options (heap), and JAVA_OPTS
                adds yours after them (remote JMX; a larger -Xmx replaces the image's).
                Health: http://127.0.0.1:<LDAP_MAILCOW_MANAGEMENT_PORT>/observe/health, metrics: /observe/metrics
                """.formatted(Settings.help().stripTrailing());
    }
}
