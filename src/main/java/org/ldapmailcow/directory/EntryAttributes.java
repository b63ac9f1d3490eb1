package org.ldapmailcow.directory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;

import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.SearchResult;

import org.slf4j.Logger;

/**
 * Reading JNDI search results. A value that cannot be read makes its entry bad ({@link BadEntryException}); a
 * {@link NamingException} means a search failed.
 */
public final class EntryAttributes {

    /** Reads one entry; {@code E} is what a search it makes may throw. */
    @FunctionalInterface
    interface EntryMapper<T, E extends Exception> {
        T map(String dn, Attributes attributes) throws BadEntryException, E;
    }

    private EntryAttributes() {
    }

    /**
     * Maps every result; a bad entry is left out with a one-line warning naming it and the reason. Each result is
     * dropped from a modifiable list once read: a search result costs several times what is kept of it, and
     * camel-ldap hands over all of them at once (50,000 users are about 100 MB of results).
     */
    static <T, E extends Exception> List<T> mapEach(List<SearchResult> results, Logger log, String what,
                                                    EntryMapper<T, E> mapper) throws E {
        List<T> mapped = new ArrayList<>(results.size());
        boolean release = results instanceof ArrayList;
        for (ListIterator<SearchResult> each = results.listIterator(); each.hasNext(); ) {
            SearchResult result = each.next();
            if (release) {
                each.set(null);
            }
            if (result == null) {
                continue;
            }
            String dn = dn(result);
            try {
                if (result.getAttributes() == null) {
                    throw new BadEntryException("the search result has no attributes");
                }
                mapped.add(mapper.map(dn, result.getAttributes()));
            } catch (BadEntryException | RuntimeException e) {
                String reason = e instanceof BadEntryException ? e.getMessage() : e.toString();
                log.warn("Skipping {} {}: {}", what, dn, reason);
            }
        }
        return mapped;
    }

    /** The entry's full DN, or its relative name when the provider gave no full one. */
    public static String dn(SearchResult result) {
        try {
            return result.getNameInNamespace();
        } catch (UnsupportedOperationException e) {
            return result.getName();
        }
    }

    /** The first value of the attribute as text, or null when it is missing or blank. */
    static String first(Attributes attributes, String id) throws BadEntryException {
        Object value = firstValue(attributes, id);
        String text = value == null ? null : text(value);
        return text == null || text.isBlank() ? null : text;
    }

    /** The first value as JNDI gives it: String, or byte[] for attributes declared binary. */
    static Object firstValue(Attributes attributes, String id) throws BadEntryException {
        Attribute attribute = attributes.get(id);
        try {
            return attribute == null || attribute.size() == 0 ? null : attribute.get();
        } catch (NamingException e) {
            throw new BadEntryException("cannot read " + id + ": " + e.getMessage());
        }
    }

    /** Every value of the attribute as text, in the directory's order. */
    static List<String> all(Attributes attributes, String id) throws BadEntryException {
        return values(attributes.get(id));
    }

    public static List<String> values(Attribute attribute) throws BadEntryException {
        List<String> values = new ArrayList<>();
        if (attribute == null) {
            return values;
        }
        try {
            NamingEnumeration<?> all = attribute.getAll();
            while (all.hasMore()) {
                Object value = all.next();
                if (value != null) {
                    values.add(text(value));
                }
            }
            return values;
        } catch (NamingException e) {
            throw new BadEntryException("cannot read " + attribute.getID() + ": " + e.getMessage());
        }
    }

    /** The attributes whose ID starts with the given one: {@code member} also finds {@code member;range=0-1499}. */
    public static List<Attribute> withOptions(Attributes attributes, String id) throws BadEntryException {
        List<Attribute> found = new ArrayList<>();
        try {
            NamingEnumeration<? extends Attribute> all = attributes.getAll();
            while (all.hasMore()) {
                Attribute attribute = all.next();
                String name = attribute.getID();
                if (name.equalsIgnoreCase(id) || name.regionMatches(true, 0, id + ";", 0, id.length() + 1)) {
                    found.add(attribute);
                }
            }
            return found;
        } catch (NamingException e) {
            throw new BadEntryException("cannot read the attributes: " + e.getMessage());
        }
    }

    /** JNDI gives text as String and attributes declared binary as byte[]; mail and DNs are UTF-8. */
    static String text(Object value) {
        return value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : value.toString();
    }
}
