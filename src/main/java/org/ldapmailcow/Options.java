package org.ldapmailcow;

import java.util.List;

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
                Usage: java -jar ldap-mailcow.jar [--once | --demo] [--dry-run] [--force]

                  (no option)  run the service: a cycle right after start, then every LDAP_MAILCOW_SYNC_INTERVAL s
                  --once       run one cycle and exit (0 ok, 1 cycle had failures, 2 bad configuration,
                               3 cycle aborted: directory, mailcow or state file failing, 4 start-up failed,
                               5 another instance (a running service) holds the lock beside the state file)
                  --demo       run one cycle against an embedded demo directory and mailcow emulator
                  --dry-run    plan and print every change, write nothing (LDAP_MAILCOW_DRY_RUN=true)
                  --force      lift the mass deactivation limit for this run (LDAP_MAILCOW_FORCE_DEACTIVATIONS=true)
                  --help, --version

                Environment (required):
                  LDAP_MAILCOW_LDAP_URI, LDAP_MAILCOW_LDAP_GC_URI, LDAP_MAILCOW_LDAP_DOMAIN,
                  LDAP_MAILCOW_LDAP_BASE_DN, LDAP_MAILCOW_LDAP_BIND_DN,
                  LDAP_MAILCOW_LDAP_BIND_DN_PASSWORD (or ..._FILE), LDAP_MAILCOW_API_HOST,
                  LDAP_MAILCOW_API_KEY (or ..._FILE), LDAP_MAILCOW_API_QUOTA (MiB, 0 = unlimited),
                  LDAP_MAILCOW_SYNC_INTERVAL (seconds)
                  e.g. LDAP_MAILCOW_LDAP_URI=ldaps://dc.example.local,
                  LDAP_MAILCOW_LDAP_GC_URI=ldaps://dc.example.local:3269 (the Global Catalog: 3269 with ldaps, 3268 with ldap)
                Environment (optional, default):
                  LDAP_MAILCOW_DIRECTORY                 ad (ad | openldap | 389ds: picks the defaults of the
                                                         next five for that directory; those shown are AD's)
                  LDAP_MAILCOW_LDAP_FILTER               (&(objectClass=user)(objectCategory=person))
                  LDAP_MAILCOW_SOGO_LDAP_FILTER          objectClass='user' AND objectCategory='person'
                                                         (set both filters or neither)
                  LDAP_MAILCOW_LDAP_GROUP_FILTER         (&(objectClass=group)(mail=*))
                  LDAP_MAILCOW_LDAP_GROUP_MEMBER_FILTER  (&(objectClass=person)(mail=*)(distinguishedName={MEMBER_CN}))
                  LDAP_MAILCOW_ALIAS_ATTRIBUTES          proxyAddresses (openldap: mailAlternateAddress,mailLocalAddress;
                                                         389ds: mailAlternateAddress)
                  LDAP_MAILCOW_LDAP_PAGE_SIZE            500
                  LDAP_MAILCOW_LDAP_CONNECT_TIMEOUT      10 (s)
                  LDAP_MAILCOW_LDAP_READ_TIMEOUT         60 (s)
                  LDAP_MAILCOW_LDAP_CA_FILE              (JVM trust store)
                  LDAP_MAILCOW_DB_FILE                   db/ldap-mailcow.sqlite3
                  LDAP_MAILCOW_CONF_DIR                  conf
                  LDAP_MAILCOW_TEMPLATES_DIR             templates (beside ldap-mailcow.jar)
                  LDAP_MAILCOW_PYTHON_TEMPLATES_DIR      /templates (templates in the Python tool's syntax; a file there wins)
                  LDAP_MAILCOW_ROUTES_DIR                routes (beside ldap-mailcow.jar)
                  LDAP_MAILCOW_AUTH_MODE                 templates (templates | mailcow | none)
                  LDAP_MAILCOW_USER_ACL                  spam_alias,tls_policy,spam_score,spam_policy,delimiter_action,quarantine,quarantine_notification
                  LDAP_MAILCOW_MAX_DEACTIVATIONS         10% (a count or a percentage; never below 5)
                  LDAP_MAILCOW_FORCE_DEACTIVATIONS       false
                  LDAP_MAILCOW_DRY_RUN                   false
                  LDAP_MAILCOW_EXCLUDE                   (none; addresses or patterns such as *@lab.example.com)
                  LDAP_MAILCOW_STARTUP_TIMEOUT           120 (s, how long --once waits for LDAP and mailcow)
                  LDAP_MAILCOW_API_CA_FILE               (JVM trust store)
                  LDAP_MAILCOW_API_TLS_VERIFY            true
                  LDAP_MAILCOW_API_TIMEOUT               30 (s)
                  LDAP_MAILCOW_API_READ_TIMEOUT          600 (s)
                  LDAP_MAILCOW_API_CONCURRENCY           4
                  LDAP_MAILCOW_FULL_SYNC_EVERY           12 (cycles between full reconciles with mailcow)
                  LDAP_MAILCOW_DELTA_SYNC                true (between them, read only what changed in the directory)
                  LDAP_MAILCOW_MANAGEMENT_PORT           9876 (/observe/health and /observe/metrics; 0 = any free port)
                  LDAP_MAILCOW_MANAGEMENT_HOST           127.0.0.1 (0.0.0.0: health and metrics open to the network)
                  LDAP_MAILCOW_REPORT_KEEP               50 (cycle reports kept beside the database; 0 = none)
                  LDAP_MAILCOW_LOG_FORMAT                plain (plain | json)

                In the container image: LDAP_MAILCOW_DB_FILE=/db/ldap-mailcow.sqlite3, LDAP_MAILCOW_CONF_DIR=/conf,
                LDAP_MAILCOW_ROUTES_DIR=/app/routes, LDAP_MAILCOW_TEMPLATES_DIR=/app/templates; cycle reports go to
                reports/ beside the database; IMAGE_JAVA_OPTS holds the image's JVM options (heap), and JAVA_OPTS
                adds yours after them (remote JMX; a larger -Xmx replaces the image's).
                Health: http://127.0.0.1:<LDAP_MAILCOW_MANAGEMENT_PORT>/observe/health, metrics: /observe/metrics
                """;
    }
}
