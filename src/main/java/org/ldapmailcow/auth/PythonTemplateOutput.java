package org.ldapmailcow.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders a template in the Python tool's syntax into the file the Python tool wrote from it, byte for byte,
 * except where a value would have broken that file: the Python tool put values in unescaped, so a {@code &} or
 * {@code <} in the password made the SOGo plist unreadable and a {@code #} or {@code "} cut or changed Dovecot's
 * {@code dnpass}. Such a value, and only such a value, is escaped here.
 */
final class PythonTemplateOutput {

    /** The file formats of the Python tool's templates. */
    enum Format {
        /** Dovecot's LDAP passdb args file ({@code key = value} lines). */
        DOVECOT,
        /** XML plist text that mailcow's SOGo start-up passes through {@code envsubst}. */
        PLIST,
        /** Copied as it is: the Python tool did not substitute anything in {@code dovecot/extra.conf}. */
        VERBATIM
    }

    /** What was escaped: the placeholder's name and the 1-based line; never the value. */
    record Escaped(String name, int line) {
    }

    /** The Dovecot LDAP settings in which Dovecot expands %variables, so a literal {@code %} must be doubled. */
    private static final Set<String> EXPANDED = Set.of("base", "user_filter", "pass_filter", "iterate_filter",
            "user_attrs", "pass_attrs", "iterate_attrs", "auth_bind_userdn");
    /** {@code key = value} with optional blanks; the value runs to the end of the line (comment split off below). */
    private static final Pattern SETTING = Pattern.compile("^(\\s*)([^\\s={}#]+)(\\s*=\\s*)(.*)$");
    /** A {@code $} that {@code envsubst} reads as the start of a variable. */
    private static final Pattern ENVSUBST_VARIABLE = Pattern.compile("\\$[A-Za-z_{]");

    private static final Escape ESCAPE = new Escape();

    private final List<Escaped> escaped = new ArrayList<>();

    /** The values that were escaped in the last {@link #render}. */
    List<Escaped> escaped() {
        return List.copyOf(escaped);
    }

    /**
     * The file's content: the template substituted, plus the line feed the Python tool's {@code print} added.
     *
     * @param values the value of a placeholder name, null for a name the Python tool did not know
     * @throws PythonTemplate.SyntaxError where the template is not valid in Python's syntax, or a value cannot be
     *                                    written where the template puts it
     */
    String render(PythonTemplate template, Format format, Function<String, String> values) {
        escaped.clear();
        String body = switch (format) {
            case VERBATIM -> template.text();
            case PLIST -> template.substitute(p -> plist(template, p, values.apply(p.name())));
            case DOVECOT -> dovecot(template.text(), values);
        };
        return body + "\n";
    }

    private String plist(PythonTemplate template, PythonTemplate.Placeholder p, String value) {
        if (value == null || plainXmlText(value)) {
            return value;
        }
        int line = PythonTemplate.lineOf(template.text(), p.start());
        try {
            String safe = ESCAPE.plist(value);
            escaped.add(new Escaped(p.name(), line));
            return safe;
        } catch (IllegalArgumentException e) {
            throw new PythonTemplate.SyntaxError(line, 0, "the value of $" + p.name() + " cannot be written: " + e.getMessage());
        }
    }

    /** Whether a value reads back as itself in XML text, also after mailcow's {@code envsubst}. */
    private static boolean plainXmlText(String value) {
        if (value.indexOf('&') >= 0 || value.indexOf('<') >= 0 || value.contains("]]>")
                || ENVSUBST_VARIABLE.matcher(value).find()) {
            return false;
        }
        try {
            ESCAPE.xml(value); // refuses what XML cannot carry
        } catch (IllegalArgumentException e) {
            return false;
        }
        return value.indexOf('\r') < 0; // a parser reads a literal CR back as LF
    }

    /** Dovecot's file line by line: a placeholder cannot span lines, so each line is a template of its own. */
    private String dovecot(String text, Function<String, String> values) {
        String[] lines = text.split("\n", -1);
        StringBuilder out = new StringBuilder(text.length() + 64);
        for (int i = 0; i < lines.length; i++) {
            if (i > 0) {
                out.append('\n');
            }
            try {
                out.append(dovecotLine(lines[i], i + 1, values));
            } catch (PythonTemplate.SyntaxError e) {
                throw new PythonTemplate.SyntaxError(i + 1, e.column, e.getMessage());
            }
        }
        return out.toString();
    }

    private String dovecotLine(String text, int lineNumber, Function<String, String> values) {
        PythonTemplate line = new PythonTemplate(text);
        DovecotLine context = DovecotLine.of(text);
        List<String> unsafe = new ArrayList<>();
        String raw = line.substitute(p -> {
            String value = values.apply(p.name());
            if (value != null && !context.plain(value)) {
                unsafe.add(p.name());
            }
            return value;
        });
        if (unsafe.isEmpty()) {
            return raw;
        }
        if (context.comment || context.setting == null) {
            throw new PythonTemplate.SyntaxError(lineNumber, 0, "the value of $" + unsafe.get(0)
                    + " cannot be written safely " + (context.comment ? "into a comment" : "outside a key = value line")
                    + " of a Dovecot file");
        }
        unsafe.forEach(name -> escaped.add(new Escaped(name, lineNumber)));
        Matcher setting = context.setting;
        boolean expanded = EXPANDED.contains(setting.group(2).toLowerCase(Locale.ROOT));
        PythonTemplate.Substitution escapedValue = p -> {
            String value = values.apply(p.name());
            try {
                return expanded ? ESCAPE.dovecotExpanded(value) : ESCAPE.dovecot(value);
            } catch (IllegalArgumentException e) {
                throw new PythonTemplate.SyntaxError(lineNumber, 0, "the value of $" + p.name() + " cannot be written: " + e.getMessage());
            }
        };
        String value = context.value;
        String head = text.substring(0, setting.start(4));
        if (context.quoted) {
            return head + new PythonTemplate(value).substitute(escapedValue) + context.tail;
        }
        // an unquoted value: quoted as a whole, the template's own text escaped as well
        return head + '"' + new PythonTemplate(value).substitute(escapedValue, ESCAPE::dovecot) + '"' + context.tail;
    }

    /** One line of a Dovecot settings file, as Dovecot's settings reader splits it. */
    private static final class DovecotLine {
        final boolean comment;
        final Matcher setting;
        /** The setting's value as the template writes it, without trailing blanks and comment. */
        final String value;
        /** What follows the value: blanks and a comment. */
        final String tail;
        /** Whether the template's value is enclosed in {@code "..."} or {@code '...'}, which Dovecot unquotes. */
        final boolean quoted;
        final boolean hasComment;

        private DovecotLine(boolean comment, Matcher setting, String value, String tail, boolean hasComment) {
            this.comment = comment;
            this.setting = setting;
            this.value = value;
            this.tail = tail;
            this.hasComment = hasComment;
            this.quoted = value != null && value.length() >= 2
                    && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"));
        }

        static DovecotLine of(String text) {
            String trimmed = text.strip();
            if (trimmed.startsWith("#")) {
                return new DovecotLine(true, null, null, "", true);
            }
            Matcher m = SETTING.matcher(text);
            if (!m.matches()) {
                return new DovecotLine(false, null, null, "", text.indexOf('#') >= 0);
            }
            String rest = m.group(4);
            int comment = commentStart(rest);
            String value = (comment < 0 ? rest : rest.substring(0, comment)).stripTrailing();
            return new DovecotLine(false, m, value, rest.substring(value.length()), comment >= 0);
        }

        /** Where Dovecot's reader starts a comment: the first {@code #} outside quotes. */
        private static int commentStart(String text) {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '"' || c == '\'') {
                    for (i++; i < text.length() && text.charAt(i) != c; i++) {
                        if (text.charAt(i) == '\\') {
                            i++;
                        }
                    }
                } else if (c == '#') {
                    return i;
                }
            }
            return -1;
        }

        /** Whether Dovecot reads the value back unchanged where this line puts it, as it is. */
        boolean plain(String value) {
            if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0 || value.indexOf('\0') >= 0) {
                return false;
            }
            if (comment) {
                return true;
            }
            if (value.indexOf('#') >= 0) {
                return false;
            }
            if (setting != null && value.indexOf('%') >= 0
                    && EXPANDED.contains(setting.group(2).toLowerCase(Locale.ROOT))) {
                return false;
            }
            if (quoted) {
                // unquoting removes backslashes; a quote inside may end the quoted part for the comment reader
                return value.indexOf('\\') < 0 && value.indexOf('"') < 0 && value.indexOf('\'') < 0;
            }
            if (value.isEmpty()) {
                return true;
            }
            char first = value.charAt(0);
            char last = value.charAt(value.length() - 1);
            if (Character.isWhitespace(first) || Character.isWhitespace(last) || first == '"' || first == '\''
                    || last == '"' || last == '\'' || last == '\\') {
                return false;
            }
            return !hasComment || value.indexOf('"') < 0 && value.indexOf('\'') < 0;
        }
    }
}
