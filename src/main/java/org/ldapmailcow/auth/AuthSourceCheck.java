package org.ldapmailcow.auth;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.ldapmailcow.config.Settings;
import org.ldapmailcow.model.MailboxChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In {@code LDAP_MAILCOW_AUTH_MODE=mailcow}, mailboxes are created with authsource {@code ldap}; mailcow quietly
 * stores its own auth source instead when its LDAP identity provider is not configured. The first mailbox
 * created after start is read back once to catch that, and the admin is told once.
 */
public class AuthSourceCheck {

    private static final Logger LOG = LoggerFactory.getLogger(AuthSourceCheck.class);

    private final boolean mailcowMode;
    private final AtomicBoolean checked = new AtomicBoolean();
    private volatile Boolean ldapAccepted;

    public AuthSourceCheck(Settings settings) {
        this.mailcowMode = settings.authMode == Settings.AuthMode.MAILCOW;
    }

    /** True exactly once, for the first creation in mailcow mode. */
    public boolean due() {
        return mailcowMode && checked.compareAndSet(false, true);
    }

    /** Reads the created mailbox ({@code get/mailbox/{email}}) and reports a fallback. */
    public void check(MailboxChange created, Object mailbox) {
        Object source = mailbox instanceof Map<?, ?> map ? map.get("authsource") : null;
        ldapAccepted = "ldap".equals(source);
        if (ldapAccepted) {
            LOG.info("mailcow accepted authsource ldap for {}: mailcow checks LDAP passwords itself", created.email());
        } else {
            LOG.error("LDAP_MAILCOW_AUTH_MODE=mailcow, but mailcow stored authsource '{}' for {}: its LDAP identity "
                    + "provider is not configured, so these users cannot log in with their directory password. "
                    + "Configure it in mailcow (System > Configuration > Access > Identity Provider: LDAP) or use "
                    + "LDAP_MAILCOW_AUTH_MODE=templates", source, created.email());
        }
    }

    /** Null until checked; then whether mailcow kept authsource ldap. */
    public Boolean ldapAccepted() {
        return ldapAccepted;
    }
}
