package org.ldapmailcow.openldaptest;

/** {@link OpenLdapExtension} for the 389 DS test instance of {@code .ci/ds389} ({@code $DS_DIR/ds389.env}). */
public final class Ds389Extension extends OpenLdapExtension {

    public Ds389Extension() {
        super(OpenLdapServer.Kind.DS389);
    }
}
