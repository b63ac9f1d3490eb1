package org.ldapmailcow.sync;

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
        this.mailboxes = new MailboxPlanner(exclusions);
        this.aliases = new AliasPlanner(exclusions);
    }

    public Plan plan(Directory directory, MailcowView mailcow, SyncState state) {
        MailboxPlanner.Result boxes = mailboxes.plan(directory.users(), mailcow, state);
        AliasPlanner.Result al = aliases.plan(boxes.mailboxOwners(), directory.groups(), mailcow, state);
        List<Skip> skips = new ArrayList<>(boxes.skips());
        skips.addAll(al.skips());
        return new Plan(boxes.changes(), al.changes(), skips, directory.users().size(), directory.groups().size(),
                mailcow.fromListings(), null);
    }
}
