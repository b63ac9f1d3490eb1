package org.ldapmailcow.ldap;

/**
 * Opening or binding an LDAP connection failed. The message is one line that says why (refused, timed out,
 * certificate not trusted, host name mismatch, bind refused, ...) and never contains the bind password.
 */
public class LdapConnectionException extends RuntimeException {

    public LdapConnectionException(String message, Throwable cause) {
        super(message, cause);
    }
}
