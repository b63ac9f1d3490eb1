package org.ldapmailcow.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.apache.camel.health.HealthCheck;
import org.junit.jupiter.api.Test;
import org.ldapmailcow.it.TestClock;
import org.ldapmailcow.model.CycleRun;

/** The rule behind /observe/health: the last cycle, and how long ago one succeeded. */
class CycleHealthTest {

    private final TestClock clock = new TestClock();
    private final CycleHealth health = new CycleHealth(Duration.ofMinutes(5), clock);
    private long number;

    private CycleRun cycle(boolean ok) {
        CycleRun run = new CycleRun(++number, true, false);
        if (!ok) {
            run.fail("directory unreachable: \"dc1\"\nrefused");
        }
        run.finish();
        return run;
    }

    private HealthCheck.State state() {
        return health.call().getState();
    }

    @Test
    void upUntilThreeIntervalsPassWithoutASuccessfulCycle() {
        assertThat(state()).isEqualTo(HealthCheck.State.UP);
        clock.advance(Duration.ofMinutes(15));
        assertThat(state()).as("exactly three intervals").isEqualTo(HealthCheck.State.UP);
        clock.advance(Duration.ofSeconds(1));
        assertThat(state()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(health.call().getMessage()).get().asString().contains("since the start");

        health.accept(cycle(true));
        assertThat(state()).isEqualTo(HealthCheck.State.UP);
        clock.advance(Duration.ofMinutes(16));
        assertThat(state()).as("stuck: no cycle finished since").isEqualTo(HealthCheck.State.DOWN);
    }

    @Test
    void downAfterAFailedCycleAndUpAfterTheNextGoodOne() {
        health.accept(cycle(true));
        clock.advance(Duration.ofMinutes(5));
        health.accept(cycle(false));
        HealthCheck.Result down = health.call();
        assertThat(down.getState()).isEqualTo(HealthCheck.State.DOWN);
        // Camel copies the message into its JSON answer as it is
        assertThat(down.getMessage()).get().asString().contains("last cycle (2) failed").contains("directory unreachable")
                .doesNotContain("\"").doesNotContain("\n");

        clock.advance(Duration.ofMinutes(5));
        health.accept(cycle(true));
        assertThat(state()).isEqualTo(HealthCheck.State.UP);
        assertThat(health.isReadiness()).isTrue();
        assertThat(health.isLiveness()).as("a restart does not mend a failing directory").isFalse();
    }

    /** The cycle's error is shown as it is (no secret is in it to mask), only made safe for Camel's JSON. */
    @Test
    void messageCarriesTheCycleErrorWhole() {
        CycleRun run = new CycleRun(1, true, false);
        run.fail("LDAP connection failed: bind as 'CN=x' refused (wrong bind DN or password?): \"49\"\nend");
        run.finish();
        health.accept(run);
        assertThat(health.call().getMessage()).get().asString()
                .contains("bind as 'CN=x' refused (wrong bind DN or password?): '49' end");
    }

    @Test
    void aStandbyIsUpWhileItWaitsAndHasThreeIntervalsAfterTakingTheLead() {
        health.standby(true);
        clock.advance(Duration.ofHours(2));
        assertThat(state()).as("another instance cycles").isEqualTo(HealthCheck.State.UP);
        assertThat(health.call().getMessage()).get().asString().startsWith("standby");

        health.standby(false);
        clock.advance(Duration.ofMinutes(15));
        assertThat(state()).as("three intervals from taking the lead").isEqualTo(HealthCheck.State.UP);
        clock.advance(Duration.ofSeconds(1));
        assertThat(state()).isEqualTo(HealthCheck.State.DOWN);
        health.accept(cycle(true));
        assertThat(state()).isEqualTo(HealthCheck.State.UP);
    }
}
