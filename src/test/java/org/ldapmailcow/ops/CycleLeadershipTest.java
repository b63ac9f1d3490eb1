package org.ldapmailcow.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

/** How fast a standby notices a dead leader, for a sync interval. */
class CycleLeadershipTest {

    @Test
    void aStandbyCyclesWithinAboutOneIntervalAfterTheLeaderDies() {
        for (int seconds : new int[] {4, 10, 60, 300, 3600}) {
            assertThat(CycleLeadership.takeover(seconds)).as("%d s interval", seconds)
                    .isLessThanOrEqualTo(Duration.ofSeconds(seconds).plusSeconds(2));
        }
        assertThat(CycleLeadership.takeover(300)).as("a long interval: capped heartbeat").isLessThan(Duration.ofSeconds(22));
        assertThat(CycleLeadership.takeover(1)).as("the shortest heartbeat").isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void theHeartbeatIsAnEighthOfTheIntervalBetweenAQuarterSecondAndFiveSeconds() {
        assertThat(CycleLeadership.heartbeat(1)).isEqualTo(Duration.ofMillis(250));
        assertThat(CycleLeadership.heartbeat(4)).isEqualTo(Duration.ofMillis(500));
        assertThat(CycleLeadership.heartbeat(16)).isEqualTo(Duration.ofSeconds(2));
        assertThat(CycleLeadership.heartbeat(300)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void theLockLiesBesideTheStateFileAndIsNamedAfterIt() {
        Path db = Path.of("/db/ldap-mailcow.sqlite3");
        assertThat(CycleLeadership.lockName(db)).isEqualTo("ldap-mailcow.sqlite3.lock");
        assertThat(CycleLeadership.lockFile(db)).isEqualTo(Path.of("/db/ldap-mailcow.sqlite3.lock"));
    }
}
