package org.ldapmailcow.directory;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.naming.NameNotFoundException;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.SearchResult;

/**
 * The {@code member} values of a group. AD hands out at most MaxValRange (1500) values per read: a larger group
 * comes back as {@code member;range=0-1499} (next to an empty {@code member}), and the rest has to be asked for
 * with base searches for {@code member;range=1500-*} and so on, until a range ends with {@code *}. Other directories
 * return every value at once, in {@code member} or {@code uniqueMember} ({@link DirectoryType#memberAttributes}).
 */
final class RangedMembers {

    private static final Pattern RANGE = Pattern.compile("member;range=(\\d+)-(\\d+|\\*)", Pattern.CASE_INSENSITIVE);

    private final DirectorySearch search;
    private final DirectoryType type;

    RangedMembers(DirectorySearch search, DirectoryType type) {
        this.search = search;
        this.type = type;
    }

    /** All members of the group: the values it came with, plus every further range, read from the directory. */
    List<String> read(String dn, Attributes attributes) throws NamingException, BadEntryException {
        if (!type.hasRangedMembers()) {
            List<String> values = new ArrayList<>();
            for (String attribute : type.memberAttributes()) {
                EntryAttributes.all(attributes, attribute).forEach(value -> values.add(DirectoryType.memberDn(value)));
            }
            return values;
        }
        List<String> values = new ArrayList<>();
        int next = collect(attributes, values);
        while (next >= 0) {
            int after = collect(fetch(dn, next), values);
            if (after >= 0 && after <= next) {
                throw new BadEntryException("the member ranges do not move on from " + next);
            }
            next = after;
        }
        return values;
    }

    /** Adds the member values; returns where the missing ones start, -1 when none are missing. */
    private static int collect(Attributes attributes, List<String> values) throws BadEntryException {
        int next = -1;
        for (Attribute attribute : EntryAttributes.withOptions(attributes, "member")) {
            values.addAll(EntryAttributes.values(attribute));
            if (!attribute.getID().equalsIgnoreCase("member")) {
                next = nextStart(attribute.getID());
            }
        }
        return next;
    }

    private Attributes fetch(String dn, int start) throws NamingException, BadEntryException {
        List<SearchResult> results;
        try {
            results = search.search(dn, DirectorySearch.OBJECT, "(objectClass=*)", "member;range=" + start + "-*");
        } catch (NameNotFoundException e) {
            throw new BadEntryException("the group went away while its members were read");
        }
        if (results.size() != 1 || results.get(0).getAttributes() == null
                || EntryAttributes.withOptions(results.get(0).getAttributes(), "member").stream()
                        .noneMatch(attribute -> RANGE.matcher(attribute.getID()).matches())) {
            throw new BadEntryException("asked for member;range=" + start + "-* and got no member range back");
        }
        return results.get(0).getAttributes();
    }

    /** {@code member;range=0-1499} → 1500; {@code member;range=1500-*} → -1. */
    private static int nextStart(String id) throws BadEntryException {
        Matcher matcher = RANGE.matcher(id);
        if (!matcher.matches()) {
            throw new BadEntryException("cannot read the member range " + id);
        }
        return matcher.group(2).equals("*") ? -1 : Integer.parseInt(matcher.group(2)) + 1;
    }
}
