package org.ldapmailcow.directory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.naming.directory.Attributes;
import javax.naming.directory.SearchResult;

import org.ldapmailcow.model.SharedText;
import org.ldapmailcow.model.EmailAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the results of the user search (camel-ldap's {@code ArrayList<SearchResult>}) into {@link DirectoryUser}s.
 * Entries without mail are kept, the planner decides about them; an entry that cannot be read is left out with a
 * one-line warning, and the others go on.
 */
public class DirectoryReader {

    private static final Logger LOG = LoggerFactory.getLogger(DirectoryReader.class);

    private final DirectoryType type;
    private final List<String> aliasAttributes;

    /** Active Directory with {@code proxyAddresses}. */
    public DirectoryReader() {
        this(DirectoryType.AD, DirectoryType.AD.aliasAttributes());
    }

    public DirectoryReader(DirectoryType type, List<String> aliasAttributes) {
        this.type = type;
        this.aliasAttributes = List.copyOf(aliasAttributes);
    }

    public List<DirectoryUser> users(List<SearchResult> results) {
        AtomicBoolean guidAsText = new AtomicBoolean();
        List<DirectoryUser> users = users(results, guidAsText);
        warnIfGuidAsText(guidAsText);
        return users;
    }

    private List<DirectoryUser> users(List<SearchResult> results, AtomicBoolean guidAsText) {
        return EntryAttributes.mapEach(results, LOG, "directory entry", (dn, attributes) -> user(dn, attributes, guidAsText));
    }

    private static void warnIfGuidAsText(AtomicBoolean guidAsText) {
        if (guidAsText.get()) {
            LOG.warn("objectGUID arrives as text and cannot be read; list it in java.naming.ldap.attributes.binary");
        }
    }

    private DirectoryUser user(String dn, Attributes attributes, AtomicBoolean guidAsText)
            throws BadEntryException {
        String objectGuid = type.anchor(attributes);
        if (type.hasBinaryAnchor() && objectGuid == null
                && EntryAttributes.firstValue(attributes, "objectGUID") instanceof String) {
            guidAsText.set(true);
        }
        return new DirectoryUser(SharedText.of(dn),
                SharedText.of(EmailAddress.normalise(EntryAttributes.first(attributes, "mail"))),
                SharedText.of(EntryAttributes.first(attributes, "displayName")),
                type.disabled(attributes),
                DirectoryType.aliasValues(attributes, aliasAttributes),
                SharedText.of(objectGuid));
    }
}
