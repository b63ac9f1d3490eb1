package org.ldapmailcow.auth;

/**
 * Rendering or writing the Dovecot/SOGo configuration failed. The message is one line naming the file (and the
 * template line); it never contains the bind password, and the exception carries no cause that could.
 */
public class AuthConfigException extends RuntimeException {

    public AuthConfigException(String message) {
        super(message, null, false, true);
    }
}
