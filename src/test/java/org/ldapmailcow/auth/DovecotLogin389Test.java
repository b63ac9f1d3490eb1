package org.ldapmailcow.auth;

import org.ldapmailcow.openldaptest.Ds389Test;

/** Logins through the rendered Dovecot and SOGo files on the 389 Directory Server test instance. */
@Ds389Test
class DovecotLogin389Test extends DirectoryLoginContract {

    @Override
    String directoryType() {
        return "389ds";
    }

    @Override
    String sourceName() {
        return "LDAP";
    }
}
