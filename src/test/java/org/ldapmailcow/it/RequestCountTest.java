package org.ldapmailcow.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ldapmailcow.Launcher;
import org.ldapmailcow.bench.BenchDirectory;
import org.ldapmailcow.demo.DemoDirectory;
import org.ldapmailcow.model.CycleRun;

/**
 * Issue 7, the benchmark's request counts at a small size (they do not depend on the machine): a full cycle with
 * nothing to change reads mailcow with three bulk GETs and the directory with a fixed number of searches, whatever
 * the size; a cycle between full reconciles makes no mailcow request; drift is repaired by the next full reconcile,
 * and a write refused for a stale state brings that reconcile forward.
 */
class RequestCountTest {

    private static final Map<String, Long> BULK_READS = Map.of("GET get/domain/all", 1L,
            "GET get/mailbox/reduced", 1L, "GET get/alias/all", 1L);

    @TempDir
    Path work;
    SyncHarness h;

    @BeforeEach
    void start() throws Exception {
        h = new SyncHarness(work).set("FULL_SYNC_EVERY", "3");
    }

    @AfterEach
    void stop() throws Exception {
        h.close();
    }

    @Test
    void fullCyclesReadInBulkAndCyclesBetweenThemAskMailcowNothing() throws Exception {
        BenchDirectory.Shape shape = BenchDirectory.populate(h.directory, 300, 30);
        // the rootDSE (AD's change counter, which the embedded directory does not show: every cycle reads in full),
        // the user and the group search, and one batched look-up for the nested groups without mail
        int searches = 3 + (shape.securityGroups() + 99) / 100;

        CycleRun first = cycle();
        assertThat(first.full).isTrue();
        assertThat(Launcher.exitCode(first)).isZero();
        long created = first.appliedCounts().get("mailbox create");
        long aliases = first.appliedCounts().get("alias add");
        assertThat(created).isEqualTo(shape.usersWithMail());
        assertThat(aliases).isEqualTo(shape.aliasesToCreate());
        // the domains come from the start-up probe's answer
        assertThat(h.mailcow.countByEndpoint()).containsOnly(Map.entry("GET get/mailbox/reduced", 1L),
                Map.entry("GET get/alias/all", 1L), Map.entry("POST add/mailbox", created),
                Map.entry("POST edit/user-acl", created), Map.entry("POST add/alias", aliases));
        assertThat(h.directory.startedSearchCount()).isEqualTo(searches);

        for (int i = 0; i < 2; i++) {
            CycleRun trusting = cycle();
            assertThat(trusting.full).isFalse();
            assertThat(Launcher.exitCode(trusting)).isZero();
            assertThat(h.mailcow.requests()).as("requests of a state-trusting cycle").isEmpty();
            assertThat(h.directory.startedSearchCount()).isEqualTo(searches);
        }

        CycleRun full = cycle();
        assertThat(full.full).as("cycle 4 with LDAP_MAILCOW_FULL_SYNC_EVERY=3").isTrue();
        assertThat(Launcher.exitCode(full)).isZero();
        assertThat(h.mailcow.countByEndpoint()).isEqualTo(BULK_READS);
        assertThat(h.directory.startedSearchCount()).isEqualTo(searches);
        int pagesAtFirstSize = h.directory.searchCount();

        // four times the users: the same requests and searches, more pages
        h.directory.addUsers(900, "more");
        h.restart();
        assertThat(Launcher.exitCode(cycle())).isZero();
        h.restart();
        CycleRun larger = cycle();
        assertThat(larger.full).as("a restart reconciles fully").isTrue();
        assertThat(larger.plan().usersRead()).isGreaterThan(1200);
        assertThat(h.mailcow.countByEndpoint()).as("after a restart the probe listed the domains")
                .isEqualTo(Map.of("GET get/mailbox/reduced", 1L, "GET get/alias/all", 1L));
        assertThat(h.directory.startedSearchCount()).isEqualTo(searches);
        assertThat(h.directory.searchCount()).isGreaterThan(pagesAtFirstSize);
    }

    @Test
    void anUnchangedRunFromStartToEndMakesExactlyTheThreeBulkReads() throws Exception {
        BenchDirectory.populate(h.directory, 50, 5);
        assertThat(Launcher.exitCode(h.cycle())).isZero();
        h.restart();
        h.mailcow.resetRequests();

        CycleRun run = h.cycle();   // start-up (its probe of mailcow) and the first cycle, a full one
        assertThat(run.full).isTrue();
        assertThat(Launcher.exitCode(run)).isZero();
        assertThat(h.mailcow.countByEndpoint()).as("the probe's get/domain/all serves the first cycle")
                .isEqualTo(BULK_READS);

        CycleRun later = cycle();
        h.restart();
        h.set("FULL_SYNC_EVERY", "1");
        CycleRun second = cycle();
        CycleRun third = cycle();
        assertThat(second.full && third.full).isTrue();
        assertThat(h.mailcow.countByEndpoint()).as("a later full cycle lists the domains itself").isEqualTo(BULK_READS);
        assertThat(later.full).isFalse();
    }

    @Test
    void driftWaitsForTheNextFullReconcileAndAStaleRefusalBringsItForward() throws Exception {
        h.directory.addUser("Alice Anderson", "alice@example.local", "Alice Anderson", DemoDirectory.NORMAL_ACCOUNT);
        h.directory.addUser("Bob Brown", "bob@example.local", "Bob Brown", DemoDirectory.NORMAL_ACCOUNT);
        assertThat(Launcher.exitCode(cycle())).isZero();

        editByHand("{\"items\":[\"alice@example.local\"],\"attr\":{\"active\":\"0\"}}");
        for (int i = 0; i < 2; i++) {
            CycleRun trusting = cycle();
            assertThat(trusting.full).isFalse();
            assertThat(h.mailcow.requests()).isEmpty();
        }
        assertThat(h.mailcow.mailboxes().get("alice@example.local").active()).as("drift not seen yet").isFalse();

        CycleRun full = cycle();
        assertThat(full.full).isTrue();
        assertThat(Launcher.exitCode(full)).isZero();
        assertThat(h.mailcow.mailboxes().get("alice@example.local").active()).as("drift repaired").isTrue();
        assertThat(h.mailcow.countByEndpoint()).containsAllEntriesOf(BULK_READS).containsEntry("POST edit/mailbox", 1L)
                .hasSize(4);

        // a mailbox made by hand for a new directory user: the state-trusting cycle's add/mailbox is refused
        h.directory.addUser("Carol Clark", "carol@example.local", "Carol Clark", DemoDirectory.NORMAL_ACCOUNT);
        h.mailcow.addMailbox("carol@example.local", "Carol", true);
        CycleRun refused = cycle();
        assertThat(refused.full).isFalse();
        assertThat(refused.failures()).singleElement().asString().contains("carol@example.local");

        CycleRun repaired = cycle();
        assertThat(repaired.full).as("a stale refusal brings the full reconcile forward").isTrue();
        assertThat(Launcher.exitCode(repaired)).isZero();
        assertThat(h.mailcow.requests()).noneMatch(r -> r.endpoint().equals("POST add/mailbox"));
        assertThat(h.rows("SELECT email FROM users WHERE email = 'carol@example.local'")).hasSize(1);
    }

    /** One cycle, with the request log and the search counts reset before it (after start-up's probes). */
    private CycleRun cycle() throws Exception {
        h.started();
        h.mailcow.resetRequests();
        h.directory.resetSearchCount();
        return h.cycle();
    }

    /** An admin changing a mailbox in mailcow's UI, as far as the API shows it. */
    private void editByHand(String body) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(h.mailcow.baseUrl() + "/api/v1/edit/mailbox"))
                .header("X-API-Key", SyncHarness.API_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.body()).contains("mailbox_modified");
    }
}
