package org.ldapmailcow.config;

import java.util.List;

/** Start-up configuration problems, one line each, each naming its variable. */
public class SettingsException extends RuntimeException {

    private final List<String> problems;

    public SettingsException(List<String> problems) {
        super(String.join("\n", problems), null, false, false);
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
