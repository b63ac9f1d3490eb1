package org.ldapmailcow.directory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.naming.directory.Attributes;
import javax.naming.directory.SearchResult;

import org.ldapmailcow.SharedText;
import org.ldapmailcow.sync.EmailAddress;
import org.ldapmailcow.sync.ProxyAddresses;
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
        return new DirectoryUser(SharedText.of(dn),
                SharedText.of(EmailAddress.normalise(EntryAttributes.first(attributes, "mail"))),
                SharedText.of(EntryAttributes.first(attributes, "displayName")),
                EntryAttributes.disabled(attributes),
                ProxyAddresses.smtpValues(EntryAttributes.all(attributes, "proxyAddresses")),
                SharedText.of(objectGuid));
    }
}
