package org.ldapmailcow.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import javax.naming.directory.Attributes;
import javax.naming.directory.BasicAttribute;
import javax.naming.directory.BasicAttributes;

import org.junit.jupiter.api.Test;
import org.ldapmailcow.config.Settings;

/** Each directory type's decisions on plain attributes: disabled accounts, the anchor, aliases, the defaults. */
class DirectoryTypeTest {

    private static Attributes entry(Object... pairs) {
        Attributes attributes = new BasicAttributes(true);
        for (int i = 0; i < pairs.length; i += 2) {
            BasicAttribute attribute = new BasicAttribute((String) pairs[i]);
            if (pairs[i + 1] instanceof List<?> values) {
                values.forEach(attribute::add);
            } else {
                attribute.add(pairs[i + 1]);
            }
            attributes.put(attribute);
        }
        return attributes;
    }

    @Test
    void eachTypeReadsADisabledAccountFromItsOwnAttribute() throws Exception {
        assertThat(DirectoryType.AD.disabled(entry("userAccountControl", "514"))).isTrue();
        assertThat(DirectoryType.AD.disabled(entry("userAccountControl", "512"))).isFalse();
        assertThat(DirectoryType.AD.disabled(entry("pwdAccountLockedTime", "000001010000Z"))).isFalse();

        assertThat(DirectoryType.OPENLDAP.disabled(entry("pwdAccountLockedTime", "000001010000Z"))).isTrue();
        assertThat(DirectoryType.OPENLDAP.disabled(entry("pwdAccountLockedTime", "20261203050000Z"))).isTrue();
        assertThat(DirectoryType.OPENLDAP.disabled(entry("mail", "a@example.local"))).isFalse();
        assertThat(DirectoryType.OPENLDAP.disabled(entry("userAccountControl", "514"))).isFalse();

        assertThat(DirectoryType.DS389.disabled(entry("nsAccountLock", "TRUE"))).isTrue();
        assertThat(DirectoryType.DS389.disabled(entry("nsAccountLock", "true"))).isTrue();
        assertThat(DirectoryType.DS389.disabled(entry("nsAccountLock", "FALSE"))).isFalse();
        assertThat(DirectoryType.DS389.disabled(entry("mail", "a@example.local"))).isFalse();
    }

    @Test
    void anUnreadableAccountStateMakesTheEntryBadNotEnabled() {
        assertThatThrownBy(() -> DirectoryType.AD.disabled(entry("userAccountControl", "x")))
                .isInstanceOf(BadEntryException.class).hasMessageContaining("userAccountControl");
        assertThatThrownBy(() -> DirectoryType.DS389.disabled(entry("nsAccountLock", "maybe")))
                .isInstanceOf(BadEntryException.class).hasMessageContaining("nsAccountLock");
    }

    @Test
    void eachTypeTakesItsOwnImmutableAnchor() throws Exception {
        byte[] guid = {(byte) 0xe0, 0x04, 0x25, 0x3f, (byte) 0x89, 0x4f, (byte) 0xd3, 0x11,
                (byte) 0x9a, 0x0c, 0x03, 0x05, (byte) 0xe8, 0x2c, 0x33, 0x01};
        assertThat(DirectoryType.AD.anchor(entry("objectGUID", guid))).isEqualTo("3f2504e0-4f89-11d3-9a0c-0305e82c3301");
        assertThat(DirectoryType.AD.anchor(entry("entryUUID", "0d6b4c5e-6f0a-103f-8c5e-b7f1d3a4c2e1"))).isNull();

        assertThat(DirectoryType.OPENLDAP.anchor(entry("entryUUID", "0D6B4C5E-6F0A-103F-8C5E-B7F1D3A4C2E1")))
                .isEqualTo("0d6b4c5e-6f0a-103f-8c5e-b7f1d3a4c2e1");
        assertThat(DirectoryType.OPENLDAP.anchor(entry("objectGUID", guid))).isNull();

        assertThat(DirectoryType.DS389.anchor(entry("nsUniqueId", "66446001-1DD211B2-8000A0C1-7A6B0000")))
                .isEqualTo("66446001-1dd211b2-8000a0c1-7a6b0000");
        // FreeIPA: ipaUniqueID is preferred where both are there
        assertThat(DirectoryType.DS389.anchor(entry("nsUniqueId", "66446001-1dd211b2-8000a0c1-7a6b0000",
                "ipaUniqueID", "6f1d2b3c-4a5b-11ee-8c99-0242ac120002"))).isEqualTo("6f1d2b3c-4a5b-11ee-8c99-0242ac120002");
    }

    @Test
    void aliasAttributesOutsideAdHoldBareAddressesAndProxyAddressesOnlyItsSmtpValues() throws Exception {
        Attributes attributes = entry("mailAlternateAddress", List.of("Alias.One@Example.local", "alias2@example.local"),
                "mailLocalAddress", "local@example.local",
                "proxyAddresses", List.of("SMTP:primary@example.local", "sip:x@example.local", "X500:/o=x"));

        assertThat(ProxyAddresses.smtpAddresses(DirectoryType.aliasValues(attributes,
                DirectoryType.OPENLDAP.aliasAttributes())))
                .containsExactly("alias.one@example.local", "alias2@example.local", "local@example.local");
        assertThat(ProxyAddresses.smtpAddresses(DirectoryType.aliasValues(attributes,
                DirectoryType.DS389.aliasAttributes())))
                .containsExactly("alias.one@example.local", "alias2@example.local");
        assertThat(ProxyAddresses.smtpAddresses(DirectoryType.aliasValues(attributes,
                DirectoryType.AD.aliasAttributes())))
                .containsExactly("primary@example.local");
    }

    @Test
    void aUniqueMemberKeepsItsDnWithoutTheOptionalUid() {
        assertThat(DirectoryType.memberDn("cn=a,ou=people,dc=example,dc=local#'0101'B"))
                .isEqualTo("cn=a,ou=people,dc=example,dc=local");
        assertThat(DirectoryType.memberDn("cn=a\\#b,dc=example,dc=local")).isEqualTo("cn=a\\#b,dc=example,dc=local");
    }

    @Test
    void oneSettingPicksCoherentDefaultsAndEachStaysOverridable() {
        Map<String, String> base = Map.of(
                "LDAP_MAILCOW_LDAP_URI", "ldap://127.0.0.1:1389", "LDAP_MAILCOW_LDAP_GC_URI", "ldap://127.0.0.1:1389",
                "LDAP_MAILCOW_LDAP_DOMAIN", "example.local", "LDAP_MAILCOW_LDAP_BASE_DN", "dc=example,dc=local",
                "LDAP_MAILCOW_LDAP_BIND_DN", "cn=sync,dc=example,dc=local", "LDAP_MAILCOW_LDAP_BIND_DN_PASSWORD", "x",
                "LDAP_MAILCOW_API_HOST", "https://mail.example.local", "LDAP_MAILCOW_API_KEY", "k",
                "LDAP_MAILCOW_API_QUOTA", "1024", "LDAP_MAILCOW_SYNC_INTERVAL", "300");
        Settings ad = Settings.from(base);
        assertThat(ad.directory).isEqualTo(DirectoryType.AD);
        assertThat(ad.userFilter).isEqualTo("(&(objectClass=user)(objectCategory=person))");
        assertThat(ad.toProperties().getProperty("lmc.user-attributes"))
                .isEqualTo("mail,displayName,userAccountControl,proxyAddresses,objectGUID");
        assertThat(ad.toProperties().getProperty("lmc.group-attributes")).isEqualTo("mail,proxyAddresses,member");

        Settings openldap = ad.with(Map.of("LDAP_MAILCOW_DIRECTORY", "openldap"));
        assertThat(openldap.userFilter).isEqualTo("(objectClass=inetOrgPerson)");
        assertThat(openldap.sogoFilter).isEqualTo("objectClass='inetOrgPerson'");
        assertThat(openldap.groupFilter).contains("groupOfNames").contains("groupOfUniqueNames");
        assertThat(openldap.groupMemberFilter).doesNotContain("distinguishedName");
        assertThat(openldap.aliasAttributes).containsExactly("mailAlternateAddress", "mailLocalAddress");
        assertThat(openldap.toProperties().getProperty("lmc.user-attributes"))
                .isEqualTo("mail,displayName,pwdAccountLockedTime,mailAlternateAddress,mailLocalAddress,entryUUID");
        assertThat(openldap.toProperties().getProperty("lmc.group-attributes"))
                .isEqualTo("mail,mailAlternateAddress,mailLocalAddress,member,uniqueMember");

        Settings ds = ad.with(Map.of("LDAP_MAILCOW_DIRECTORY", "389DS", "LDAP_MAILCOW_ALIAS_ATTRIBUTES", "mailLocalAddress",
                "LDAP_MAILCOW_LDAP_FILTER", "(&(objectClass=person)(memberOf=cn=mail,dc=example,dc=local))",
                "LDAP_MAILCOW_SOGO_LDAP_FILTER", "objectClass='person'"));
        assertThat(ds.directory).isEqualTo(DirectoryType.DS389);
        assertThat(ds.aliasAttributes).containsExactly("mailLocalAddress");
        assertThat(ds.userFilter).isEqualTo("(&(objectClass=person)(memberOf=cn=mail,dc=example,dc=local))");
        assertThat(ds.toProperties().getProperty("lmc.user-attributes")).contains("nsAccountLock")
                .contains("ipaUniqueID").contains("nsUniqueId").doesNotContain("objectGUID");

        assertThatThrownBy(() -> ad.with(Map.of("LDAP_MAILCOW_ALIAS_ATTRIBUTES", "mailLocalAddress, mail&x")))
                .hasMessageContaining("LDAP_MAILCOW_ALIAS_ATTRIBUTES must list LDAP attribute names, got 'mail&x'");
        assertThatThrownBy(() -> ad.with(Map.of("LDAP_MAILCOW_DIRECTORY", "novell")))
                .hasMessageContaining("LDAP_MAILCOW_DIRECTORY must be one of ad, openldap, 389ds, got 'novell'");
        // outside AD a member filter is checked on each member's own entry: no {MEMBER_CN} needed
        assertThat(openldap.with(Map.of("LDAP_MAILCOW_LDAP_GROUP_MEMBER_FILTER", "(&(objectClass=person)(mail=*))"))
                .groupMemberFilter).isEqualTo("(&(objectClass=person)(mail=*))");
        assertThatThrownBy(() -> ad.with(Map.of("LDAP_MAILCOW_LDAP_GROUP_MEMBER_FILTER", "(mail=*)")))
                .hasMessageContaining("{MEMBER_CN}");
    }
}
