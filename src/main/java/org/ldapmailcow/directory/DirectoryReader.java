package org.ldapmailcow.directory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.naming.NamingException;
import javax.naming.directory.Attributes;
import javax.naming.directory.SearchResult;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the results of the user search (camel-ldap's {@code ArrayList<SearchResult>}) into {@link DirectoryUser}s.
 * Entries without mail are kept, the planner decides about them; an entry that cannot be read is left out with a
 * one-line warning, and the others go on.
 */
public class DirectoryReader {

    private static final Logger LOG = LoggerFactory.getLogger(DirectoryReader.class);

    /** The attributes the user search has to return. */
    public static final List<String> USER_ATTRIBUTES =
            List.of("mail", "displayName", "userAccountControl", "proxyAddresses", "objectGUID");

    private final JndiDirectorySearch search;
    private final String baseDn;
    private final String userFilter;

    /** Reads results handed to {@link #users}; {@link #searchUsers} needs the other constructor. */
    public DirectoryReader() {
        this(null, null, null);
    }

    public DirectoryReader(JndiDirectorySearch search, String baseDn, String userFilter) {
        this.search = search;
        this.baseDn = baseDn;
        this.userFilter = userFilter;
    }

    /** The users one search read, and how many entries it returned (unreadable ones included). */
    public record UserSearch(List<DirectoryUser> users, int entries) {
    }

    /**
     * The cycle's user search: paged, each page made into users as it arrives, so only one page of JNDI results
     * exists at a time (camel-ldap keeps every page until the search ends: about 2 KB per user).
     */
    public UserSearch searchUsers() throws NamingException {
        List<DirectoryUser> users = new ArrayList<>();
        AtomicBoolean guidAsText = new AtomicBoolean();
        int[] entries = {0};
        search.searchPages(baseDn, DirectorySearch.SUBTREE, userFilter, page -> {
            entries[0] += page.size();
            users.addAll(users(page, guidAsText));
        }, USER_ATTRIBUTES.toArray(String[]::new));
        warnIfGuidAsText(guidAsText);
        return new UserSearch(users, entries[0]);
    }

    public List<DirectoryUser> users(List<SearchResult> results) {
        AtomicBoolean guidAsText = new AtomicBoolean();
        List<DirectoryUser> users = users(results, guidAsText);
        warnIfGuidAsText(guidAsText);
        return users;
    }

    private static List<DirectoryUser> users(List<SearchResult> results, AtomicBoolean guidAsText) {
        return EntryAttributes.mapEach(results, LOG, "directory entry", (dn, attributes) -> user(dn, attributes, guidAsText));
    }

    private static void warnIfGuidAsText(AtomicBoolean guidAsText) {
        if (guidAsText.get()) {
            LOG.warn("objectGUID arrives as text and cannot be read; list it in java.naming.ldap.attributes.binary");
        }
    }

    private static DirectoryUser user(String dn, Attributes attributes, AtomicBoolean guidAsText)
            throws BadEntryException {
        Object guid = EntryAttributes.firstValue(attributes, "objectGUID");
        String objectGuid = guid instanceof byte[] bytes ? ObjectGuid.format(bytes)
                : guid == null ? null : ObjectGuid.parse(guid.toString());
        if (guid instanceof String && objectGuid == null) {
            guidAsText.set(true);
        }
        return new DirectoryUser(dn,
                EntryAttributes.first(attributes, "mail"),
                EntryAttributes.first(attributes, "displayName"),
                EntryAttributes.disabled(attributes),
                EntryAttributes.all(attributes, "proxyAddresses"),
                objectGuid);
    }
}
