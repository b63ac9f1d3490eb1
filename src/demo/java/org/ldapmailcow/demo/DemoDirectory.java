package org.ldapmailcow.demo;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.OperationType;
import com.unboundid.ldap.sdk.RDN;

/**
 * An embedded directory that answers like Active Directory where the sync depends on it: for the demo mode and
 * the tests. UnboundID's in-memory server on 127.0.0.1 (a free port) without schema checking, holding AD-style
 * entries under {@code DC=example,DC=local}:
 * <ul>
 * <li>{@code objectClass} user/person/group, {@code objectCategory} {@code person} or {@code group} (AD stores a
 * DN there but matches the short name, so the default filters work as against AD), {@code distinguishedName}
 * equal to the DN (the member filter uses it), {@code userAccountControl}, {@code proxyAddresses} and a binary
 * {@code objectGUID};</li>
 * <li>searches need a bind; the bind account is {@code CN=Bind DN,CN=Users,DC=example,DC=local};</li>
 * <li>an unpaged search over 1000 entries fails with sizeLimitExceeded like AD's MaxPageSize, paged ones work;</li>
 * <li>{@code member} is served in ranges of 1500 ({@link MemberRangeInterceptor}).</li>
 * </ul>
 */
public final class DemoDirectory implements AutoCloseable {

    public static final String DOMAIN = "example.local";
    public static final String BASE_DN = "DC=example,DC=local";
    public static final String USERS_CONTAINER = "CN=Users," + BASE_DN;
    public static final String MAIL_USERS_OU = "OU=Mail Users," + BASE_DN;
    public static final String BULK_OU = "OU=Bulk," + MAIL_USERS_OU;
    public static final String BIND_DN = "CN=Bind DN," + USERS_CONTAINER;
    public static final String BIND_PASSWORD = "Passw0rd!Bind";
    /** The password of every demo user, for trying the mail login against the directory. */
    public static final String USER_PASSWORD = "Passw0rd!User1";
    /** AD's MaxPageSize: the most entries an unpaged search returns. */
    public static final int SIZE_LIMIT = 1000;
    public static final int NORMAL_ACCOUNT = 512;
    public static final int DISABLED_ACCOUNT = 514;

    private static final String[] USER_CLASSES = {"top", "person", "organizationalPerson", "user"};

    private final InMemoryDirectoryServer server;
    private final MemberRangeInterceptor interceptor = new MemberRangeInterceptor();

    public DemoDirectory() {
        try {
            InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE_DN);
            config.setSchema(null);
            config.setListenerConfigs(
                    InMemoryListenerConfig.createLDAPConfig("ldap", InetAddress.getLoopbackAddress(), 0, null));
            config.setMaxSizeLimit(SIZE_LIMIT);
            config.setAuthenticationRequiredOperationTypes(OperationType.SEARCH, OperationType.COMPARE);
            config.addInMemoryOperationInterceptor(interceptor);
            server = new InMemoryDirectoryServer(config);
            server.add(new Entry(BASE_DN, attribute("objectClass", "top", "domain"), attribute("dc", "example"),
                    attribute("distinguishedName", BASE_DN)));
            addContainer(USERS_CONTAINER);
            addContainer(MAIL_USERS_OU);
            Entry bindAccount = user(BIND_DN, null, "Bind DN", NORMAL_ACCOUNT, "svc-bind");
            bindAccount.setAttribute("cn", "Bind DN");
            bindAccount.setAttribute("userPassword", BIND_PASSWORD);
            server.add(bindAccount);
        } catch (LDAPException e) {
            throw new IllegalStateException("cannot set up the demo directory: " + e.getMessage(), e);
        }
    }

    /** Starts listening on 127.0.0.1 (a free port). */
    public DemoDirectory start() {
        try {
            server.startListening();
            return this;
        } catch (LDAPException e) {
            throw new IllegalStateException("cannot start the demo directory: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        server.shutDown(true);
    }

    public String ldapUri() {
        return "ldap://127.0.0.1:" + server.getListenPort();
    }

    public String baseDn() {
        return BASE_DN;
    }

    public String bindDn() {
        return BIND_DN;
    }

    public String bindPassword() {
        return BIND_PASSWORD;
    }

    /** The fixture of {@code ad-test-dc} in small: see {@link SampleDirectory}. */
    public DemoDirectory seedSample() {
        SampleDirectory.seed(this);
        return this;
    }

    /** Adds an enabled or disabled user under {@code OU=Mail Users}; {@code mail} may be null. Returns the DN. */
    public String addUser(String cn, String mail, String displayName, int userAccountControl,
                          String... proxyAddresses) {
        return addUser(MAIL_USERS_OU, cn, mail, displayName, userAccountControl, proxyAddresses);
    }

    public String addUser(String parentDn, String cn, String mail, String displayName, int userAccountControl,
                          String... proxyAddresses) {
        String dn = dn(cn, parentDn);
        Entry entry = user(dn, mail, displayName, userAccountControl, accountName(cn, mail));
        entry.setAttribute("cn", cn);
        entry.setAttribute("userPassword", USER_PASSWORD);
        if (proxyAddresses.length > 0) {
            entry.setAttribute("proxyAddresses", proxyAddresses);
        }
        add(entry);
        return dn;
    }

    /**
     * Adds {@code count} enabled users {@code CN=<prefix>NNNNN,OU=Bulk,OU=Mail Users,...} with mail
     * {@code <prefix>NNNNN@example.local} and an {@code SMTP:} and {@code smtp:} proxy address each. Fast enough
     * for thousands (no password). Returns their DNs.
     */
    public List<String> addUsers(int count, String prefix) {
        if (!exists(BULK_OU)) {
            addContainer(BULK_OU);
        }
        List<String> dns = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            String name = String.format(Locale.ROOT, "%s%05d", prefix, i);
            String mail = name.toLowerCase(Locale.ROOT) + "@" + DOMAIN;
            String dn = dn(name, BULK_OU);
            Entry entry = user(dn, mail, "Bulk User " + name, NORMAL_ACCOUNT, accountName(name, mail));
            entry.setAttribute("proxyAddresses", "SMTP:" + mail, "smtp:" + name.toLowerCase(Locale.ROOT) + ".alias@"
                    + DOMAIN);
            add(entry);
            dns.add(dn);
        }
        return dns;
    }

    /** Adds a universal distribution group under {@code OU=Mail Users}; {@code mail} may be null. Returns the DN. */
    public String addGroup(String cn, String mail, List<String> memberDns, String... proxyAddresses) {
        String dn = dn(cn, MAIL_USERS_OU);
        Entry entry = new Entry(dn,
                attribute("objectClass", "top", "group"),
                attribute("objectCategory", "group"),
                attribute("cn", cn),
                attribute("distinguishedName", dn),
                attribute("sAMAccountName", accountName(cn, null)),
                attribute("groupType", "8"),
                new Attribute("objectGUID", randomGuid()));
        if (mail != null) {
            entry.setAttribute("mail", mail);
        }
        if (!memberDns.isEmpty()) {
            entry.setAttribute("member", memberDns);
        }
        if (proxyAddresses.length > 0) {
            entry.setAttribute("proxyAddresses", proxyAddresses);
        }
        add(entry);
        return dn;
    }

    /** Replaces the attribute's values; no values removes the attribute. */
    public void setAttribute(String dn, String attribute, String... values) {
        modify(dn, new Modification(ModificationType.REPLACE, attribute, values));
    }

    public void setAttribute(String dn, String attribute, byte[] value) {
        modify(dn, new Modification(ModificationType.REPLACE, attribute, value));
    }

    public void modify(String dn, Modification... modifications) {
        try {
            server.modify(dn, modifications);
        } catch (LDAPException e) {
            throw new IllegalStateException("cannot modify " + dn + ": " + e.getMessage(), e);
        }
    }

    public void delete(String dn) {
        try {
            server.delete(dn);
        } catch (LDAPException e) {
            throw new IllegalStateException("cannot delete " + dn + ": " + e.getMessage(), e);
        }
    }

    public void add(Entry entry) {
        try {
            server.add(entry);
        } catch (LDAPException e) {
            throw new IllegalStateException("cannot add " + entry.getDN() + ": " + e.getMessage(), e);
        }
    }

    /** Search requests that reached the server since the last reset; a paged search counts once per page. */
    public int searchCount() {
        return interceptor.searchCount();
    }

    /** Searches started since the last reset: a paged search counts once, however many pages it took. */
    public int startedSearchCount() {
        return interceptor.startedSearchCount();
    }

    /** Entries the directory returned (every search, every page) since the last reset. */
    public long entryCount() {
        return interceptor.entryCount();
    }

    /**
     * Simulates Active Directory's change tracking for an unchanged directory (the benchmark's delta cycles): the
     * rootDSE shows a fixed {@code highestCommittedUSN}, {@code dsServiceName} and {@code defaultNamingContext}; the
     * NTDS Settings entry it names has an {@code invocationId}; {@code CN=Deleted Objects} holds one tombstone, so the
     * bind account counts as seeing deleted objects. No entry carries {@code uSNChanged}: the embedded server does
     * not maintain it, so a delta search finds no change, as AD's would on a directory nobody changed.
     */
    public DemoDirectory simulateUnchangedAdChangeTracking() {
        String ntds = "CN=NTDS Settings,CN=DC1," + BASE_DN;
        try {
            server.add(new Entry("CN=DC1," + BASE_DN, attribute("objectClass", "top", "container")));
            Entry settings = new Entry(ntds, attribute("objectClass", "top", "nTDSDSA"));
            settings.addAttribute("invocationId", new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
            server.add(settings);
            server.add(new Entry("CN=Deleted Objects," + BASE_DN, attribute("objectClass", "top", "container"),
                    attribute("isDeleted", "TRUE")));
            server.add(new Entry("CN=gone\0ADEL:0,CN=Deleted Objects," + BASE_DN, attribute("objectClass", "top"),
                    attribute("isDeleted", "TRUE")));
        } catch (LDAPException e) {
            throw new IllegalStateException("cannot simulate change tracking: " + e.getMessage(), e);
        }
        interceptor.rootDseExtras(List.of(new Attribute("highestCommittedUSN", "1000000"),
                new Attribute("dsServiceName", ntds), new Attribute("defaultNamingContext", BASE_DN)));
        return this;
    }

    /** Resets both {@link #searchCount()} and {@link #startedSearchCount()}. */
    public void resetSearchCount() {
        interceptor.resetSearchCount();
    }

    /** The server itself, for anything the helpers do not cover. */
    public InMemoryDirectoryServer server() {
        return server;
    }

    /** The DN of {@code CN=<cn>} under the parent, escaped where the name needs it ({@code ,+\"<>;}). */
    public static String dn(String cn, String parentDn) {
        try {
            return new DN(new RDN("CN", cn), new DN(parentDn)).toMinimallyEncodedString();
        } catch (LDAPException e) {
            throw new IllegalArgumentException("not a DN: " + parentDn, e);
        }
    }

    private static Entry user(String dn, String mail, String displayName, int userAccountControl,
                              String accountName) {
        Entry entry = new Entry(dn,
                attribute("objectClass", USER_CLASSES),
                attribute("objectCategory", "person"),
                attribute("distinguishedName", dn),
                attribute("sAMAccountName", accountName),
                attribute("userPrincipalName", accountName + "@" + DOMAIN),
                attribute("userAccountControl", Integer.toString(userAccountControl)),
                new Attribute("objectGUID", randomGuid()));
        if (displayName != null) {
            entry.setAttribute("displayName", displayName);
        }
        if (mail != null) {
            entry.setAttribute("mail", mail);
        }
        return entry;
    }

    private boolean exists(String dn) {
        try {
            return server.getEntry(dn) != null;
        } catch (LDAPException e) {
            throw new IllegalArgumentException("not a DN: " + dn, e);
        }
    }

    private void addContainer(String dn) {
        String type = dn.substring(0, dn.indexOf('=')).toUpperCase(Locale.ROOT);
        add(new Entry(dn,
                attribute("objectClass", "top", type.equals("OU") ? "organizationalUnit" : "container"),
                attribute("distinguishedName", dn)));
    }

    /** The mail's local part (so a login by address finds the account), else the CN; AD allows 20 characters. */
    private static String accountName(String cn, String mail) {
        String name = mail != null && mail.indexOf('@') > 0 ? mail.substring(0, mail.indexOf('@'))
                : cn.replaceAll("[^A-Za-z0-9.-]", "");
        name = name.toLowerCase(Locale.ROOT);
        return name.length() > 20 ? name.substring(0, 20) : name;
    }

    private static byte[] randomGuid() {
        UUID uuid = UUID.randomUUID();
        return ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits()).array();
    }

    private static Attribute attribute(String name, String... values) {
        return new Attribute(name, Arrays.asList(values));
    }
}
