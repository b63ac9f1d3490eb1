package org.ldapmailcow.model;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A mail address as the directory spells it, compared case-insensitively through {@link #key()}. The check is
 * deliberately the subset mailcow accepts for mailboxes and aliases: one {@code @}, a local part without
 * separators mailcow would split on ({@code , ; } and white space), and a dotted-label domain.
 */
public record EmailAddress(String value) {

    private static final Pattern LOCAL = Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+");
    private static final Pattern DOMAIN = Pattern.compile(
            "(?=.{1,253}$)([A-Za-z0-9\\p{L}]([A-Za-z0-9\\p{L}-]{0,61}[A-Za-z0-9\\p{L}])?\\.)+[A-Za-z\\p{L}]{2,63}");

    public static Optional<EmailAddress> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String t = text.strip();
        int at = t.indexOf('@');
        if (at <= 0 || at != t.lastIndexOf('@') || at == t.length() - 1) {
            return Optional.empty();
        }
        String local = t.substring(0, at);
        String domain = t.substring(at + 1);
        if (local.length() > 64 || !LOCAL.matcher(local).matches() || local.startsWith(".") || local.endsWith(".")
                || local.contains("..") || !DOMAIN.matcher(domain).matches()) {
            return Optional.empty();
        }
        return Optional.of(new EmailAddress(t));
    }

    /**
     * The one spelling a directory user's mail is used in (requests, aliases' goto, state rows): without
     * surrounding white space and lower-cased, as add/mailbox stores it; mailcow refuses edit/user-acl for any
     * other spelling. A value that is no address stays as it was read, for the message that skips it.
     */
    public static String normalise(String mail) {
        return mail == null ? null : parse(mail).map(a -> a.value().toLowerCase(Locale.ROOT)).orElse(mail);
    }

    public String localPart() {
        return value.substring(0, value.indexOf('@'));
    }

    public String domain() {
        return value.substring(value.indexOf('@') + 1).toLowerCase(Locale.ROOT);
    }

    /** The comparison key: mailcow looks addresses up case-insensitively. */
    public String key() {
        return key(value);
    }

    public static String key(String address) {
        return address.strip().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return value;
    }
}
