package org.ldapmailcow.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.ldapmailcow.Launcher;
import org.ldapmailcow.demo.DemoDirectory;
import org.ldapmailcow.demo.RecordedRequest;
import org.ldapmailcow.model.CycleRun;

/** Issue 2: directory users become mailcow mailboxes, through the real routes, over HTTP, with a real state file. */
class MailboxSyncTest extends EmbeddedSyncTest {

    private String userDn(String cn) {
        return DemoDirectory.dn(cn, DemoDirectory.MAIL_USERS_OU);
    }

    @Test
    void firstCycleCreatesMailboxesWithAclAndASecondCycleWritesNothing() throws Exception {
        h.directory.seedSample();
        CycleRun first = h.cycle();

        assertThat(Launcher.exitCode(first)).isZero();
        var boxes = h.mailcow.mailboxes();
        assertThat(boxes.get("alice@example.local").name()).isEqualTo("Alice Anderson");
        assertThat(boxes.get("alice@example.local").active()).isTrue();
        assertThat(boxes.get("alice@example.local").quotaMiB()).isEqualTo(2048);
        assertThat(boxes.get("alice@example.local").userAcl()).containsExactlyInAnyOrder("spam_alias", "tls_policy",
                "spam_score", "spam_policy", "delimiter_action", "quarantine", "quarantine_notification");
        assertThat(boxes.get("eve@example.local").active()).as("disabled account").isFalse();
        assertThat(boxes.get("heidi.mueller@example.local").name()).isEqualTo("Heidi Müller-Hill");
        assertThat(boxes).containsKey("grace.green@example.local").doesNotContainKey("frank@example.local");
        assertThat(h.rows("SELECT email FROM users WHERE email LIKE 'grace%'"))
                .extracting(r -> r.get("email")).containsExactly("grace.green@example.local");
        assertThat(h.rows("SELECT count(*) AS n FROM users").get(0).get("n")).isEqualTo(boxes.size());

        // every call carries the API key and no application header of ours
        for (RecordedRequest r : h.mailcow.requests()) {
            assertThat(r.header("X-API-Key")).isEqualTo(SyncHarness.API_KEY);
            assertThat(r.headers().keySet()).noneMatch(k -> k.toLowerCase().startsWith("camel")
                    || k.equalsIgnoreCase("apiPath") || k.equalsIgnoreCase("breadcrumbId"));
        }
        assertThat(h.mailcow.countByEndpoint()).containsEntry("GET get/mailbox/reduced", 1L)
                .doesNotContainKey("GET get/mailbox/{item}").doesNotContainKey("GET get/mailbox/all");

        h.mailcow.resetRequests();
        CycleRun second = h.cycle();
        assertThat(Launcher.exitCode(second)).isZero();
        assertThat(h.mailcow.writeCount()).isZero();

        h.restart();
        CycleRun afterRestart = h.cycle();
        assertThat(afterRestart.full).as("a restart reconciles fully").isTrue();
        assertThat(Launcher.exitCode(afterRestart)).isZero();
        assertThat(h.mailcow.writeCount()).isZero();
    }

    @Test
    void existingMailboxIsAdoptedNotCreatedAgain() throws Exception {
        h.directory.addUser("Bob Brown", "bob@example.local", "Bob Brown", DemoDirectory.NORMAL_ACCOUNT);
        h.mailcow.addMailbox("bob@example.local", "Robert", true);

        assertThat(Launcher.exitCode(h.cycle())).isZero();

        assertThat(h.mailcow.requests()).noneMatch(r -> r.endpoint().equals("POST add/mailbox"));
        assertThat(h.mailcow.mailboxes().get("bob@example.local").name()).isEqualTo("Bob Brown");
        assertThat(h.rows("SELECT email, active FROM users")).containsExactly(Map.of("email", "bob@example.local", "active", 1));
    }

    @Test
    void renameDisableAndReEnableEditOnlyWhatDiffers() throws Exception {
        String carol = h.directory.addUser("Carol Clark", "carol@example.local", "Carol Clark", DemoDirectory.NORMAL_ACCOUNT);
        String dave = h.directory.addUser("Dave Davis", "dave@example.local", "Dave Davis", DemoDirectory.NORMAL_ACCOUNT);
        h.cycle();

        h.directory.setAttribute(carol, "displayName", "Carol Clark-Smith");
        h.directory.setAttribute(dave, "userAccountControl", "514");
        h.mailcow.resetRequests();
        assertThat(Launcher.exitCode(h.cycle())).isZero();

        List<String> edits = edits();
        assertThat(edits).containsExactlyInAnyOrder(
                "{\"items\":[\"carol@example.local\"],\"attr\":{\"name\":\"Carol Clark-Smith\"}}",
                "{\"items\":[\"dave@example.local\"],\"attr\":{\"active\":\"0\"}}");
        assertThat(h.mailcow.mailboxes().get("dave@example.local").active()).isFalse();

        h.directory.setAttribute(dave, "userAccountControl", "512");
        h.mailcow.resetRequests();
        h.cycle();
        assertThat(edits()).containsExactly("{\"items\":[\"dave@example.local\"],\"attr\":{\"active\":\"1\"}}");
        assertThat(h.mailcow.mailboxes().get("dave@example.local").active()).isTrue();
    }

    @Test
    void userGoneFromTheDirectoryIsDeactivatedNeverDeletedAndComesBack() throws Exception {
        String dave = h.directory.addUser("Dave Davis", "dave@example.local", "Dave Davis", DemoDirectory.NORMAL_ACCOUNT);
        h.directory.addUser("Alice Anderson", "alice@example.local", "Alice", DemoDirectory.NORMAL_ACCOUNT);
        h.cycle();

        h.directory.delete(dave);
        h.mailcow.resetRequests();
        assertThat(Launcher.exitCode(h.cycle())).isZero();

        assertThat(h.mailcow.mailboxes().get("dave@example.local").active()).isFalse();
        assertThat(h.mailcow.requests()).noneMatch(r -> r.endpoint().startsWith("POST delete/"));
        assertThat(edits()).containsExactly("{\"items\":[\"dave@example.local\"],\"attr\":{\"active\":\"0\"}}");
        assertThat(h.rows("SELECT active FROM users WHERE email = 'dave@example.local'").get(0).get("active")).isEqualTo(0);

        h.directory.addUser("Dave Davis", "dave@example.local", "Dave Davis", DemoDirectory.NORMAL_ACCOUNT);
        h.cycle();
        assertThat(h.mailcow.mailboxes().get("dave@example.local").active()).as("a returning user is activated").isTrue();
    }

    @Test
    void unhostedDomainAndInvalidMailAreSkippedWithoutFailingTheCycle() throws Exception {
        h.directory.addUser("Other", "someone@other.example", "Other", DemoDirectory.NORMAL_ACCOUNT);
        h.directory.addUser("Broken", "broken address@example.local", "Broken", DemoDirectory.NORMAL_ACCOUNT);
        h.directory.addUser("Fine", "fine@example.local", "Fine", DemoDirectory.NORMAL_ACCOUNT);

        CycleRun run = h.cycle();

        assertThat(Launcher.exitCode(run)).isZero();
        assertThat(h.mailcow.mailboxes()).containsOnlyKeys("fine@example.local");
        assertThat(run.plan().skips()).anySatisfy(s -> assertThat(s.entry()).isEqualTo("domain other.example"))
                .anySatisfy(s -> assertThat(s.entry()).isEqualTo(userDn("Broken")));
    }

    @Test
    void oneRefusedMailboxDoesNotStopTheOthersAndIsRetriedNextCycle() throws Exception {
        h.directory.seedSample();
        h.mailcow.refuse(r -> r.endpoint().equals("POST add/mailbox") && r.body().contains("\"bob\""), "mailbox_quota_left_exceeded");

        CycleRun run = h.cycle();

        assertThat(Launcher.exitCode(run)).isEqualTo(Launcher.CYCLE_FAILED);
        assertThat(run.failures()).singleElement().asString().contains("bob@example.local").contains("mailbox_quota_left_exceeded");
        assertThat(h.mailcow.mailboxes()).containsKeys("alice@example.local", "carol@example.local").doesNotContainKey("bob@example.local");
        assertThat(h.rows("SELECT email FROM users WHERE email = 'bob@example.local'")).isEmpty();

        h.mailcow.clearFaults();
        assertThat(Launcher.exitCode(h.cycle())).isZero();
        assertThat(h.mailcow.mailboxes()).containsKey("bob@example.local");
    }

    @Test
    void pagedSearchReadsMoreUsersThanTheServersSizeLimit() throws Exception {
        List<String> dns = h.directory.addUsers(2500, "bulk");
        for (int i = 0; i < dns.size(); i++) {
            // existing mailboxes, so the test measures reading, not 5,000 writes
            String name = String.format("bulk%05d", i + 1);
            h.mailcow.addMailbox(name + "@example.local", "Bulk User " + name, true);
        }
        CycleRun run = h.cycle();
        assertThat(run.plan().usersRead()).isGreaterThanOrEqualTo(2500);
        assertThat(h.rows("SELECT count(*) AS n FROM users").get(0).get("n")).isEqualTo(2500);
        assertThat(h.mailcow.requests()).noneMatch(r -> r.endpoint().equals("POST add/mailbox"));
        assertThat(h.mailcow.aliases()).hasSize(2500);
        assertThat(Launcher.exitCode(run)).isZero();
    }

    private List<String> edits() {
        List<String> bodies = new ArrayList<>();
        h.mailcow.requests().stream().filter(r -> r.endpoint().equals("POST edit/mailbox")).forEach(r -> bodies.add(r.body()));
        return bodies;
    }
}
