package org.ldapmailcow.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
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

    private final List<String> problems = new ArrayList<>();
    private final Map<String, String> env;

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
    /** Cycles between full ones read only what changed in the directory, where the server shows it (issue 16). */
    public final boolean deltaSync;

    private Settings(Map<String, String> env) {
        this.env = env;
        ldapUri = uri("LDAP_URI", true, "ldap", "ldaps");
        ldapGcUri = uri("LDAP_GC_URI", true, "ldap", "ldaps");
        ldapDomain = required("LDAP_DOMAIN");
        baseDn = dn("LDAP_BASE_DN");
        bindDn = dn("LDAP_BIND_DN");
        bindPassword = secret("LDAP_BIND_DN_PASSWORD");
        apiHost = stripTrailingSlash(uri("API_HOST", true, "http", "https"));
        apiKey = secret("API_KEY");
        quotaMiB = integer("API_QUOTA", null, 0, Integer.MAX_VALUE);
        syncIntervalSeconds = integer("SYNC_INTERVAL", null, 1, Integer.MAX_VALUE);

        directory = directoryType();
        String filter = optional("LDAP_FILTER");
        String sogo = optional("SOGO_LDAP_FILTER");
        if ((filter == null) != (sogo == null)) {
            problems.add(PREFIX + "LDAP_FILTER and " + PREFIX
                    + "SOGO_LDAP_FILTER must be given together or not at all");
        }
        // no default of their own: each comes from the directory type unless set
        userFilter = orElse(ldapFilter("LDAP_FILTER", filter, null), directory.userFilter());
        sogoFilter = sogo == null ? directory.sogoFilter() : sogo;
        groupFilter = orElse(ldapFilter("LDAP_GROUP_FILTER", optional("LDAP_GROUP_FILTER"), null),
                directory.groupFilter());
        String memberFilter = orElse(ldapFilter("LDAP_GROUP_MEMBER_FILTER", optional("LDAP_GROUP_MEMBER_FILTER"),
                null), directory.memberFilter());
        if (directory.memberFilterNeedsPlaceholder() && !memberFilter.contains(DirectoryType.MEMBER_PLACEHOLDER)) {
            problems.add(PREFIX + "LDAP_GROUP_MEMBER_FILTER must contain {MEMBER_CN}");
        }
        groupMemberFilter = memberFilter;
        aliasAttributes = orElse(list("ALIAS_ATTRIBUTES", null), directory.aliasAttributes());
        aliasAttributes.stream().filter(name -> !name.matches("[A-Za-z][A-Za-z0-9-]*")).findFirst().ifPresent(name ->
                problems.add(PREFIX + "ALIAS_ATTRIBUTES must list LDAP attribute names, got '" + name + "'"));

        dbFile = Path.of(orDefault("DB_FILE", "db/ldap-mailcow.sqlite3"));
        confDir = Path.of(orDefault("CONF_DIR", "conf"));
        templatesDir = installed("TEMPLATES_DIR", "templates");
        pythonTemplatesDir = Path.of(orDefault("PYTHON_TEMPLATES_DIR", "/templates"));
        routesDir = installed("ROUTES_DIR", "routes");
        if (!Files.isDirectory(routesDir)) {
            problems.add(PREFIX + "ROUTES_DIR: no directory " + routesDir.toAbsolutePath() + " (the Camel routes; "
                    + "by default routes/ beside ldap-mailcow.jar)");
        }
        pageSize = integer("LDAP_PAGE_SIZE", 500, 1, 100_000);
        ldapConnectTimeout = Duration.ofSeconds(integer("LDAP_CONNECT_TIMEOUT", 10, 1, 3600));
        ldapReadTimeout = Duration.ofSeconds(integer("LDAP_READ_TIMEOUT", 60, 1, 3600));
        ldapCaFile = readableFile("LDAP_CA_FILE");
        userAcl = list("USER_ACL", DEFAULT_USER_ACL);
        authMode = choice("AUTH_MODE", AuthMode.class, AuthMode.TEMPLATES);
        maxDeactivations = deactivationLimit();
        forceDeactivations = bool("FORCE_DEACTIVATIONS", false);
        dryRun = bool("DRY_RUN", false);
        startupTimeout = Duration.ofSeconds(integer("STARTUP_TIMEOUT", 120, 0, 86_400));
        apiCaFile = readableFile("API_CA_FILE");
        apiTlsVerify = bool("API_TLS_VERIFY", true);
        apiTimeout = Duration.ofSeconds(integer("API_TIMEOUT", 30, 1, 3600));
        apiReadTimeout = Duration.ofSeconds(integer("API_READ_TIMEOUT", 600, 1, 3600));
        apiConcurrency = integer("API_CONCURRENCY", 4, 1, 64);
        exclude = list("EXCLUDE", List.of());
        managementPort = integer("MANAGEMENT_PORT", 9876, 0, 65535);
        managementHost = orDefault("MANAGEMENT_HOST", "127.0.0.1");
        reportKeep = integer("REPORT_KEEP", 50, 0, 100_000);
        logFormat = choice("LOG_FORMAT", LogFormat.class, LogFormat.PLAIN);
        fullSyncEvery = integer("FULL_SYNC_EVERY", 12, 1, 1_000_000);
        deltaSync = bool("DELTA_SYNC", true);
    }

    /** Reads and checks the settings; throws one exception listing every problem. */
    public static Settings from(Map<String, String> env) {
        Settings settings = new Settings(Map.copyOf(withoutNulls(env)));
        if (!settings.problems.isEmpty()) {
            throw new SettingsException(settings.problems);
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
        p.setProperty("lmc.ldap-uri", ldapUri);
        p.setProperty("lmc.ldap-gc-uri", ldapGcUri);
        p.setProperty("lmc.base-dn", baseDn);
        p.setProperty("lmc.user-filter", userFilter);
        p.setProperty("lmc.group-filter", groupFilter);
        p.setProperty("lmc.user-attributes", String.join(",", directory.userAttributes(aliasAttributes)));
        p.setProperty("lmc.group-attributes", String.join(",", directory.groupAttributes(aliasAttributes)));
        p.setProperty("lmc.page-size", Integer.toString(pageSize));
        p.setProperty("lmc.api-host", apiHost);
        p.setProperty("lmc.api-timeout-ms", Long.toString(apiTimeout.toMillis()));
        p.setProperty("lmc.api-concurrency", Integer.toString(apiConcurrency));
        p.setProperty("lmc.sync-interval-ms", Long.toString(syncIntervalSeconds * 1000L));
        p.setProperty("lmc.auth-mode", authMode.name().toLowerCase(Locale.ROOT));
        p.setProperty("lmc.dry-run", Boolean.toString(dryRun));
        p.setProperty("lmc.instance-lock", org.ldapmailcow.ops.CycleLeadership.lockName(dbFile));
        p.setProperty("lmc.templates-dir", templatesDir.toAbsolutePath().toString());
        p.setProperty("lmc.conf-dir", confDir.toAbsolutePath().toString());
        p.setProperty("lmc.management-port", Integer.toString(managementPort));
        p.setProperty("lmc.management-host", managementHost);
        return p;
    }

    @Override
    public String toString() {
        return "Settings[ldapUri=" + ldapUri + ", baseDn=" + baseDn + ", bindDn=" + bindDn + ", apiHost=" + apiHost
                + ", bindPassword=****, apiKey=****]";
    }

    // ---- parsing helpers; each records a one-line problem naming the variable ----

    private String raw(String name) {
        String value = env.get(PREFIX + name);
        return value == null || value.isBlank() ? null : value.strip();
    }

    private String optional(String name) {
        return raw(name);
    }

    private String orDefault(String name, String def) {
        String value = raw(name);
        return value == null ? def : value;
    }

    /** A directory shipped with the jar: unless set, the one beside the jar (any working directory works). */
    private Path installed(String name, String def) {
        String value = raw(name);
        return value != null ? Path.of(value) : InstallLocation.directory().resolve(def);
    }

    private String required(String name) {
        String value = raw(name);
        if (value == null) {
            problems.add(PREFIX + name + " is required but not set");
            return "";
        }
        return value;
    }

    private String secret(String name) {
        String direct = env.get(PREFIX + name);
        String file = raw(name + "_FILE");
        if (file != null) {
            if (direct != null && !direct.isEmpty()) {
                problems.add(PREFIX + name + " and " + PREFIX + name + "_FILE are both set; use one");
                return "";
            }
            try {
                return stripOneTrailingNewline(Files.readString(Path.of(file)));
            } catch (IOException | RuntimeException e) {
                problems.add(PREFIX + name + "_FILE: cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
                return "";
            }
        }
        if (direct == null || direct.isEmpty()) {
            problems.add(PREFIX + name + " is required but not set (or set " + PREFIX + name + "_FILE)");
            return "";
        }
        return direct;
    }

    private String uri(String name, boolean needed, String... schemes) {
        String value = needed ? required(name) : optional(name);
        if (value == null || value.isEmpty()) {
            return value == null ? null : "";
        }
        String scheme = value.contains("://") ? value.substring(0, value.indexOf("://")).toLowerCase(Locale.ROOT) : "";
        if (!Arrays.asList(schemes).contains(scheme) || value.length() <= scheme.length() + 3) {
            problems.add(PREFIX + name + " must be a URI starting with " + String.join(":// or ", schemes)
                    + "://, got '" + value + "'");
        }
        return value;
    }

    private String dn(String name) {
        String value = required(name);
        if (!value.isEmpty()) {
            try {
                new javax.naming.ldap.LdapName(value);
            } catch (javax.naming.InvalidNameException | RuntimeException e) {
                problems.add(PREFIX + name + " is not a valid DN: '" + value + "'");
            }
        }
        return value;
    }

    private String ldapFilter(String name, String value, String def) {
        if (value == null) {
            return def;
        }
        try {
            com.unboundid.ldap.sdk.Filter.create(value.replace("{MEMBER_CN}", "x"));
        } catch (com.unboundid.ldap.sdk.LDAPException e) {
            problems.add(PREFIX + name + " is not a valid LDAP filter: " + e.getMessage());
        }
        return value;
    }

    private int integer(String name, Integer def, int min, int max) {
        String value = def == null ? required(name) : raw(name);
        if (value == null || value.isEmpty()) {
            return def == null ? 0 : def;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed < min || parsed > max) {
                problems.add(PREFIX + name + " must be between " + min + " and " + max + ", got " + value);
            }
            return parsed;
        } catch (NumberFormatException e) {
            problems.add(PREFIX + name + " must be a whole number, got '" + value + "'");
            return def == null ? 0 : def;
        }
    }

    private boolean bool(String name, boolean def) {
        String value = raw(name);
        if (value == null) {
            return def;
        }
        switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on": return true;
            case "false", "no", "0", "off": return false;
            default:
                problems.add(PREFIX + name + " must be true or false, got '" + value + "'");
                return def;
        }
    }

    private <E extends Enum<E>> E choice(String name, Class<E> type, E def) {
        String value = raw(name);
        if (value == null) {
            return def;
        }
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problems.add(PREFIX + name + " must be one of " + Arrays.toString(type.getEnumConstants())
                    .toLowerCase(Locale.ROOT) + ", got '" + value + "'");
            return def;
        }
    }

    private List<String> list(String name, List<String> def) {
        String value = raw(name);
        if (value == null) {
            return def;
        }
        return Arrays.stream(value.split("[,\\s]+")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private Path readableFile(String name) {
        String value = raw(name);
        if (value == null) {
            return null;
        }
        Path path = Path.of(value);
        if (!Files.isReadable(path)) {
            problems.add(PREFIX + name + ": cannot read " + value);
        }
        return path;
    }

    private DirectoryType directoryType() {
        String value = orDefault("DIRECTORY", "ad");
        DirectoryType type = DirectoryType.parse(value);
        if (type == null) {
            problems.add(PREFIX + "DIRECTORY must be one of ad, openldap, 389ds, got '" + value + "'");
            return DirectoryType.AD;
        }
        return type;
    }

    private DeactivationLimit deactivationLimit() {
        String value = orDefault("MAX_DEACTIVATIONS", "10%");
        try {
            return DeactivationLimit.parse(value);
        } catch (IllegalArgumentException e) {
            problems.add(PREFIX + "MAX_DEACTIVATIONS must be a count or a percentage such as 10%, got '" + value + "'");
            return DeactivationLimit.parse("10%");
        }
    }

    private static <T> T orElse(T value, T def) {
        return value != null ? value : def;
    }

    private static String stripTrailingSlash(String value) {
        return value != null && value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    }

    private static String stripOneTrailingNewline(String value) {
        if (value.endsWith("\r\n")) {
            return value.substring(0, value.length() - 2);
        }
        return value.endsWith("\n") ? value.substring(0, value.length() - 1) : value;
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
