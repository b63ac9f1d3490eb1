package org.ldapmailcow.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Removals the mass-change limit held back in one cycle, under an id an admin can approve them by
 * ({@code --approve <id>}). The id is made from the removals themselves: a cycle that holds back the same
 * removals again names the same plan, so a report read hours later still names a plan that can be approved.
 */
public record HeldPlan(String id, List<Removal> removals) {

    /** One held-back removal: {@code object} is {@code mailbox} or {@code alias}. */
    public record Removal(String object, String change, String address, String reason, String sourceDn) {

        public String key() {
            return object + " " + address.toLowerCase(Locale.ROOT);
        }
    }

    public HeldPlan {
        removals = List.copyOf(removals);
    }

    /** The removals of {@code plan} (the plan as the planner made it, before the limit). */
    public static HeldPlan of(List<MailboxChange> deactivations, List<AliasChange> deletions) {
        List<Removal> removals = new ArrayList<>();
        deactivations.forEach(c -> removals.add(new Removal("mailbox", c.label(), c.email(), c.reason(), c.sourceDn())));
        deletions.forEach(c -> removals.add(new Removal("alias", c.label(), c.address(), c.reason(), c.sourceDn())));
        return new HeldPlan(id(removals), removals);
    }

    static String id(List<Removal> removals) {
        String content = removals.stream().map(Removal::key).sorted().collect(Collectors.joining("\n"));
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 5);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The addresses for a log line: the first {@code max}, then how many more. */
    public String describe(int max) {
        String shown = removals.stream().limit(max).map(r -> r.change() + " " + r.address())
                .collect(Collectors.joining(", "));
        return removals.size() > max ? shown + " and " + (removals.size() - max) + " more (see the cycle report)" : shown;
    }
}
