package org.ldapmailcow.state;

import java.sql.SQLException;

/** The state file cannot be used as it is; the message is the one line that says which file and what to do. */
public class StateFileException extends SQLException {

    public StateFileException(String message) {
        super(message);
    }
}
