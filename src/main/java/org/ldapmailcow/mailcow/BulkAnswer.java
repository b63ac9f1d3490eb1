package org.ldapmailcow.mailcow;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/** mailcow's answer to one bulk write (deactivations, alias deletions): the items it names as done, its problems. */
public record BulkAnswer(Set<String> succeeded, List<String> problems) {

    private static final MailcowAnswers ANSWERS = new MailcowAnswers();

    /** Reads the answer as the API route returns it. */
    public static BulkAnswer of(Object body) {
        return new BulkAnswer(ANSWERS.succeededItems(body), ANSWERS.problems(body));
    }

    /** Whether mailcow named this mailbox or alias address as done. */
    public boolean succeeded(String address) {
        return succeeded.contains(address.toLowerCase(Locale.ROOT));
    }

    /** The problems on one line. */
    public String problemText() {
        return String.join("; ", problems);
    }
}
