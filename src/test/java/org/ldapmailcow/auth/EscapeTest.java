package org.ldapmailcow.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EscapeTest {

    private final Escape esc = new Escape();

    @Test
    void xmlEscapesWhatElementTextCannotHoldLiterally() {
        assertThat(esc.xml("a<b & c>d \"q\" 'a' $x")).isEqualTo("a&lt;b &amp; c&gt;d \"q\" 'a' $x");
        assertThat(esc.xml("cr\rlf\ntab\t")).isEqualTo("cr&#13;lf\ntab\t");
        assertThat(esc.xml("\uD83D\uDE00")).isEqualTo("\uD83D\uDE00");
    }

    @Test
    void xmlRefusesControlCharactersWithoutQuotingTheValue() {
        assertThatThrownBy(() -> esc.xml("secret\u0001")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("secret").hasMessageContaining("position 6");
        assertThatThrownBy(() -> esc.xml("x\uD83D")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void plistAlsoHidesDollarsFromEnvsubst() {
        assertThat(esc.plist("$HOME ${line} & $")).isEqualTo("&#36;HOME &#36;{line} &amp; &#36;");
    }

    @Test
    void dovecotEscapesBackslashAndDoubleQuoteOnly() {
        assertThat(esc.dovecot("a\\b\"c'd $e %u #f")).isEqualTo("a\\\\b\\\"c'd $e %u #f");
        assertThat(esc.dovecotExpanded("100% %u")).isEqualTo("100%% %%u");
        assertThatThrownBy(() -> esc.dovecot("secret\nline")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("secret");
    }

    @Test
    void shellQuotesAsOneWord() {
        assertThat(esc.shell("it's $(x) `y` \\ \"z\"")).isEqualTo("'it'\\''s $(x) `y` \\ \"z\"'");
        assertThat(esc.shell("")).isEqualTo("''");
    }
}
