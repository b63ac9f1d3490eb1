package org.ldapmailcow.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Map;
import org.ldapmailcow.auth.PythonTemplateOutput.Format;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Where an admin's Python-syntax template puts a value that would break the file, the value is escaped for the
 * place it stands in; everywhere else the output is the Python tool's. Dovecot's reading is {@link DovecotSettings}.
 */
class PythonTemplateOutputTest {

    private static String render(String template, Format format, Map<String, String> values) {
        return new PythonTemplateOutput().render(new PythonTemplate(template), format, values::get);
    }

    private static Map<String, String> dovecot(String template, String name, String value) {
        return DovecotSettings.read(render(template, Format.DOVECOT, Map.of(name, value)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "it's", "a\"b", "back\\slash", "ends\\", " blank ", "#hash", "100%", "'q'",
        "\"dq\"", "a # b"})
    void dnpassReadsBackAsTheValueWhereverTheTemplatePutsIt(String password) {
        for (String line : new String[] {"dnpass = $pw", "dnpass = \"$pw\"", "dnpass = '$pw'", "dnpass=$pw",
            "dnpass = $pw # the bind password", "  dnpass   =   ${pw}  "}) {
            assertThat(dovecot(line + "\n", "pw", password)).as(line).containsEntry("dnpass", password);
        }
    }

    @Test
    void aPlainValueIsWrittenAsThePythonToolWroteIt() {
        String template = "dn = $dn\ndnpass = '$pw' # x\nbase = \"$base\"\n";
        Map<String, String> values = Map.of("dn", "CN=Bind DN,CN=Users,DC=example,DC=local", "pw", "it is fine!",
                "base", "OU=Mail Users,DC=example,DC=local");

        assertThat(render(template, Format.DOVECOT, values)).isEqualTo("dn = CN=Bind DN,CN=Users,DC=example,DC=local\n"
                + "dnpass = 'it is fine!' # x\nbase = \"OU=Mail Users,DC=example,DC=local\"\n\n");
    }

    @Test
    void aValueInAFilterKeepsTheTemplatesOwnVariablesAndDoublesItsOwnPercent() {
        Map<String, String> passdb = dovecot("pass_filter = (&(mail=%n@$domain)(description=\"x\"))\n", "domain",
                "ex%ample.org");

        assertThat(DovecotSettings.expand(passdb.get("pass_filter"), "bob@any"))
                .isEqualTo("(&(mail=bob@ex%ample.org)(description=\"x\"))");
    }

    @Test
    void aCommentTakesAnyValueButALineBreak() {
        assertThat(render("# for $d\n", Format.DOVECOT, Map.of("d", "#1 \"x\" 100%"))).isEqualTo("# for #1 \"x\" 100%\n\n");

        PythonTemplate.SyntaxError e = catchThrowableOfType(
                () -> render("a = 1\n# for $d\n", Format.DOVECOT, Map.of("d", "x\ny = 2")), PythonTemplate.SyntaxError.class);
        assertThat(e.line).isEqualTo(2);
        assertThat(e).hasMessage("the value of $d cannot be written safely into a comment of a Dovecot file");
    }

    @Test
    void aValueThatCannotBeEscapedWhereItStandsIsRefusedWithoutShowingIt() {
        PythonTemplate.SyntaxError e = catchThrowableOfType(
                () -> render("passdb { $pw\n", Format.DOVECOT, Map.of("pw", "secret#1")), PythonTemplate.SyntaxError.class);

        assertThat(e).hasMessage("the value of $pw cannot be written safely outside a key = value line of a Dovecot file");
        assertThat(e.getMessage()).doesNotContain("secret");
    }

    @Test
    void aLineBreakInAValueStopsTheStartWithoutShowingIt() {
        PythonTemplate.SyntaxError e = catchThrowableOfType(
                () -> render("dn = x\ndnpass = $pw\n", Format.DOVECOT, Map.of("pw", "secret\nauth_bind = no")),
                PythonTemplate.SyntaxError.class);

        assertThat(e.line).isEqualTo(2);
        assertThat(e).hasMessageStartingWith("the value of $pw cannot be written: value contains a line break");
        assertThat(e.getMessage()).doesNotContain("secret");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a>b", "a]b", "100% $ sure", "$1", "it's \"x\""})
    void plistValuesThatXmlAndEnvsubstReadBackAreWrittenAsTheyAre(String value) {
        assertThat(render("<string>$v</string>", Format.PLIST, Map.of("v", value)))
                .isEqualTo("<string>" + value + "</string>\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a<b", "a&b", "]]>", "$HOME", "${x}", "a\rb"})
    void plistValuesThatBrokeTheFileAreEscaped(String value) throws Exception {
        String out = render("<dict><key>k</key><string>$v</string></dict>", Format.PLIST, Map.of("v", value));

        assertThat(out).doesNotContain(value);
        assertThat(PlistSource.parse(out)).containsEntry("k", value);
    }

    @Test
    void extraConfIsCopiedAsItIsWithPrintsLineFeed() {
        assertThat(render("cost = $5 $x\n", Format.VERBATIM, Map.of())).isEqualTo("cost = $5 $x\n\n");
    }
}
