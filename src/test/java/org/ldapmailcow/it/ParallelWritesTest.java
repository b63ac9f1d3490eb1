package org.ldapmailcow.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ldapmailcow.demo.DemoDirectory.NORMAL_ACCOUNT;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.ldapmailcow.Launcher;
import org.ldapmailcow.config.Settings;
import org.ldapmailcow.demo.MailboxView;
import org.ldapmailcow.model.CycleRun;

/**
 * Issue 12: parallel writes must not read each other's answers. mailcow hands out a session cookie even to API-key
 * requests and keeps each request's messages in the session; a client that sends the cookie back gets the
 * messages of other requests running at the same time (mailcow-api.md, "Concurrency and cost").
 */
class ParallelWritesTest extends EmbeddedSyncTest {

    @Test
    void oneRefusedCreationFailsAloneAndTheOthersAreCreatedWithTheirAcl() throws Exception {
        for (int i = 0; i < 11; i++) {
            h.directory.addUser("User " + i, "user" + i + "@example.local", "User " + i, NORMAL_ACCOUNT);
        }
        String tooLong = "L".repeat(256);   // mailbox.name is a VARCHAR(255)
        h.directory.addUser("Long", "long@example.local", tooLong, NORMAL_ACCOUNT);
        h.mailcow.setWriteLatency(Duration.ofMillis(40));   // four writes at a time overlap

        CycleRun run = h.cycle();

        assertThat(Launcher.exitCode(run)).isEqualTo(Launcher.CYCLE_FAILED);
        assertThat(run.failures()).singleElement().satisfies(f -> assertThat(f)
                .startsWith("mailbox create long@example.local").contains("mysql_error").contains("Data too long for column 'name'"));
        assertThat(h.mailcow.mailboxes()).hasSize(11).doesNotContainKey("long@example.local");
        assertThat(h.mailcow.mailboxes().values()).extracting(MailboxView::userAcl)
                .allSatisfy(acl -> assertThat(acl).containsExactlyInAnyOrderElementsOf(Settings.DEFAULT_USER_ACL));
        assertThat(run.appliedCounts()).containsEntry("mailbox create", 11);
        assertThat(h.rows("SELECT count(*) AS n FROM users").get(0).get("n")).isEqualTo(11);
        assertThat(h.mailcow.requests()).as("mailcow's session cookie is never sent back")
                .allSatisfy(r -> assertThat(r.header("Cookie")).isNull());
    }
}
