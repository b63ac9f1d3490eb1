package org.ldapmailcow.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.ldapmailcow.config.Settings;

/** docker stop while a cycle runs: the cycle sends nothing more, says why, and the next start reconciles in full. */
class CyclesStopTest {

    private final Cycles cycles = new Cycles(Settings.from(Map.ofEntries(
            Map.entry("LDAP_MAILCOW_LDAP_URI", "ldap://dc.example.local"),
            Map.entry("LDAP_MAILCOW_LDAP_GC_URI", "ldap://dc.example.local:3268"),
            Map.entry("LDAP_MAILCOW_LDAP_DOMAIN", "example.local"),
            Map.entry("LDAP_MAILCOW_LDAP_BASE_DN", "OU=Mail Users,DC=example,DC=local"),
            Map.entry("LDAP_MAILCOW_LDAP_BIND_DN", "CN=Bind DN,CN=Users,DC=example,DC=local"),
            Map.entry("LDAP_MAILCOW_LDAP_BIND_DN_PASSWORD", "s3cret-bind"),
            Map.entry("LDAP_MAILCOW_API_HOST", "https://mailcow.example.local/"),
            Map.entry("LDAP_MAILCOW_API_KEY", "s3cret-key"),
            Map.entry("LDAP_MAILCOW_API_QUOTA", "3072"),
            Map.entry("LDAP_MAILCOW_SYNC_INTERVAL", "300"))));

    @Test
    void aCycleUnderWayStopsSendingAndEndsAsStopped() {
        CycleRun run = cycles.begin();
        assertThat(cycles.aborted()).isFalse();

        cycles.stop();

        assertThat(cycles.aborted()).as("the apply routes skip every further change").isTrue();
        CycleRun finished = cycles.finish();
        assertThat(finished).isSameAs(run);
        assertThat(finished.stopped()).isTrue();
        assertThat(finished.succeeded()).isFalse();
        assertThat(Cycles.summary(finished)).startsWith("Cycle 1 stopped in")
                .contains("the service is stopping: nothing deactivated");
    }

    @Test
    void aCycleThatBeginsWhileStoppingIsStoppedFromTheStart() {
        cycles.stop();
        assertThat(cycles.begin().stopped()).isTrue();
        assertThat(cycles.aborted()).isTrue();
    }

    @Test
    void aFinishedCycleStaysAsItEnded() {
        cycles.begin();
        CycleRun run = cycles.finish();

        cycles.stop();

        assertThat(run.stopped()).isFalse();
        assertThat(run.succeeded()).isTrue();
    }
}
