package org.ldapmailcow.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ldapmailcow.demo.DemoDirectory.NORMAL_ACCOUNT;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ldapmailcow.Launcher;

/**
 * Issue 14: {@code --explain <address>} prints what decides one address (directory entry and attribute, group
 * path, state row, mailcow now, the next cycle's decision) for every kind of address, reads only, and exits
 * non-zero for an address found nowhere.
 */
class ExplainTest extends EmbeddedSyncTest {

    private String ann;
    private String sub;
    private String team;

    @BeforeEach
    void aSyncedDirectory() throws Exception {
        ann = h.directory.addUser("Ann", "ann@example.local", "Ann A", NORMAL_ACCOUNT, "smtp:annie@example.local");
        h.directory.addUser("Bob", "bob@example.local", "Bob B", NORMAL_ACCOUNT);
        String carl = h.directory.addUser("Carl", "carl@example.local", "Carl C", NORMAL_ACCOUNT);
        h.directory.addUser("Backup", "svc-backup@example.local", "Backup", NORMAL_ACCOUNT);
        sub = h.directory.addGroup("Sub", null, List.of(carl));
        team = h.directory.addGroup("Team", "team@example.local", List.of(ann, sub));
        h.mailcow.addAlias("foreign@example.local", "bob@example.local", true);
        h.mailcow.addMailbox("svc-backup@example.local", "Backup by hand", true);
        h.set("EXCLUDE", "svc-*@example.local");
        LauncherRun first = LauncherRun.run(h.env, "--once");
        assertThat(first.exitCode()).as(first.toString()).isZero();
        h.mailcow.resetRequests();
    }

    private LauncherRun explain(String address) throws Exception {
        Map<String, String> before = WorkTree.snapshot(work);
        LauncherRun run = LauncherRun.run(h.env, "--explain", address);
        assertThat(WorkTree.snapshot(work)).as("explain writes nothing: " + run).isEqualTo(before);
        assertThat(h.mailcow.requests()).as("only reads from mailcow").allMatch(r -> r.method().equals("GET"));
        return run;
    }

    @Test
    void aMailbox() throws Exception {
        h.directory.setAttribute(ann, "displayName", "Ann Anders");
        LauncherRun run = explain("ann@example.local");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("user " + ann).contains("its mail attribute").contains("enabled")
                .contains("anchor ")
                .contains("users: email=ann@example.local, active=1").contains("source_dn=" + ann)
                .contains("mailbox ann@example.local: active=1, name=Ann A")
                .contains("member of group " + team)
                .contains("would apply mailbox rename ann@example.local: display name is now 'Ann Anders'");
        assertThat(h.mailcow.requests()).anyMatch(r -> r.path().equals("/api/v1/get/mailbox/ann@example.local"))
                .anyMatch(r -> r.path().equals("/api/v1/get/alias/ann@example.local"));
    }

    @Test
    void aUserAliasFromProxyAddresses() throws Exception {
        LauncherRun run = explain("annie@example.local");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("user " + ann).contains("an alias attribute (proxyAddresses)")
                .contains("aliases: address=annie@example.local, goto=ann@example.local, active=1").contains("kind=user")
                .contains("alias annie@example.local (id").contains("goto=ann@example.local")
                .contains("no write (state only): alias keep annie@example.local");
    }

    @Test
    void aGroupAliasWithItsNestedMembersPaths() throws Exception {
        LauncherRun run = explain("team@example.local");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("group " + team + ": its mail attribute")
                .contains("carl@example.local through " + team + " > " + sub)
                .contains("kind=group");
        LauncherRun member = explain("carl@example.local");
        assertThat(member.out()).contains("member of group " + team + " (alias team@example.local) through " + team + " > " + sub);
    }

    @Test
    void anAliasNotCreatedByThisTool() throws Exception {
        LauncherRun run = explain("foreign@example.local");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("no user or group").contains("not managed by ldap-mailcow")
                .contains("alias foreign@example.local (id").contains("left alone: not created by this tool");
    }

    @Test
    void anExcludedAddress() throws Exception {
        LauncherRun run = explain("svc-backup@example.local");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("user CN=Backup").contains("mailbox svc-backup@example.local: active=1")
                .contains("excluded by LDAP_MAILCOW_EXCLUDE");
    }

    @Test
    void anAddressFoundNowhereExitsNonZero() throws Exception {
        LauncherRun run = explain("nobody@example.local");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(Launcher.NOT_FOUND).isNotZero();
        assertThat(run.out()).contains("no user or group").contains("no mailbox and no alias");
    }

    @Test
    void aRemovalHeldBackByTheLimit() throws Exception {
        List<String> leavers = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            leavers.add(h.directory.addUser("Leaver " + i, "leaver" + i + "@example.local", "Leaver " + i, NORMAL_ACCOUNT));
        }
        assertThat(LauncherRun.run(h.env, "--once").exitCode()).isZero();
        leavers.forEach(dn -> h.directory.delete(dn));
        LauncherRun held = LauncherRun.run(h.env, "--once");
        assertThat(held.toString()).contains("--approve");
        h.mailcow.resetRequests();

        LauncherRun run = explain("leaver3@example.local");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("no user or group").contains("mailbox leaver3@example.local: active=1")
                .contains("held back under plan ").contains("held back by the limit (LDAP_MAILCOW_MAX_DEACTIVATIONS");
        assertThat(h.mailcow.mailboxes().get("leaver3@example.local").active()).isTrue();
    }
}
