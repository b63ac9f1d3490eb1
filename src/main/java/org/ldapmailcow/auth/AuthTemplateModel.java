package org.ldapmailcow.auth;

import org.ldapmailcow.config.Settings;

/**
 * The values the auth templates may use, as the message body they are rendered from: a template writes
 * {@code ${esc.xml(body.bindDn)}}. The values are raw; each template escapes them for its format. A value that
 * a template names but this class does not have fails the rendering.
 */
public final class AuthTemplateModel {

    private final String ldapUri;
    private final String ldapGcUri;
    private final String ldapDomain;
    private final String baseDn;
    private final String bindDn;
    private final String bindPassword;
    private final String userFilter;
    private final String sogoFilter;
    private final String loginAttribute;
    private final String sourceName;

    private AuthTemplateModel(Settings settings) {
        ldapUri = settings.ldapUri;
        ldapGcUri = settings.ldapGcUri;
        ldapDomain = settings.ldapDomain;
        baseDn = settings.baseDn;
        bindDn = settings.bindDn;
        bindPassword = settings.bindPassword();
        userFilter = settings.userFilter;
        sogoFilter = settings.sogoFilter;
        loginAttribute = settings.directory.loginAttribute();
        sourceName = settings.directory.sourceName();
    }

    public static AuthTemplateModel of(Settings settings) {
        return new AuthTemplateModel(settings);
    }

    /** {@code LDAP_MAILCOW_LDAP_URI}, SOGo's {@code hostname}. */
    public String getLdapUri() {
        return ldapUri;
    }

    /** {@code LDAP_MAILCOW_LDAP_GC_URI}, Dovecot's {@code uris}. */
    public String getLdapGcUri() {
        return ldapGcUri;
    }

    /** {@code LDAP_MAILCOW_LDAP_DOMAIN}. */
    public String getLdapDomain() {
        return ldapDomain;
    }

    /** {@code LDAP_MAILCOW_LDAP_BASE_DN}. */
    public String getBaseDn() {
        return baseDn;
    }

    /** {@code LDAP_MAILCOW_LDAP_BIND_DN}. */
    public String getBindDn() {
        return bindDn;
    }

    /** {@code LDAP_MAILCOW_LDAP_BIND_DN_PASSWORD} (or the content of its {@code _FILE}). */
    public String getBindPassword() {
        return bindPassword;
    }

    /** {@code LDAP_MAILCOW_LDAP_FILTER}: the LDAP filter selecting the synced users. */
    public String getUserFilter() {
        return userFilter;
    }

    /** {@code LDAP_MAILCOW_SOGO_LDAP_FILTER}: the same selection in SOGo's qualifier syntax. */
    public String getSogoFilter() {
        return sogoFilter;
    }

    /**
     * The account name users log in with besides their mail address: {@code sAMAccountName} on Active Directory,
     * {@code uid} elsewhere ({@code LDAP_MAILCOW_DIRECTORY}).
     */
    public String getLoginAttribute() {
        return loginAttribute;
    }

    /** The name SOGo shows for the LDAP user source: "Active Directory" only on AD. */
    public String getSourceName() {
        return sourceName;
    }

    /** Hides the secret in a message or log line that happens to contain it. */
    String redact(String text) {
        if (text == null || bindPassword.isEmpty()) {
            return text;
        }
        return text.replace(bindPassword, "****");
    }

    @Override
    public String toString() {
        return "AuthTemplateModel[ldapUri=" + ldapUri + ", ldapGcUri=" + ldapGcUri + ", baseDn=" + baseDn
                + ", bindDn=" + bindDn + ", bindPassword=****]";
    }
}
