package org.ldapmailcow.mailcow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
}
