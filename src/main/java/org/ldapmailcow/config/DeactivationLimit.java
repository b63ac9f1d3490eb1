package org.ldapmailcow.config;

/**
 * How many deactivations and alias deletions one cycle may apply: a count, or a percentage of the managed
 * active mailboxes, never below {@link #FLOOR} so small directories still work.
 */
public record DeactivationLimit(int value, boolean percent) {

    public static final int FLOOR = 5;

    public static DeactivationLimit parse(String text) {
        String t = text.strip();
        boolean pct = t.endsWith("%");
        int v = Integer.parseInt(pct ? t.substring(0, t.length() - 1).strip() : t);
        if (v < 0 || (pct && v > 100)) {
            throw new IllegalArgumentException(text);
        }
        return new DeactivationLimit(v, pct);
    }

    /** The largest number of removals allowed when {@code managedActive} mailboxes are managed and active. */
    public int allowed(int managedActive) {
        int limit = percent ? (int) Math.floor(managedActive * value / 100.0) : value;
        return Math.max(limit, FLOOR);
    }

    @Override
    public String toString() {
        return percent ? value + "%" : Integer.toString(value);
    }
}
