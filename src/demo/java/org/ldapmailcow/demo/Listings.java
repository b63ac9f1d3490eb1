package org.ldapmailcow.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.ldapmailcow.demo.MailcowState.Alias;
import org.ldapmailcow.demo.MailcowState.Domain;
import org.ldapmailcow.demo.MailcowState.Mailbox;

import java.net.IDN;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.ldapmailcow.demo.MailcowState.MIB;

/**
 * The GET answers, field for field as mailcow-api.md shows them (key order and value types included).
 * Anything missing, and any empty list, is {@code {}}, never {@code []}.
 */
final class Listings {

    private final MailcowState state;

    Listings(MailcowState state) {
        this.state = state;
    }

    /**
     * {@code get/domain/all}. The transcript only shows this list empty; filled, it is an array of the objects
     * {@code get/domain/{name}} answers, which is what mailcow's code builds it from.
     */
    JsonNode domains() {
        ArrayNode list = Json.array();
        state.domains().forEach(d -> list.add(domainJson(d)));
        return orEmptyObject(list);
    }

    JsonNode domain(String name) {
        Domain domain = state.domain(name);
        return domain == null ? Json.object() : domainJson(domain);
    }

    /**
     * {@code get/mailbox/all} and {@code get/mailbox/reduced}, optionally for comma-separated domains. A domain
     * that does not exist yields every mailbox: mailcow falls back to all of them for an admin.
     */
    JsonNode mailboxes(String domains, boolean reduced) {
        List<Mailbox> selected = new ArrayList<>();
        if (Php.empty(domains)) {
            selected.addAll(state.mailboxes());
        } else {
            for (String name : domains.split(",")) {
                Domain domain = state.domain(name);
                selected.addAll(domain == null ? state.mailboxes() : state.mailboxesOf(domain.name));
            }
        }
        Map<String, Long> allocated = new HashMap<>();
        ArrayNode list = Json.array();
        for (Mailbox mailbox : selected) {
            long allocatedMiB = allocated.computeIfAbsent(mailbox.domain, state::allocatedMiB);
            list.add(mailboxJson(mailbox, reduced, allocatedMiB));
        }
        return orEmptyObject(list);
    }

    JsonNode mailbox(String username) {
        Mailbox mailbox = state.mailbox(username);
        return mailbox == null ? Json.object()
                : mailboxJson(mailbox, false, state.allocatedMiB(mailbox.domain));
    }

    /** {@code get/alias/all}, optionally for comma-separated domains; a missing domain contributes nothing. */
    JsonNode aliases(String domains) {
        List<String> names = new ArrayList<>();
        if (Php.empty(domains)) {
            state.domains().forEach(d -> names.add(d.name));
        } else {
            names.addAll(List.of(domains.split(",")));
        }
        ArrayNode list = Json.array();
        for (String name : names) {
            Domain domain = state.domain(name);
            if (domain != null) {
                state.aliasesOf(domain.name).forEach(a -> list.add(aliasJson(a)));
            }
        }
        return orEmptyObject(list);
    }

    JsonNode alias(String idOrAddress) {
        Alias alias = state.visibleAlias(TextNode.valueOf(idOrAddress));
        return alias == null ? Json.object() : aliasJson(alias);
    }

    /**
     * {@code get/app-passwd/all/{mailbox}}, read from mailcow's code (json_api.php and {@code app_passwd('get')},
     * {@code app_passwd('details')}), not captured: every column of each row ({@code SELECT *}, the stored hash
     * included), {@code {}} when there is none or the mailbox does not exist (its access_denied is not shown).
     * Without a mailbox mailcow lists the API user's own: none.
     */
    JsonNode appPasswords(String username) {
        ArrayNode list = Json.array();
        if (!Php.empty(username) && Php.isEmail(username) && state.mailbox(username) != null) {
            for (MailcowState.AppPassword a : state.appPasswordsOf(username)) {
                ObjectNode json = Json.object().put("id", a.id).put("name", a.name).put("mailbox", a.mailbox)
                        .put("domain", a.domain).put("password", a.passwordHash).put("created", a.created)
                        .putNull("modified");
                a.protocols.forEach(json::put);
                list.add(json.put("active", a.active));
            }
        }
        return orEmptyObject(list);
    }

    private ObjectNode domainJson(Domain d) {
        long allocatedBytes = state.allocatedMiB(d.name) * MIB;
        long mailboxCount = state.mailboxCount(d.name);
        long aliasCount = state.aliasCount(d.name);
        long maxNew = Math.min(d.maxQuotaMiB * MIB, d.quotaMiB * MIB - allocatedBytes);
        ObjectNode json = Json.object()
                .put("max_new_mailbox_quota", maxNew)
                .put("def_new_mailbox_quota", Math.min(d.defQuotaMiB * MIB, maxNew))
                .put("quota_used_in_domain", String.valueOf(allocatedBytes))
                .put("bytes_total", 0)
                .put("msgs_total", 0)
                .put("mboxes_in_domain", mailboxCount)
                .put("mboxes_left", d.maxMailboxes - mailboxCount)
                .put("domain_name", d.name)
                .put("domain_h_name", IDN.toUnicode(d.name, IDN.ALLOW_UNASSIGNED))
                .put("description", d.description)
                .put("max_num_aliases_for_domain", d.maxAliases)
                .put("max_num_mboxes_for_domain", d.maxMailboxes)
                .put("def_quota_for_mbox", d.defQuotaMiB * MIB)
                .put("max_quota_for_mbox", d.maxQuotaMiB * MIB)
                .put("max_quota_for_domain", d.quotaMiB * MIB)
                .put("relayhost", "0");
        flag(json, "backupmx", 0);
        flag(json, "gal", 1);
        json.put("rl", false);
        flag(json, "active", d.active);
        flag(json, "relay_all_recipients", 0);
        flag(json, "relay_unknown_only", 0);
        return json.put("created", d.created)
                .putNull("modified")
                .put("aliases_in_domain", aliasCount)
                .put("aliases_left", d.maxAliases - aliasCount)
                .put("domain_admins", "-");
    }

    private ObjectNode mailboxJson(Mailbox m, boolean reduced, long allocatedMiB) {
        ObjectNode json = Json.object().put("username", m.username);
        flag(json, "active", m.active);
        json.put("domain", m.domain).put("name", m.name).put("local_part", m.localPart)
                .put("quota", m.quotaBytes).put("messages", 0);
        ObjectNode attributes = json.putObject("attributes");
        m.attributes.forEach(attributes::put);
        json.putArray("custom_attributes");
        json.put("quota_used", 0);
        // An unlimited mailbox shows "- " instead of a percentage.
        if (m.quotaBytes == 0) {
            json.put("percent_in_use", "- ");
        } else {
            json.put("percent_in_use", 0);
        }
        json.put("created", m.created).put("modified", m.modified).put("authsource", m.authsource)
                .put("percent_class", m.quotaBytes == 0 ? "info" : "success")
                .put("last_imap_login", 0).put("last_smtp_login", 0).put("last_pop3_login", 0).put("last_sso_login", 0);
        if (reduced) {
            return json;
        }
        json.put("max_new_quota", state.maxNewQuotaBytes(m, allocatedMiB)).put("spam_aliases", 0)
                .put("pushover_active", 0).put("rl", false).put("rl_scope", "domain").put("is_relayed", 0);
        json.putArray("sender_acl");
        return json;
    }

    private static ObjectNode aliasJson(Alias a) {
        ObjectNode json = Json.object().put("in_primary_domain", "").put("id", a.id).put("domain", a.domain)
                .put("public_comment", a.publicComment).put("private_comment", a.privateComment)
                .put("goto", a.gotoList).put("address", a.address)
                .put("is_catch_all", a.address.startsWith("@") ? 1 : 0).put("internal", 0);
        flag(json, "active", a.active);
        flag(json, "sogo_visible", a.sogoVisible);
        return json.put("sender_allowed", 0).put("created", a.created).put("modified", a.modified);
    }

    /** mailcow lists each flag twice: {@code name} and {@code name_int}, both integers. */
    private static void flag(ObjectNode json, String name, long value) {
        json.put(name, value).put(name + "_int", value);
    }

    private static JsonNode orEmptyObject(ArrayNode list) {
        return list.isEmpty() ? Json.object() : list;
    }
}
