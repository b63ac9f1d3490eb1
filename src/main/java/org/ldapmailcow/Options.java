package org.ldapmailcow;

import java.util.List;

import org.ldapmailcow.config.Settings;

/** The command line: a mode and two switches; everything else is configured through the environment. */
record Options(boolean once, boolean demo, boolean dryRun, boolean force, boolean help, boolean version) {

    static Options parse(List<String> args) {
        boolean once = false, demo = false, dryRun = false, force = false, help = false, version = false;
        for (String arg : args) {
            switch (arg) {
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
        return new Options(once, demo, dryRun, force, help, version);
    }

    static String usage() {
        return """
                Usage: java -jar ldap-mailcow.jar [--once] [--dry-run] [--force]

                  (no option)  run the service: a cycle right after start, then every LDAP_MAILCOW_SYNC_INTERVAL s
                  --once       run one cycle and exit (0 ok, 1 cycle had failures, 2 bad configuration,
                               3 cycle aborted: directory, mailcow or state file failing, 4 start-up failed,
                               5 another instance (a running service) holds the lock beside the state file)
                  --demo       where the demo is: java -jar ldap-mailcow-demo.jar [--dry-run] runs one cycle
                               against an embedded demo directory and mailcow emulator (not in the image)
                  --dry-run    plan and print every change, write nothing (LDAP_MAILCOW_DRY_RUN=true)
                  --force      lift the mass deactivation limit for this run (LDAP_MAILCOW_FORCE_DEACTIVATIONS=true)
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
