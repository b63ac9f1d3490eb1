package org.ldapmailcow.auth;

import org.ldapmailcow.openldaptest.OpenLdapTest;

/** Logins through the rendered Dovecot and SOGo files on the OpenLDAP test server. */
@OpenLdapTest
class DovecotLoginOpenLdapTest extends DirectoryLoginContract {

    @Override
    String directoryType() {
        return "openldap";
    }

    @Override
    String sourceName() {
        return "OpenLDAP";
    }
}
