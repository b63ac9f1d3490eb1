package org.ldapmailcow.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ldapmailcow.demo.DemoDirectory.NORMAL_ACCOUNT;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ldapmailcow.Launcher;
import org.ldapmailcow.auth.AuthSourceCheck;

/** Issue 4: mailcow auth mode hands password checks to mailcow; default mode renders the config files. */
class AuthModeTest extends EmbeddedSyncTest {

    @BeforeEach
    void seed() throws Exception {
        h.directory.addUser("Ann", "ann@example.local", "Ann", NORMAL_ACCOUNT);
        h.directory.addUser("Ben", "ben@example.local", "Ben", NORMAL_ACCOUNT);
    }

    private AuthSourceCheck check() {
        return h.service().context().getRegistry().lookupByNameAndType("authSourceCheck", AuthSourceCheck.class);
    }

    @Test
    void mailcowModeCreatesLdapMailboxesAndRendersNothing() throws Exception {
        h.mailcow.setLdapIdentityProvider(true);
        h.set("AUTH_MODE", "mailcow");
        assertThat(Launcher.exitCode(h.cycle())).isZero();
        assertThat(h.mailcow.mailboxes().values()).allSatisfy(m -> assertThat(m.authsource()).isEqualTo("ldap"));
        assertThat(check().ldapAccepted()).isTrue();
        assertThat(h.mailcow.countByEndpoint()).containsEntry("GET get/mailbox/{item}", 1L);
        assertThat(Files.exists(work.resolve("conf"))).isFalse();
    }

    @Test
    void mailcowFallingBackToItsOwnAuthSourceIsDetectedOnce() throws Exception {
        h.set("AUTH_MODE", "mailcow");
        h.cycle();
        assertThat(h.mailcow.mailboxes().values()).allSatisfy(m -> assertThat(m.authsource()).isEqualTo("mailcow"));
        assertThat(check().ldapAccepted()).isFalse();
        assertThat(h.mailcow.countByEndpoint()).containsEntry("GET get/mailbox/{item}", 1L);
    }

    @Test
    void templateModeRendersTheThreeFilesAndTheScriptBeforeTheFirstCycle() throws Exception {
        h.set("AUTH_MODE", "templates");
        assertThat(Launcher.exitCode(h.cycle())).isZero();
        Path conf = work.resolve("conf");
        assertThat(conf.resolve("dovecot/ldap/passdb.conf")).content().contains(h.directory.bindDn());
        assertThat(conf.resolve("dovecot/extra.conf")).content().contains("passdb");
        assertThat(conf.resolve("sogo/plist_ldap")).content().contains("<key>bindPassword</key>");
        assertThat(conf.resolve("sogo/plist_ldap.sh")).isExecutable();
        assertThat(h.mailcow.mailboxes().values()).allSatisfy(m -> assertThat(m.authsource()).isEqualTo("mailcow"));
        assertThat(h.mailcow.countByEndpoint()).doesNotContainKey("GET get/mailbox/{item}");
    }
}
