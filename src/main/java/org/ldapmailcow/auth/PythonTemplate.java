package org.ldapmailcow.auth;

import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A template in the syntax of Python's {@code string.Template}, in which the Python tool wrote its templates:
 * {@code $name} and {@code ${name}} (a name is an ASCII letter or {@code _}, then letters, digits and {@code _}),
 * {@code $$} for a literal {@code $}. As with {@code Template.substitute}, any other {@code $} is an error, and so
 * is a name without a value.
 *
 * <p>The pattern is Python's own ({@code string.Template.pattern}, ASCII names, case-insensitive). Apache Commons
 * Text's {@code StringSubstitutor} does not fit: it needs a suffix after every variable, so it cannot read
 * {@code $name}.
 */
final class PythonTemplate {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$(?:(?<escaped>\\$)"
            + "|(?<named>[_a-zA-Z][_a-zA-Z0-9]*)"
            + "|\\{(?<braced>[_a-zA-Z][_a-zA-Z0-9]*)}"
            + "|(?<invalid>))");

    /** One placeholder of the template: the name and where it stands (offsets into the template text). */
    record Placeholder(String name, int start, int end) {
    }

    /** Gives the text that replaces a placeholder; the template text around it is copied as it is. */
    @FunctionalInterface
    interface Substitution {
        String replace(Placeholder placeholder);
    }

    /** A {@code $} that is not a placeholder, or a name without a value: says where, never which value. */
    static final class SyntaxError extends RuntimeException {
        final int line;
        final int column;

        SyntaxError(String template, int offset, String reason) {
            this(lineOf(template, offset), offset - (template.lastIndexOf('\n', offset - 1) + 1) + 1, reason);
        }

        SyntaxError(int line, int column, String reason) {
            super(reason, null, false, false);
            this.line = line;
            this.column = column;
        }

    }

    private final String text;

    /**
     * @param text the template as Python read it: a file opened in text mode, so {@code \r\n} and {@code \r}
     *             are already line feeds (see {@link #universalNewlines})
     */
    PythonTemplate(String text) {
        this.text = text;
    }

    /** Python's text mode reading ("universal newlines"): {@code \r\n} and a lone {@code \r} become {@code \n}. */
    static String universalNewlines(String raw) {
        return raw.replace("\r\n", "\n").replace('\r', '\n');
    }

    /** The 1-based line of an offset into a template text. */
    static int lineOf(String template, int offset) {
        return (int) template.substring(0, offset).chars().filter(c -> c == '\n').count() + 1;
    }

    String text() {
        return text;
    }

    /**
     * The template with every placeholder replaced, as {@code Template.substitute} does.
     *
     * @throws SyntaxError at the first {@code $} that is neither {@code $$} nor a placeholder, or whose name
     *                     {@code substitution} has no value for (it then returns null)
     */
    String substitute(Substitution substitution) {
        return substitute(substitution, literal -> literal);
    }

    /** Like {@link #substitute(Substitution)}, with the template's own text (and {@code $$}) passed through {@code literal}. */
    String substitute(Substitution substitution, UnaryOperator<String> literal) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder(text.length() + 64);
        int copied = 0;
        while (m.find()) {
            out.append(literal.apply(text.substring(copied, m.start())));
            copied = m.end();
            if (m.group("escaped") != null) {
                out.append(literal.apply("$"));
                continue;
            }
            String name = m.group("named") != null ? m.group("named") : m.group("braced");
            if (name == null) {
                throw new SyntaxError(text, m.start(),
                        "invalid placeholder: a $ must start $name or ${name}, or be written $$");
            }
            String value = substitution.replace(new Placeholder(name, m.start(), m.end()));
            if (value == null) {
                throw new SyntaxError(text, m.start(), "no value for $" + name);
            }
            out.append(value);
        }
        return out.append(literal.apply(text.substring(copied))).toString();
    }
}
