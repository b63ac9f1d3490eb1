package org.ldapmailcow.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** The README's variable tables and the variables the settings read (with their defaults) agree. */
class ReadmeVariablesTest {

    private static final Pattern NAME = Pattern.compile("`(LDAP_MAILCOW_[A-Z_]+|_[A-Z_]+)`");

    /** A row of the README's tables: the variables its first cell names, its default cell. */
    private record Row(List<String> names, String defaults) {
    }

    private static List<Row> readmeRows() throws Exception {
        List<Row> rows = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("README.md"))) {
            if (!line.startsWith("| `LDAP_MAILCOW_")) {
                continue;
            }
            String[] cells = line.substring(1).split("(?<!\\\\)\\|", -1); // an escaped pipe inside a cell is no separator
            List<String> names = new ArrayList<>();
            Matcher m = NAME.matcher(cells[0]);
            while (m.find()) {
                String name = m.group(1);
                if (name.startsWith("_")) {
                    // `LDAP_MAILCOW_LDAP_CONNECT_TIMEOUT` / `_READ_TIMEOUT`: the suffix replaces the previous one's
                    String previous = names.get(names.size() - 1);
                    String tail = name.substring(1);
                    String stem = previous.substring(0, previous.lastIndexOf('_', previous.lastIndexOf('_') - 1) + 1);
                    name = stem + tail;
                }
                names.add(name);
            }
            rows.add(new Row(names, cells[1].replace("`", "").strip()));
        }
        return rows;
    }

    @Test
    void everyVariableIsInTheReadmeWithItsDefault() throws Exception {
        List<Row> rows = readmeRows();
        List<Variable> variables = Settings.variables();
        assertThat(variables).hasSizeGreaterThan(30);
        for (Variable variable : variables) {
            Row row = rows.stream().filter(r -> r.names().contains(variable.fullName())).findFirst().orElse(null);
            assertThat(row).as(variable.fullName() + " in the README's table").isNotNull();
            if (variable.required()) {
                assertThat(row.defaults()).as("default of required " + variable.fullName()).isBlank();
            } else if (!variable.defaultText().isEmpty()) {
                assertThat(row.defaults()).as("default of " + variable.fullName()).contains(variable.defaultText());
            }
        }
    }

    @Test
    void theReadmeNamesNoVariableTheSettingsDoNotRead() throws Exception {
        List<String> read = Settings.variables().stream().map(Variable::fullName).toList();
        for (Row row : readmeRows()) {
            assertThat(read).as("variables of the README row " + row.names()).containsAll(row.names());
        }
    }
}
