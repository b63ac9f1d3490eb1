package org.ldapmailcow.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Python's {@code string.Template.substitute}, case by case. Each expectation is what Python 3.11 answers for
 * {@code Template(template).substitute(a="1", b="2", _a="3")}: the result, or where its ValueError ("Invalid
 * placeholder in string: line L, col C") or KeyError points.
 */
class PythonTemplateTest {

    private static final Map<String, String> VALUES = Map.of("a", "1", "b", "2", "_a", "3");

    private static String substitute(String template) {
        return new PythonTemplate(template).substitute(p -> VALUES.get(p.name()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "$a$b       | 12",
        "$$a        | $a",
        "$$$a       | $1",
        "${a}b      | 1b",
        "$a.b       | 1.b",
        "€$a        | €1",
        "$$${b}$$   | $2$",
        "$_a        | 3",
        "$${line}_ldap | ${line}_ldap",
    })
    void substitutesAsPythonDoes(String template, String expected) {
        assertThat(substitute(template)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "${a    | 1 | 1",
        "$1     | 1 | 1",
        "a$     | 1 | 2",
        "${ a}  | 1 | 1",
        "$é     | 1 | 1",
        "x\\n  $ y | 2 | 3",
    })
    void refusesWhatPythonCallsAnInvalidPlaceholderAtTheSamePlace(String template, int line, int column) {
        PythonTemplate.SyntaxError e = catchThrowableOfType(
                () -> substitute(template.replace("\\n", "\n")), PythonTemplate.SyntaxError.class);

        assertThat(e.line).isEqualTo(line);
        assertThat(e.column).isEqualTo(column);
        assertThat(e).hasMessageStartingWith("invalid placeholder");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "$ab   | ab",
        "$a_b  | a_b",
        "$A    | A",
        "x ${c} | c",
    })
    void refusesANameWithoutAValueAsPythonsKeyErrorDoes(String template, String name) {
        PythonTemplate.SyntaxError e = catchThrowableOfType(() -> substitute(template), PythonTemplate.SyntaxError.class);

        assertThat(e).hasMessage("no value for $" + name);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"a\\r\\nb\\rc\\n | a\\nb\\nc\\n", "a\\n\\r\\n | a\\n\\n"})
    void readsLineEndsAsPythonsTextModeDoes(String raw, String read) {
        assertThat(PythonTemplate.universalNewlines(unescape(raw))).isEqualTo(unescape(read));
    }

    private static String unescape(String s) {
        return s.replace("\\r", "\r").replace("\\n", "\n");
    }
}
