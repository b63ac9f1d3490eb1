package org.ldapmailcow.mailcow;

import java.security.SecureRandom;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.ldapmailcow.config.Settings;
import org.ldapmailcow.model.AliasChange;
import org.ldapmailcow.model.EmailAddress;
import org.ldapmailcow.model.MailboxChange;

/** Builds the JSON bodies of mailcow's write calls, in the shapes its API takes. */
public class MailcowRequests {

    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789-_.+";
    private static final int PASSWORD_LENGTH = 32;

    private final SecureRandom random = new SecureRandom();
    private final Settings settings;

    public MailcowRequests(Settings settings) {
        this.settings = settings;
    }

    /** A {@link NewMailbox}, so that the password it carries is in no log line. */
    public NewMailbox addMailbox(MailboxChange change) {
        EmailAddress address = EmailAddress.parse(change.email()).orElseThrow();
        String password = password();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("local_part", address.localPart());
        body.put("domain", address.domain());
        body.put("name", change.name());
        body.put("password", password);
        body.put("password2", password);
        body.put("quota", settings.quotaMiB);
        body.put("active", flag(change.active()));
        body.put("force_pw_update", "0");
        body.put("tls_enforce_in", "0");
        body.put("tls_enforce_out", "0");
        if (settings.authMode == Settings.AuthMode.MAILCOW) {
            body.put("authsource", "ldap");
        }
        return new NewMailbox(body);
    }

    public Map<String, Object> userAcl(MailboxChange change) {
        return edit(List.of(change.email()), Map.of("user_acl", settings.userAcl));
    }

    public Map<String, Object> editMailbox(MailboxChange change) {
        Map<String, Object> attr = new LinkedHashMap<>();
        if (change.name() != null) {
            attr.put("name", change.name());
        }
        if (change.active() != null) {
            attr.put("active", change.activeValue());
        }
        return edit(List.of(change.email()), attr);
    }

    /** One {@code edit/mailbox} for all deactivations of the cycle. */
    public Map<String, Object> deactivateMailboxes(Collection<MailboxChange> changes) {
        return edit(changes.stream().map(MailboxChange::email).toList(), Map.of("active", "0"));
    }

    public Map<String, Object> addAlias(AliasChange change) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("address", change.address());
        body.put("goto", change.gotoJoined());
        // add/alias without active creates an inactive alias, without sogo_visible an invisible one
        body.put("active", flag(change.active()));
        body.put("sogo_visible", Boolean.FALSE.equals(change.sogoVisible()) ? "0" : "1");
        body.put("sender_allowed", "1");
        return body;
    }

    public Map<String, Object> editAlias(AliasChange change) {
        Map<String, Object> attr = new LinkedHashMap<>();
        if (change.gotoList() != null) {
            attr.put("goto", change.gotoJoined());
        }
        if (change.active() != null) {
            attr.put("active", flag(change.active()));
        }
        if (change.sogoVisible() != null) {
            attr.put("sogo_visible", flag(change.sogoVisible()));
        }
        return edit(List.of(change.mailcowId()), attr);
    }

    /** mailcow's edit shape, items first, in a stable order. */
    private static Map<String, Object> edit(List<String> items, Map<String, Object> attr) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", items);
        body.put("attr", attr);
        return body;
    }

    /** {@code delete/alias} takes a bare array of ids. */
    public List<String> deleteAliases(Collection<AliasChange> changes) {
        return changes.stream().map(AliasChange::mailcowId).toList();
    }

    /** {@code delete/app-passwd} takes a bare array of ids, as {@code delete/alias} does. */
    public List<Object> deleteAppPasswords(List<Object> ids) {
        return List.copyOf(ids);
    }

    private String password() {
        StringBuilder sb = new StringBuilder(PASSWORD_LENGTH);
        for (int i = 0; i < PASSWORD_LENGTH; i++) {
            sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    private static String flag(Boolean value) {
        return Boolean.TRUE.equals(value) ? "1" : "0";
    }
}
