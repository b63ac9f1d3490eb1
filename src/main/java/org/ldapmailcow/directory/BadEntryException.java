package org.ldapmailcow.directory;

/** One entry cannot be used; the message is the reason, for a one-line warning naming the entry. */
public final class BadEntryException extends Exception {

    BadEntryException(String reason) {
        super(reason);
    }
}
