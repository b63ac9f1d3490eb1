package org.ldapmailcow.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * What happens to a leaver's mailbox (LDAP_MAILCOW_OFFBOARDING): in {@code deactivate} mode it is switched off at
 * once ({@code active=0}, the Python tool's behaviour); in {@code staged} mode it first disallows login
 * ({@code active=2}: mail is still accepted), loses its app passwords and hides its aliases from SOGo, and is
 * switched off after LDAP_MAILCOW_OFFBOARDING_DAYS. A user missing from the directory counts as gone only after
 * LDAP_MAILCOW_MISSES_BEFORE_REMOVAL successful cycles in a row; a disabled flag acts at once. Nothing is deleted
 * here; a returning user gets back what the tool manages (active, aliases visible), never revoked app passwords.
 */
public final class Offboarding {

    public enum Mode { DEACTIVATE, STAGED }

    /** Where a mailbox is in its offboarding, as the state database's users row keeps it. */
    public enum Stage {
        NONE, STAGED, DEACTIVATED;

        /** The users.offboarding_stage value: null for none. */
        public String column() {
            return this == NONE ? null : name().toLowerCase(Locale.ROOT);
        }

        public static Stage of(String column) {
            return column == null || column.isBlank() ? NONE : valueOf(column.strip().toUpperCase(Locale.ROOT));
        }
    }

    /** How the cycle found the user: enabled, disabled in the directory, or not returned at all. */
    public enum Presence { ENABLED, DISABLED, MISSING }

    public enum Action {
        /** Nothing changes stage (what mailcow holds may still be corrected). */
        KEEP,
        /** Missing, but not yet from enough cycles in a row: the mailbox and its aliases are left as they are. */
        WAIT,
        /** Disallow login (active=2), revoke its app passwords, hide its aliases from SOGo. */
        STAGE,
        /** Switch the mailbox off (active=0). */
        DEACTIVATE,
        /** The user is back: active=1, aliases active and visible again. */
        RESTORE
    }

    /**
     * The decision for one mailbox. {@code mailboxActive}: mailcow's active value the mailbox should have (0, 1 or
     * 2; null: leave it). {@code aliasesActive} / {@code aliasesVisible}: what its user aliases should have (null:
     * leave it). {@code vanished}: the user is not in the directory at all (such removals count against the mass
     * change limit). {@code stage}, {@code since} and {@code misses} are what the state records.
     */
    public record Step(Action action, Stage stage, Instant since, int misses, boolean vanished,
                       Integer mailboxActive, Boolean aliasesActive, Boolean aliasesVisible,
                       boolean revokesAppPasswords) {

        /** A change of stage: aliases get their visibility written even where the state cannot tell it. */
        public boolean transition() {
            return action == Action.STAGE || action == Action.RESTORE || action == Action.DEACTIVATE;
        }

        /** While a missing user may still come back, its aliases are left exactly as they are. */
        public boolean holdsAliases() {
            return action == Action.WAIT;
        }
    }

    private final Mode mode;
    private final Duration days;
    private final int missesBeforeRemoval;

    public Offboarding(Mode mode, int days, int missesBeforeRemoval) {
        this.mode = mode;
        this.days = Duration.ofDays(days);
        this.missesBeforeRemoval = Math.max(1, missesBeforeRemoval);
    }

    public Mode mode() {
        return mode;
    }

    /**
     * {@code stage}, {@code since} and {@code misses}: what the state recorded for the mailbox (NONE, null, 0 for
     * one it does not know yet); {@code now}: the cycle's time.
     */
    public Step decide(Presence presence, Stage stage, Instant since, int misses, Instant now) {
        return switch (presence) {
            case ENABLED -> stage == Stage.NONE
                    ? new Step(Action.KEEP, Stage.NONE, null, 0, false, 1, true, null, false)
                    : new Step(Action.RESTORE, Stage.NONE, null, 0, false, 1, true, true, false);
            case DISABLED -> gone(stage, since, 0, now, false);
            case MISSING -> misses + 1 < missesBeforeRemoval
                    ? new Step(Action.WAIT, stage, since, misses + 1, true, null, null, null, false)
                    : gone(stage, since, misses + 1, now, true);
        };
    }

    private Step gone(Stage stage, Instant since, int misses, Instant now, boolean vanished) {
        Instant start = since == null ? now : since;
        if (mode == Mode.DEACTIVATE) {
            return stage == Stage.DEACTIVATED
                    ? new Step(Action.KEEP, Stage.DEACTIVATED, start, misses, vanished, 0, false, null, false)
                    : new Step(Action.DEACTIVATE, Stage.DEACTIVATED, now, misses, vanished, 0, false, null, false);
        }
        return switch (stage) {
            case NONE -> new Step(Action.STAGE, Stage.STAGED, now, misses, vanished, 2, true, false, true);
            case STAGED -> now.isBefore(start.plus(days))
                    ? new Step(Action.KEEP, Stage.STAGED, start, misses, vanished, 2, true, false, false)
                    : new Step(Action.DEACTIVATE, Stage.DEACTIVATED, now, misses, vanished, 0, false, false, false);
            case DEACTIVATED -> new Step(Action.KEEP, Stage.DEACTIVATED, start, misses, vanished, 0, false, false, false);
        };
    }
}
