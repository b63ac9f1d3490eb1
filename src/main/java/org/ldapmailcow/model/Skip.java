package org.ldapmailcow.model;

/** An entry the cycle did not act on, with the reason; reported as one warning line. */
public record Skip(String entry, String reason) {

    @Override
    public String toString() {
        return entry + ": " + reason;
    }
}
