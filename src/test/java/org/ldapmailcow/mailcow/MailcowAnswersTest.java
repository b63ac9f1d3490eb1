package org.ldapmailcow.mailcow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** Answers as mailcow-api.md records them. */
class MailcowAnswersTest {

    private final MailcowAnswers answers = new MailcowAnswers();

    @Test
    void anEmptyListingIsAnObjectNotAnArray() {
        assertThat(answers.mailboxes(answers.parse("{}"))).isEmpty();
        assertThat(answers.aliases(answers.parse("[{\"id\":7,\"address\":\"info@example.local\",\"goto\":\"alice@example.local\",\"active\":1}]")))
                .containsExactly(new Alias("7", "info@example.local", "alice@example.local", true));
    }

    @Test
    void aDangerEntryAnywhereFailsTheWriteWithMailcowsMessage() {
        Object body = answers.parse("[{\"type\":\"success\",\"msg\":[\"alias_added\",\"x@example.local\",\"9\"]},"
                + "{\"type\":\"danger\",\"msg\":[\"goto_invalid\",\"@\"]}]");
        assertThatThrownBy(() -> answers.checkWrite(body)).isInstanceOf(MailcowRefusedException.class)
                .hasMessageContaining("goto_invalid @");
    }

    @Test
    void successEntriesAfterRateLimitSavedPass() {
        Object body = answers.parse("[{\"type\":\"success\",\"msg\":[\"rl_saved\",\"a@example.local\"]},"
                + "{\"type\":\"success\",\"msg\":[\"mailbox_added\",\"a@example.local\"]}]");
        assertThat(answers.checkWrite(body)).hasSize(2);
    }

    @Test
    void anEmptyBodyIsNeverASuccess() {
        assertThat(answers.parse("")).isNull();
        assertThatThrownBy(() -> answers.checkWrite(null)).isInstanceOf(MailcowRefusedException.class);
        assertThatThrownBy(() -> answers.listing(null)).isInstanceOf(MailcowRefusedException.class);
    }

    @Test
    void bulkEditTellsWhichItemsWentThrough() {
        Object body = answers.parse("[{\"type\":\"success\",\"msg\":[\"mailbox_modified\",\"alice@example.local\"]},"
                + "{\"type\":\"danger\",\"msg\":\"access_denied\"}]");
        assertThat(answers.succeededItems(body)).containsExactly("alice@example.local");
        assertThat(answers.problems(body)).containsExactly("access_denied");
    }

    @Test
    void anErrorObjectFailsAListing() {
        assertThatThrownBy(() -> answers.listing(answers.parse("{\"type\":\"error\",\"msg\":\"authentication failed\"}")))
                .hasMessageContaining("authentication failed");
    }

    private static InputStream stream(String body) {
        return new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void listingsReadFromTheStreamMatchTheParsedOnes() {
        String mailboxes = "[{\"username\":\"alice@example.local\",\"name\":\"Alice\",\"active\":1,\"authsource\":\"ldap\","
                + "\"attributes\":{\"imap_access\":\"1\"},\"custom_attributes\":[]},{\"name\":\"no username\"},"
                + "{\"username\":\"bob@example.local\",\"name\":null,\"active\":\"0\"}]";
        assertThat(answers.mailboxListing(stream(mailboxes))).isEqualTo(answers.mailboxes(answers.parse(mailboxes)))
                .containsExactly(new Mailbox("alice@example.local", "Alice", true, "ldap"),
                        new Mailbox("bob@example.local", "", false, null));
        String aliases = "[{\"id\":7,\"address\":\"info@example.local\",\"goto\":\"alice@example.local\",\"active\":1}]";
        assertThat(answers.aliasListing(stream(aliases))).isEqualTo(answers.aliases(answers.parse(aliases)));
        assertThat(answers.domainListing(stream("[{\"domain_name\":\"example.local\"}]"))).containsExactly("example.local");
    }

    @Test
    void aListingFromTheStreamFailsLikeAParsedOne() {
        assertThat(answers.mailboxListing(stream("{}"))).isEmpty();
        assertThatThrownBy(() -> answers.mailboxListing(stream("{\"type\":\"error\",\"msg\":\"authentication failed\"}")))
                .isInstanceOf(MailcowRefusedException.class).hasMessageContaining("authentication failed");
        assertThatThrownBy(() -> answers.mailboxListing(stream(""))).isInstanceOf(MailcowRefusedException.class);
        assertThatThrownBy(() -> answers.mailboxListing(null)).isInstanceOf(MailcowRefusedException.class);
        assertThatThrownBy(() -> answers.aliasListing(stream("<html>502 Bad Gateway</html>")))
                .isInstanceOf(MailcowRefusedException.class).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> answers.aliasListing(stream("[{\"id\":1,\"address\":\"a@example.local\"}")))
                .isInstanceOf(MailcowRefusedException.class);
    }
}
