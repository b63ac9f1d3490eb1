package org.ldapmailcow.directory;

/**
 * Where the directory stood when a cycle began to read it, as the server tells: which server ({@code server}, AD's
 * {@code dsServiceName}, else the LDAP URI), which incarnation of its database ({@code invocation}, AD's
 * {@code invocationId}; a restored DC gets a new one), and its change counter ({@code counter}: AD's
 * {@code highestCommittedUSN}, OpenLDAP's {@code contextCSN}, 389 DS's {@code lastusn} or
 * {@code lastchangenumber}); null when the server keeps none. {@code settings} is a digest of the settings that
 * shape the directory read (base DN, filters, attributes): a read under other settings is no base for a delta.
 * {@code deletionsVisible}: the bind account can read AD's deleted objects, so a delta sees deletions.
 * {@code namingContext}: where a delta search starts (AD's {@code defaultNamingContext}), so that an entry moved
 * out of the base DN still shows.
 */
public record ChangeMark(String server, String invocation, String counter, String settings, boolean deletionsVisible,
                         String namingContext) {

    public ChangeMark withDeletionsVisible(boolean visible) {
        return new ChangeMark(server, invocation, counter, settings, visible, namingContext);
    }

    /** AD's counter as a number; -1 when there is none or it is not one. */
    public long usn() {
        try {
            return counter == null ? -1 : Long.parseLong(counter.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
