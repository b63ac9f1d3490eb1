package org.ldapmailcow.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import org.ldapmailcow.directory.DirectoryType;

/**
 * The service's configuration, read from the Python tool's environment variables (same names, meanings,
 * defaults and required set) plus the new optional ones. Every problem is collected so start-up can name
 * them all at once. Secrets are kept out of {@link #toString()} and out of the Camel properties.
 * <p>
 * The constructor reads the variables by group (the directory, mailcow's API, the cycle, files and operations)
 * through {@link Environment}; each read names the variable, its default and what it is for, and that one line is
 * all a new variable needs besides its field: {@code --help} lists {@link #variables()}, and a test checks the
 * README's table against them.
 */
public final class Settings {

    public static final String PREFIX = "LDAP_MAILCOW_";
    /** The defaults of Active Directory ({@code LDAP_MAILCOW_DIRECTORY=ad}); other types: {@link DirectoryType}. */
    public static final String DEFAULT_USER_FILTER = DirectoryType.AD.userFilter();
    public static final String DEFAULT_SOGO_FILTER = DirectoryType.AD.sogoFilter();
    public static final String DEFAULT_GROUP_FILTER = DirectoryType.AD.groupFilter();
    public static final String DEFAULT_GROUP_MEMBER_FILTER = DirectoryType.AD.memberFilter();
    public static final List<String> DEFAULT_USER_ACL = List.of("spam_alias", "tls_policy", "spam_score",
            "spam_policy", "delimiter_action", "quarantine", "quarantine_notification");

    public enum AuthMode { TEMPLATES, MAILCOW, NONE }

    public enum LogFormat { PLAIN, JSON }

    /** {@code deactivate}: a leaver's mailbox is switched off at once; {@code staged}: first login only. */
    public enum Offboarding { DEACTIVATE, STAGED }
    private final Map<String, String> env;
    private final Environment environment;

    public final String ldapUri;
    public final String ldapGcUri;
    public final String ldapDomain;
    public final String baseDn;
    public final String bindDn;
    private final String bindPassword;
    public final String apiHost;
    private final String apiKey;
    public final int quotaMiB;
    public final int syncIntervalSeconds;
    public final String userFilter;
    public final String sogoFilter;
    public final String groupFilter;
    public final String groupMemberFilter;
    /** {@code LDAP_MAILCOW_DIRECTORY}: which kind of server, and so the defaults of the directory settings. */
    public final DirectoryType directory;
    /** The attributes holding a user's or group's alias addresses. */
    public final List<String> aliasAttributes;
    public final Path dbFile;
    public final Path confDir;
    public final Path templatesDir;
    /**
     * Where the Python tool read its templates ({@code /templates} in its image): a file there, in its
     * {@code string.Template} syntax, takes precedence over the same file in {@link #templatesDir}.
     */
    public final Path pythonTemplatesDir;
    public final Path routesDir;
    public final int pageSize;
    public final Duration ldapConnectTimeout;
    public final Duration ldapReadTimeout;
    public final Path ldapCaFile;
    public final List<String> userAcl;
    public final AuthMode authMode;
    public final DeactivationLimit maxDeactivations;
    public final boolean forceDeactivations;
    public final boolean dryRun;
    public final Duration startupTimeout;
    public final Path apiCaFile;
    public final boolean apiTlsVerify;
    public final Duration apiTimeout;
    /** For GETs: mailcow's listings take milliseconds per mailbox (about 75 s for 50,000). */
    public final Duration apiReadTimeout;
    public final int apiConcurrency;
    public final List<String> exclude;
    public final int managementPort;
    /** 127.0.0.1 unless widened: with network_mode host, 0.0.0.0 opens health and metrics to the network. */
    public final String managementHost;
    public final int reportKeep;
    public final LogFormat logFormat;
    public final int fullSyncEvery;
    /** LDAP_MAILCOW_OFFBOARDING: what happens to a leaver's mailbox (see sync.Offboarding). */
    public final Offboarding offboarding;
    public final int offboardingDays;
    public final int missesBeforeRemoval;
    /** Cycles between full ones read only what changed in the directory, where the server shows it (issue 16). */
    public final boolean deltaSync;

    private Settings(Map<String, String> variables) {
        this.env = variables;
        Environment env = new Environment(variables);
        this.environment = env;
        // ---- the directory ----
        ldapUri = env.uri("LDAP_URI", "ldap:// or ldaps:// URI of a domain controller", "ldap", "ldaps");
        ldapGcUri = env.uri("LDAP_GC_URI", "the Global Catalog URI (used by Dovecot)", "ldap", "ldaps");
        ldapDomain = env.required("LDAP_DOMAIN", "your mail domain");
        baseDn = env.dn("LDAP_BASE_DN", "where users and groups are searched");
        bindDn = env.dn("LDAP_BIND_DN", "the account that reads the directory");
        bindPassword = env.secret("LDAP_BIND_DN_PASSWORD", "its password");

        directory = directoryType(env);
        String filter = env.optional("LDAP_FILTER", DEFAULT_USER_FILTER, "");
        String sogo = env.optional("SOGO_LDAP_FILTER", DEFAULT_SOGO_FILTER, "set both filters or neither");
        if ((filter == null) != (sogo == null)) {
            env.problem(PREFIX + "LDAP_FILTER and " + PREFIX
                    + "SOGO_LDAP_FILTER must be given together or not at all");
        }
        // no default of their own: each comes from the directory type unless set
        userFilter = orElse(env.ldapFilter("LDAP_FILTER", filter, null), directory.userFilter());
        sogoFilter = sogo == null ? directory.sogoFilter() : sogo;
        groupFilter = orElse(env.ldapFilter("LDAP_GROUP_FILTER", env.optional("LDAP_GROUP_FILTER",
                DEFAULT_GROUP_FILTER, "groups that become aliases"), null), directory.groupFilter());
        String memberFilter = orElse(env.ldapFilter("LDAP_GROUP_MEMBER_FILTER", env.optional(
                "LDAP_GROUP_MEMBER_FILTER", DEFAULT_GROUP_MEMBER_FILTER, "which members count"), null),
                directory.memberFilter());
        if (directory.memberFilterNeedsPlaceholder() && !memberFilter.contains(DirectoryType.MEMBER_PLACEHOLDER)) {
            env.problem(PREFIX + "LDAP_GROUP_MEMBER_FILTER must contain {MEMBER_CN}");
        }
        groupMemberFilter = memberFilter;
        aliasAttributes = orElse(env.list("ALIAS_ATTRIBUTES", null, "proxyAddresses; openldap: "
                + "mailAlternateAddress,mailLocalAddress; 389ds: mailAlternateAddress"), directory.aliasAttributes());
        aliasAttributes.stream().filter(name -> !name.matches("[A-Za-z][A-Za-z0-9-]*")).findFirst().ifPresent(name ->
                env.problem(PREFIX + "ALIAS_ATTRIBUTES must list LDAP attribute names, got '" + name + "'"));
        pageSize = env.integer("LDAP_PAGE_SIZE", 500, 1, 100_000, "");
        ldapConnectTimeout = Duration.ofSeconds(env.integer("LDAP_CONNECT_TIMEOUT", 10, 1, 3600, "s"));
        ldapReadTimeout = Duration.ofSeconds(env.integer("LDAP_READ_TIMEOUT", 60, 1, 3600, "s"));
        ldapCaFile = env.readableFile("LDAP_CA_FILE", "JVM trust store");

        // ---- mailcow's API ----
        apiHost = stripTrailingSlash(env.uri("API_HOST", "mailcow's URL, e.g. https://mail.example.com",
                "http", "https"));
        apiKey = env.secret("API_KEY", "a read-write API key");
        quotaMiB = env.integer("API_QUOTA", null, 0, Integer.MAX_VALUE, "quota of new mailboxes in MiB, 0 = unlimited");
        userAcl = env.list("USER_ACL", DEFAULT_USER_ACL, "");
        apiCaFile = env.readableFile("API_CA_FILE", "JVM trust store");
        apiTlsVerify = env.bool("API_TLS_VERIFY", true, "");
        apiTimeout = Duration.ofSeconds(env.integer("API_TIMEOUT", 30, 1, 3600, "s"));
        apiReadTimeout = Duration.ofSeconds(env.integer("API_READ_TIMEOUT", 600, 1, 3600, "s"));
        apiConcurrency = env.integer("API_CONCURRENCY", 4, 1, 64, "");

        // ---- the cycle ----
        syncIntervalSeconds = env.integer("SYNC_INTERVAL", null, 1, Integer.MAX_VALUE, "seconds between cycles");
        maxDeactivations = deactivationLimit(env);
        forceDeactivations = env.bool("FORCE_DEACTIVATIONS", false, "");
        dryRun = env.bool("DRY_RUN", false, "");
        exclude = env.list("EXCLUDE", List.of(), "none; addresses or patterns such as *@lab.example.com");
        startupTimeout = Duration.ofSeconds(env.integer("STARTUP_TIMEOUT", 120, 0, 86_400,
                "s, how long --once waits for LDAP and mailcow"));
        fullSyncEvery = env.integer("FULL_SYNC_EVERY", 12, 1, 1_000_000, "cycles between full reconciles with mailcow");
        offboarding = env.choice("OFFBOARDING", Offboarding.class, Offboarding.DEACTIVATE,
                "deactivate | staged: login off first, switched off after the days");
        offboardingDays = env.integer("OFFBOARDING_DAYS", 30, 0, 36_500, "days a staged leaver's mailbox still takes mail");
        missesBeforeRemoval = env.integer("MISSES_BEFORE_REMOVAL", 1, 1, 1000,
                "successful cycles in a row a user must be missing");
        deltaSync = env.bool("DELTA_SYNC", true, "between full cycles read only what changed, where the directory shows it");

        // ---- files, the Dovecot and SOGo configuration, operations ----
        dbFile = Path.of(env.orDefault("DB_FILE", "db/ldap-mailcow.sqlite3", ""));
        confDir = Path.of(env.orDefault("CONF_DIR", "conf", ""));
        templatesDir = env.installed("TEMPLATES_DIR", "templates", "");
        pythonTemplatesDir = Path.of(env.orDefault("PYTHON_TEMPLATES_DIR", "/templates",
                "templates in the Python tool's syntax; a file there wins"));
        routesDir = env.installed("ROUTES_DIR", "routes", "");
        if (!Files.isDirectory(routesDir)) {
            env.problem(PREFIX + "ROUTES_DIR: no directory " + routesDir.toAbsolutePath() + " (the Camel routes; "
                    + "by default routes/ beside ldap-mailcow.jar)");
        }
        authMode = env.choice("AUTH_MODE", AuthMode.class, AuthMode.TEMPLATES, "templates | mailcow | none");
        managementPort = env.integer("MANAGEMENT_PORT", 9876, 0, 65535,
                "/observe/health and /observe/metrics; 0 = any free port");
        managementHost = env.orDefault("MANAGEMENT_HOST", "127.0.0.1", "0.0.0.0: health and metrics open to the network");
        reportKeep = env.integer("REPORT_KEEP", 50, 0, 100_000, "cycle reports kept beside the database; 0 = none");
        logFormat = env.choice("LOG_FORMAT", LogFormat.class, LogFormat.PLAIN, "plain | json");
    }

    /** Reads and checks the settings; throws one exception listing every problem. */
    public static Settings from(Map<String, String> env) {
        Settings settings = new Settings(Map.copyOf(withoutNulls(env)));
        if (!settings.environment.problems().isEmpty()) {
            throw new SettingsException(settings.environment.problems());
        }
        return settings;
    }

    /** The same settings with some variables replaced (tests, --force, --dry-run). */
    public Settings with(Map<String, String> overrides) {
        Map<String, String> merged = new LinkedHashMap<>(env);
        merged.putAll(overrides);
        return from(merged);
    }

    public String bindPassword() {
        return bindPassword;
    }

    public String apiKey() {
        return apiKey;
    }

    /** Values the YAML routes use as {@code {{lmc.*}}} placeholders; secrets are not among them. */
    public Properties toProperties() {
        Properties p = new Properties();
        p.setProperty("lmc.base-dn", baseDn);
        p.setProperty("lmc.user-filter", userFilter);
        p.setProperty("lmc.group-filter", groupFilter);
        p.setProperty("lmc.user-attributes", String.join(",", directory.userAttributes(aliasAttributes)));
        p.setProperty("lmc.group-attributes", String.join(",", directory.groupAttributes(aliasAttributes)));
        p.setProperty("lmc.page-size", Integer.toString(pageSize));
        p.setProperty("lmc.api-host", apiHost);
        p.setProperty("lmc.sync-interval-ms", Long.toString(syncIntervalSeconds * 1000L));
        p.setProperty("lmc.auth-mode", authMode.name().toLowerCase(Locale.ROOT));
        p.setProperty("lmc.dry-run", Boolean.toString(dryRun));
        p.setProperty("lmc.instance-lock", lockName(dbFile));
        p.setProperty("lmc.templates-dir", templatesDir.toAbsolutePath().toString());
        p.setProperty("lmc.management-port", Integer.toString(managementPort));
        p.setProperty("lmc.management-host", managementHost);
        return p;
    }

    /** The name of the lock file beside the state file: one instance cycles per state file (camel-master). */
    public static String lockName(Path dbFile) {
        return dbFile.getFileName() + ".lock";
    }

    /** Every variable the settings read, in the order of {@code --help}: name, default, what it is for. */
    public static List<Variable> variables() {
        return new Settings(Map.of()).environment.variables();
    }

    /** The environment part of {@code --help}: every variable, made from {@link #variables()}. */
    public static String help() {
        StringBuilder text = new StringBuilder("Environment (required):\n");
        variables().stream().filter(Variable::required).forEach(v -> text.append(v.helpLine()).append('\n'));
        text.append("Environment (optional, default):\n");
        variables().stream().filter(v -> !v.required()).forEach(v -> text.append(v.helpLine()).append('\n'));
        return text.toString();
    }

    @Override
    public String toString() {
        return "Settings[ldapUri=" + ldapUri + ", baseDn=" + baseDn + ", bindDn=" + bindDn + ", apiHost=" + apiHost
                + ", bindPassword=****, apiKey=****]";
    }

    private static DirectoryType directoryType(Environment env) {
        String value = env.orDefault("DIRECTORY", "ad", "ad | openldap | 389ds: picks the defaults of the next five "
                + "for that directory; those shown are AD's");
        DirectoryType type = DirectoryType.parse(value);
        if (type == null) {
            env.problem(PREFIX + "DIRECTORY must be one of ad, openldap, 389ds, got '" + value + "'");
            return DirectoryType.AD;
        }
        return type;
    }

    private static DeactivationLimit deactivationLimit(Environment env) {
        String value = env.orDefault("MAX_DEACTIVATIONS", "10%", "a count or a percentage; never below 5");
        try {
            return DeactivationLimit.parse(value);
        } catch (IllegalArgumentException e) {
            env.problem(PREFIX + "MAX_DEACTIVATIONS must be a count or a percentage such as 10%, got '" + value + "'");
            return null;
        }
    }

    private static <T> T orElse(T value, T def) {
        return value != null ? value : def;
    }

    private static String stripTrailingSlash(String value) {
        return value != null && value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    }

    private static Map<String, String> withoutNulls(Map<String, String> env) {
        Map<String, String> copy = new LinkedHashMap<>();
        env.forEach((k, v) -> {
            if (k != null && v != null) {
                copy.put(k, v);
            }
        });
        return copy;
    }
}
