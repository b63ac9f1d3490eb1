package org.ldapmailcow.mailcow;

/**
 * mailcow answered a write with a {@code danger}/{@code error} entry (HTTP 200) or with nothing at all. Not
 * retried within the cycle: the item is reported as failed and tried again by the next cycle.
 */
public class MailcowRefusedException extends RuntimeException {

    private final String mailcowMessage;
    private final boolean outcomeUnknown;

    public MailcowRefusedException(String mailcowMessage) {
        this(mailcowMessage, false);
    }

    private MailcowRefusedException(String mailcowMessage, boolean outcomeUnknown) {
        super((outcomeUnknown ? "mailcow gave no usable answer: " : "mailcow refused: ") + mailcowMessage, null, false, false);
        this.mailcowMessage = mailcowMessage;
        this.outcomeUnknown = outcomeUnknown;
    }

    /** An empty or unreadable answer: the write may or may not have been applied. */
    public static MailcowRefusedException unknownOutcome(String message) {
        return new MailcowRefusedException(message, true);
    }

    public boolean outcomeUnknown() {
        return outcomeUnknown;
    }

    public String mailcowMessage() {
        return mailcowMessage;
    }

    /** Refusals that mean the state database no longer matches mailcow, so the next cycle reads mailcow fully. */
    public boolean meansStaleState() {
        return mailcowMessage.contains("object_exists") || mailcowMessage.contains("is_alias")
                || mailcowMessage.contains("alias_invalid") || mailcowMessage.contains("access_denied");
    }
}
