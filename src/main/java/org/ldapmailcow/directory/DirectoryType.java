package org.ldapmailcow.directory;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import javax.naming.directory.Attributes;

import org.ldapmailcow.model.EmailAddress;

/**
 * Everything that differs between the directory servers we read ({@code LDAP_MAILCOW_DIRECTORY}): the default
 * filters, the attribute names, how a disabled account shows, the immutable anchor, the login attribute of the
 * auth templates. Each setting derived from it can still be overridden; the rest of the code asks the type.
 */
public enum DirectoryType {

    /** Active Directory (and Samba AD): today's behaviour. */
    AD("ad", "Active Directory",
            "(&(objectClass=user)(objectCategory=person))",
            "objectClass='user' AND objectCategory='person'",
            "(&(objectClass=group)(mail=*))",
            "(&(objectClass=person)(mail=*)(distinguishedName={MEMBER_CN}))",
            "(objectClass=group)",
            "sAMAccountName", List.of("member"), List.of("proxyAddresses"),
            List.of("userAccountControl"), List.of("objectGUID")),

    /** OpenLDAP: inetOrgPerson users, groupOfNames / groupOfUniqueNames groups, the ppolicy overlay's lock. */
    OPENLDAP("openldap", "OpenLDAP",
            "(objectClass=inetOrgPerson)",
            "objectClass='inetOrgPerson'",
            "(&(|(objectClass=groupOfNames)(objectClass=groupOfUniqueNames))(mail=*))",
            "(&(objectClass=inetOrgPerson)(mail=*))",
            "(|(objectClass=groupOfNames)(objectClass=groupOfUniqueNames))",
            "uid", List.of("member", "uniqueMember"), List.of("mailAlternateAddress", "mailLocalAddress"),
            List.of("pwdAccountLockedTime"), List.of("entryUUID")),

    /** 389 Directory Server and FreeIPA (which is built on it): nsAccountLock, nsUniqueId / ipaUniqueID. */
    DS389("389ds", "LDAP",
            "(objectClass=inetOrgPerson)",
            "objectClass='inetOrgPerson'",
            "(&(|(objectClass=groupOfNames)(objectClass=groupOfUniqueNames))(mail=*))",
            "(&(objectClass=inetOrgPerson)(mail=*))",
            "(|(objectClass=groupOfNames)(objectClass=groupOfUniqueNames))",
            "uid", List.of("member", "uniqueMember"), List.of("mailAlternateAddress"),
            List.of("nsAccountLock"), List.of("ipaUniqueID", "nsUniqueId"));

    /** How the server tells that (and what) changed since a read: see {@link DeltaDecision}. */
    public enum ChangeTracking {
        /** AD: rootDSE highestCommittedUSN, entries' uSNChanged, deleted objects by the show-deleted control. */
        USN("highestCommittedUSN", "Active Directory"),
        /** OpenLDAP: the database's contextCSN (kept by the syncprov overlay). */
        CONTEXT_CSN("contextCSN of the naming context; load the syncprov overlay", "OpenLDAP"),
        /** 389 DS: rootDSE lastusn (the USN plugin) or lastchangenumber (the retro changelog). */
        LAST_USN("lastusn or lastchangenumber in the rootDSE; enable the USN plugin or the retro changelog", "389 DS");

        private final String counterName;
        private final String serverName;

        ChangeTracking(String counterName, String serverName) {
            this.counterName = counterName;
            this.serverName = serverName;
        }

        public String counterName() {
            return counterName;
        }

        public String serverName() {
            return serverName;
        }
    }

    /** Stands for the member's DN in a member filter; a filter without it is evaluated on each member's entry. */
    public static final String MEMBER_PLACEHOLDER = "{MEMBER_CN}";

    private final String id;
    private final String sourceName;
    private final String userFilter;
    private final String sogoFilter;
    private final String groupFilter;
    private final String memberFilter;
    private final String groupClassFilter;
    private final String loginAttribute;
    private final List<String> memberAttributes;
    private final List<String> aliasAttributes;
    private final List<String> accountStateAttributes;
    private final List<String> anchorAttributes;

    DirectoryType(String id, String sourceName, String userFilter, String sogoFilter, String groupFilter,
                  String memberFilter, String groupClassFilter, String loginAttribute, List<String> memberAttributes,
                  List<String> aliasAttributes, List<String> accountStateAttributes, List<String> anchorAttributes) {
        this.id = id;
        this.sourceName = sourceName;
        this.userFilter = userFilter;
        this.sogoFilter = sogoFilter;
        this.groupFilter = groupFilter;
        this.memberFilter = memberFilter;
        this.groupClassFilter = groupClassFilter;
        this.loginAttribute = loginAttribute;
        this.memberAttributes = memberAttributes;
        this.aliasAttributes = aliasAttributes;
        this.accountStateAttributes = accountStateAttributes;
        this.anchorAttributes = anchorAttributes;
    }

    /** The type for the value of {@code LDAP_MAILCOW_DIRECTORY}, or null for an unknown one. */
    public static DirectoryType parse(String value) {
        for (DirectoryType type : values()) {
            if (type.id.equalsIgnoreCase(value.strip())) {
                return type;
            }
        }
        return null;
    }

    /** The value of {@code LDAP_MAILCOW_DIRECTORY} that selects this type. */
    public String id() {
        return id;
    }

    /** What SOGo shows as the name of the user source. */
    public String sourceName() {
        return sourceName;
    }

    public String userFilter() {
        return userFilter;
    }

    public String sogoFilter() {
        return sogoFilter;
    }

    public String groupFilter() {
        return groupFilter;
    }

    public String memberFilter() {
        return memberFilter;
    }

    /** Which entries are groups when a member DN is looked up. */
    public String groupClassFilter() {
        return groupClassFilter;
    }

    /** The account name users log in with besides their mail address (Dovecot and SOGo templates). */
    public String loginAttribute() {
        return loginAttribute;
    }

    public List<String> aliasAttributes() {
        return aliasAttributes;
    }

    /** The attributes holding a group's member DNs. */
    public List<String> memberAttributes() {
        return memberAttributes;
    }

    public ChangeTracking changeTracking() {
        return switch (this) {
            case AD -> ChangeTracking.USN;
            case OPENLDAP -> ChangeTracking.CONTEXT_CSN;
            case DS389 -> ChangeTracking.LAST_USN;
        };
    }

    /** Whether the server hands out large member lists in {@code member;range=} steps: AD only. */
    public boolean hasRangedMembers() {
        return this == AD;
    }

    /**
     * Whether an entry can be found by a filter on an attribute holding its DN ({@code distinguishedName}), so that
     * member DNs are looked up in batches: AD only. Elsewhere each member DN's entry is read.
     */
    public boolean findsEntriesByDn() {
        return this == AD;
    }

    /** Whether the anchor is binary ({@code objectGUID}) and must be declared so to JNDI. */
    public boolean hasBinaryAnchor() {
        return this == AD;
    }

    /** Whether a member filter must name the member's DN: only AD can search by it. */
    public boolean memberFilterNeedsPlaceholder() {
        return this == AD;
    }

    /** The attributes that say whether an account is disabled. */
    public List<String> accountStateAttributes() {
        return accountStateAttributes;
    }

    /** The attributes the user search returns. */
    public List<String> userAttributes(List<String> aliases) {
        Set<String> attributes = new LinkedHashSet<>(List.of("mail", "displayName"));
        attributes.addAll(accountStateAttributes);
        attributes.addAll(aliases);
        attributes.addAll(anchorAttributes);
        return new ArrayList<>(attributes);
    }

    /** The attributes the user search returns, with this directory's default alias attributes. */
    public List<String> userAttributes() {
        return userAttributes(aliasAttributes());
    }

    /** The attributes the group search returns. */
    public List<String> groupAttributes(List<String> aliases) {
        Set<String> attributes = new LinkedHashSet<>(List.of("mail"));
        attributes.addAll(aliases);
        attributes.addAll(memberAttributes);
        return new ArrayList<>(attributes);
    }

    /** The attributes the group search returns, with this directory's default alias attributes. */
    public List<String> groupAttributes() {
        return groupAttributes(aliasAttributes());
    }

    /** The attributes the look-up of group members returns: their address and their account state. */
    public List<String> memberLookupAttributes() {
        Set<String> attributes = new LinkedHashSet<>(List.of("mail"));
        attributes.addAll(accountStateAttributes);
        return new ArrayList<>(attributes);
    }

    /**
     * Whether the entry's account is disabled. AD: bit 2 (ACCOUNTDISABLE) of {@code userAccountControl}; OpenLDAP:
     * any {@code pwdAccountLockedTime} (ppolicy's lock, by an admin or after failed logins); 389 DS / FreeIPA:
     * {@code nsAccountLock} TRUE. No value means enabled; a value that cannot be read makes the entry bad.
     */
    public boolean disabled(Attributes attributes) throws BadEntryException {
        return switch (this) {
            case AD -> {
                String accountControl = EntryAttributes.first(attributes, "userAccountControl");
                if (accountControl != null && !accountControl.strip().matches("-?\\d+")) {
                    throw new BadEntryException("userAccountControl is not a number: '" + accountControl + "'");
                }
                yield DirectoryUser.disabled(accountControl);
            }
            case OPENLDAP -> EntryAttributes.first(attributes, "pwdAccountLockedTime") != null;
            case DS389 -> {
                String lock = EntryAttributes.first(attributes, "nsAccountLock");
                if (lock != null && !lock.strip().equalsIgnoreCase("true") && !lock.strip().equalsIgnoreCase("false")) {
                    throw new BadEntryException("nsAccountLock is neither TRUE nor FALSE: '" + lock + "'");
                }
                yield lock != null && lock.strip().equalsIgnoreCase("true");
            }
        };
    }

    /**
     * The immutable anchor that identifies the entry across renames and moves, as text: AD's binary
     * {@code objectGUID} as a GUID string; elsewhere the first anchor attribute present, lower-cased.
     */
    public String anchor(Attributes attributes) throws BadEntryException {
        for (String attribute : anchorAttributes) {
            Object value = EntryAttributes.firstValue(attributes, attribute);
            if (value == null) {
                continue;
            }
            if (hasBinaryAnchor()) {
                return value instanceof byte[] bytes ? ObjectGuid.format(bytes) : ObjectGuid.parse(value.toString());
            }
            String text = EntryAttributes.text(value).strip();
            return text.isEmpty() ? null : text.toLowerCase(Locale.ROOT);
        }
        return null;
    }

    /**
     * The alias addresses of an entry as SMTP-type values ({@code smtp:address}), the form the planners read.
     * {@code proxyAddresses} keeps its own prefixes (only SMTP types count); any other alias attribute holds bare
     * addresses.
     */
    public static List<String> aliasValues(Attributes attributes, List<String> aliasAttributes)
            throws BadEntryException {
        List<String> values = new ArrayList<>();
        for (String attribute : aliasAttributes) {
            List<String> raw = EntryAttributes.all(attributes, attribute);
            if (attribute.equalsIgnoreCase("proxyAddresses")) {
                values.addAll(ProxyAddresses.smtpValues(raw));
            } else {
                for (String address : raw) {
                    String normalised = EmailAddress.normalise(address);
                    if (normalised != null && !normalised.isBlank()) {
                        values.add("smtp:" + normalised);
                    }
                }
            }
        }
        return values;
    }

    /**
     * A member DN as the member attribute holds it: {@code uniqueMember} may carry an optional
     * {@code #'0101'B} unique identifier after the DN.
     */
    static String memberDn(String value) {
        int hash = value.lastIndexOf("#'");
        return hash > 0 && value.endsWith("'B") ? value.substring(0, hash) : value;
    }
}
