package org.ldapmailcow.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.ldapmailcow.demo.MailcowState.Alias;
import org.ldapmailcow.demo.MailcowState.Mailbox;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.ldapmailcow.demo.MailcowState.MIB;

/**
 * {@code add/mailbox}, {@code edit/mailbox}, {@code delete/mailbox} and {@code edit/user-acl}, with mailcow's
 * checks in mailcow's order (the first failing one decides the answer).
 */
final class MailboxWrites {

    private static final Set<String> AUTHSOURCES = Set.of("mailcow", "keycloak", "generic-oidc", "ldap");
    /** The Default mailbox template's integer attributes, in the order GET lists them. */
    private static final Map<String, String> TEMPLATE = new LinkedHashMap<>();

    static {
        String[] pairs = {"force_pw_update", "0", "force_tfa", "0", "tls_enforce_in", "0", "tls_enforce_out", "0",
            "sogo_access", "1", "imap_access", "1", "pop3_access", "1", "smtp_access", "1", "sieve_access", "1",
            "eas_access", "1", "dav_access", "1", "relayhost", "0"};
        for (int i = 0; i < pairs.length; i += 2) {
            TEMPLATE.put(pairs[i], pairs[i + 1]);
        }
    }

    /** The {@code mailbox.name} column is a VARCHAR(255): MariaDB (strict mode) refuses a longer name. */
    static final int NAME_COLUMN_LENGTH = 255;
    static final String NAME_TOO_LONG = "SQLSTATE[22001]: String data, right truncated: 1406 Data too long for column 'name' at row 1";

    private static final List<String> EDITABLE_ATTRIBUTES = List.of("force_pw_update", "sogo_access", "imap_access",
            "pop3_access", "smtp_access", "sieve_access", "relayhost");

    private final MailcowState state;

    MailboxWrites(MailcowState state) {
        this.state = state;
    }

    Outcome add(Call call, boolean admin) {
        Outcome out = new Outcome();
        String localPart = Php.str(call.get("local_part")).strip().toLowerCase(Locale.ROOT);
        String domain = Php.idn(Php.str(call.get("domain")).strip());
        String username = localPart + "@" + domain;
        if (!Php.isEmail(username) || Php.empty(call.get("local_part"))) {
            return out.danger(call, "mailbox_invalid").failed();
        }
        String authsource = authsource(call.get("authsource"), "mailcow");
        long quotaMiB = Php.isset(call.get("quota")) ? Php.intval(call.get("quota")) : 0;
        if (!Php.isValidDomainName(domain)) {
            return out.danger(call, "domain_invalid").failed();
        }
        MailcowState.Domain domainRow = state.domain(domain);
        if (!admin || domainRow == null) {
            return out.danger(call, "access_denied").failed();
        }
        if (state.mailbox(username) != null) {
            return out.danger(call, "object_exists", username).failed();
        }
        if (state.aliasRow(username) != null) {
            return out.danger(call, "is_alias", username).failed();
        }
        if (authsource.equals("mailcow") && !passwordAccepted(call.get("password"), call.get("password2"), out)) {
            return out.failed();
        }
        long count = state.mailboxCount(domain);
        if (count >= domainRow.maxMailboxes) {
            return out.danger(call, "max_mailbox_exceeded", count, domainRow.maxMailboxes).failed();
        }
        if (quotaMiB > domainRow.maxQuotaMiB) {
            return out.danger(call, "mailbox_quota_exceeded", domainRow.maxQuotaMiB).failed();
        }
        long allocated = state.allocatedMiB(domain);
        if (allocated + quotaMiB > domainRow.quotaMiB) {
            return out.danger(call, "mailbox_quota_left_exceeded", domainRow.quotaMiB - allocated).failed();
        }
        if (nameTooLong(call.get("name"))) {
            // the INSERT fails: PDOException caught, nothing created
            return out.danger(call, "mysql_error", NAME_TOO_LONG).failed();
        }

        create(call, localPart, domain, quotaMiB, authsource);
        ObjectNode rateLimit = Json.object().put("object", username)
                .put("rl_frame", textOr(call.get("rl_frame"), "s")).put("rl_value", textOr(call.get("rl_value"), ""));
        ArrayNode rlLog = Json.array().add("ratelimit").add("edit").add("mailbox").add(rateLimit);
        return out.entry("success", rlLog, "rl_saved", username).success(call, "mailbox_added", username);
    }

    /** Inserts a mailbox with what the call gives and the Default template for the rest; no checks. */
    Mailbox create(Call call, String localPart, String domain, long quotaMiB, String authsource) {
        long active = Php.isset(call.get("active")) ? Php.intval(call.get("active")) : 1;
        Mailbox mailbox = state.insertMailbox(localPart, domain, active);
        mailbox.name = nameOf(call.get("name"));
        state.setQuota(mailbox, quotaMiB * MIB);
        mailbox.authsource = authsource;
        mailbox.passwordSet = authsource.equals("mailcow");
        TEMPLATE.forEach((key, fallback) -> mailbox.attributes.put(key,
                Php.isset(call.get(key)) ? String.valueOf(Php.intval(call.get(key))) : fallback));
        mailbox.attributes.put("passwd_update", mailbox.created);
        mailbox.attributes.put("mailbox_format", "maildir:");
        mailbox.attributes.put("quarantine_notification", textOr(call.get("quarantine_notification"), "hourly"));
        mailbox.attributes.put("quarantine_category", textOr(call.get("quarantine_category"), "reject"));
        mailbox.attributes.put("attribute_hash", Php.empty(call.get("attribute_hash")) ? ""
                : Php.str(call.get("attribute_hash")));
        setAcl(mailbox, Php.isset(call.get("acl")) ? aclNames(call.get("acl")) : null);
        return mailbox;
    }

    Outcome edit(Call call, boolean admin) {
        Outcome out = new Outcome();
        for (JsonNode item : call.list("username")) {
            String username = Php.str(item);
            if (!Php.isEmail(username)) {
                out.danger(call, "username_invalid", item);
                continue;
            }
            Mailbox mailbox = admin ? state.mailbox(username) : null;
            if (mailbox == null) {
                out.danger(call, "access_denied");
                continue;
            }
            JsonNode quota = call.get("quota");
            long quotaMiB = Php.isset(quota) && !Php.str(quota).isEmpty() ? Php.intval(quota)
                    : mailbox.quotaBytes / MIB;
            long maxNewMiB = state.maxNewQuotaBytes(mailbox) / MIB;
            if (quotaMiB > maxNewMiB) {
                out.danger(call, "mailbox_quota_left_exceeded", maxNewMiB);
                continue;
            }
            if (!Php.empty(call.get("name")) && nameTooLong(call.get("name"))) {
                out.danger(call, "mysql_error", NAME_TOO_LONG);
                continue;
            }
            String authsource = authsource(call.get("authsource"), mailbox.authsource);
            boolean newPassword = !Php.empty(call.get("password"));
            if (newPassword && !passwordAccepted(call.get("password"), call.get("password2"), out)) {
                continue;
            }
            applyEdit(call, mailbox, quotaMiB, authsource, newPassword);
            out.success(call, "mailbox_modified", username);
        }
        return out;
    }

    private void applyEdit(Call call, Mailbox mailbox, long quotaMiB, String authsource, boolean newPassword) {
        String now = state.now();
        if (newPassword && authsource.equals("mailcow")) {
            mailbox.passwordSet = true;
            mailbox.attributes.put("passwd_update", now);
        }
        if (Php.isset(call.get("active"))) {
            mailbox.active = Php.intval(call.get("active"));
        }
        state.aliasRow(mailbox.username).active = mailbox.active;
        if (!Php.empty(call.get("name"))) {
            mailbox.name = nameOf(call.get("name"));
        }
        state.setQuota(mailbox, quotaMiB * MIB);
        mailbox.authsource = authsource;
        for (String key : EDITABLE_ATTRIBUTES) {
            if (Php.isset(call.get(key))) {
                mailbox.attributes.put(key, String.valueOf(Php.intval(call.get(key))));
            }
        }
        mailbox.attributes.put("attribute_hash", Php.empty(call.get("attribute_hash")) ? ""
                : Php.str(call.get("attribute_hash")));
        // The edit's JSON_SET leaves this key behind; GET shows it from then on.
        if (!mailbox.attributes.containsKey("recovery_email")) {
            mailbox.attributes.put("recovery_email", null);
        }
        mailbox.modified = now;
    }

    Outcome delete(Call call, boolean admin) {
        Outcome out = new Outcome();
        for (JsonNode item : call.list("username")) {
            String username = Php.str(item);
            Mailbox mailbox = admin && Php.isEmail(username) ? state.mailbox(username) : null;
            if (mailbox == null) {
                out.danger(call, "access_denied");
                continue;
            }
            removeFromAliases(mailbox.username);
            state.removeMailbox(mailbox);
            out.success(call, "mailbox_removed", username);
        }
        return out;
    }

    /** Aliases pointing only at the mailbox go (its own row too); multi-goto aliases just lose it. */
    private void removeFromAliases(String username) {
        for (Alias alias : state.aliasRows()) {
            if (alias.gotoList.equalsIgnoreCase(username)) {
                state.removeAlias(alias);
                continue;
            }
            List<String> gotos = new ArrayList<>(List.of(alias.gotoList.split(",")));
            if (gotos.removeIf(username::equalsIgnoreCase)) {
                state.changeAlias(alias, () -> alias.gotoList = String.join(",", gotos));
            }
        }
    }

    Outcome editUserAcl(Call call, boolean admin) {
        Outcome out = new Outcome();
        List<String> wanted = aclNames(call.get("user_acl"));
        for (JsonNode item : call.list("username")) {
            String username = Php.str(item);
            // unlike the mailbox lookups, the ACL row is found only under the stored (lower-cased) spelling
            Mailbox mailbox = admin ? state.mailbox(username) : null;
            if (mailbox == null || !mailbox.username.equals(username)) {
                out.danger(call, "access_denied");
                continue;
            }
            setAcl(mailbox, wanted);
            out.success(call, "acl_saved", username);
        }
        return out;
    }

    /** Sets every known ACL: listed ones to 1, the rest to 0; null means the template defaults. */
    static void setAcl(Mailbox mailbox, List<String> enabled) {
        Set<String> on = enabled == null ? null : new HashSet<>(enabled);
        for (String acl : MailcowState.USER_ACLS) {
            boolean value = on == null ? !MailcowState.ACLS_OFF_BY_DEFAULT.contains(acl) : on.contains(acl);
            mailbox.acl.put(acl, value ? 1 : 0);
        }
    }

    private static List<String> aclNames(JsonNode value) {
        List<String> names = new ArrayList<>();
        Call.asPhpArray(value).elements().forEachRemaining(v -> names.add(Php.str(v)));
        return names;
    }

    /** mailcow keeps an external authsource only when that identity provider is configured. */
    private String authsource(JsonNode requested, String current) {
        String wanted = Php.str(requested);
        if (!AUTHSOURCES.contains(wanted)) {
            return current;
        }
        boolean configured = wanted.equals("mailcow") || wanted.equals("ldap") && state.ldapIdentityProvider;
        return configured ? wanted : "mailcow";
    }

    /** mailcow's {@code password_check()}: its own log line, and a length of 6 as the default policy. */
    private static boolean passwordAccepted(JsonNode password, JsonNode password2, Outcome out) {
        ArrayNode log = Json.array().add("password_check").addNull().addNull();
        String first = Php.str(password);
        if (Php.empty(password) || Php.empty(password2)) {
            out.entry("danger", log, "password_complexity");
        } else if (!first.equals(Php.str(password2))) {
            out.entry("danger", log, "password_mismatch");
        } else if (first.length() < 6) {
            out.entry("danger", log, "password_complexity");
        } else {
            return true;
        }
        return false;
    }

    private static boolean nameTooLong(JsonNode name) {
        String stored = nameOf(name);
        return stored.codePointCount(0, stored.length()) > NAME_COLUMN_LENGTH;
    }

    private static String nameOf(JsonNode name) {
        String text = Php.str(name);
        int end = text.length();
        while (end > 0 && text.charAt(end - 1) == '>') {
            end--;
        }
        int start = 0;
        while (start < end && text.charAt(start) == '<') {
            start++;
        }
        return text.substring(start, end);
    }

    private static String textOr(JsonNode value, String fallback) {
        return Php.isset(value) ? Php.str(value) : fallback;
    }
}
