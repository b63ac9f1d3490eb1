package org.ldapmailcow.sync;

import org.ldapmailcow.model.Offboarding;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.ldapmailcow.directory.Directory;
import org.ldapmailcow.mailcow.MailcowView;
import org.ldapmailcow.state.SyncState;
import org.ldapmailcow.model.Plan;
import org.ldapmailcow.model.Skip;

/** The cycle's decision: mailboxes first (they tell which addresses are mailboxes), then aliases. */
public class Planner {

    private final MailboxPlanner mailboxes;
    private final AliasPlanner aliases;

    public Planner(Exclusions exclusions) {
        this(exclusions, new Offboarding(Offboarding.Mode.DEACTIVATE, 30, 1), 30);
    }

    public Planner(Exclusions exclusions, Offboarding offboarding, int offboardingDays) {
        this.mailboxes = new MailboxPlanner(exclusions, offboarding, offboardingDays);
        this.aliases = new AliasPlanner(exclusions, offboarding.mode() == Offboarding.Mode.STAGED);
    }

    public Plan plan(Directory directory, MailcowView mailcow, SyncState state) {
        return plan(directory, mailcow, state, Instant.now());
    }

    /** {@code now}: the cycle's time (offboarding stages). */
    public Plan plan(Directory directory, MailcowView mailcow, SyncState state, Instant now) {
        MailboxPlanner.Result boxes = mailboxes.plan(directory.users(), mailcow, state, now);
        AliasPlanner.Result al = aliases.plan(boxes.mailboxOwners(), directory.groups(), mailcow, state, boxes.steps());
        List<Skip> skips = new ArrayList<>(boxes.skips());
        skips.addAll(al.skips());
        return new Plan(boxes.changes(), al.changes(), skips, directory.users().size(), directory.groups().size(),
                mailcow.fromListings(), null);
    }
}
