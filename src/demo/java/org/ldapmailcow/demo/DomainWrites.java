package org.ldapmailcow.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** {@code add/domain}; a missing field takes the value of mailcow's Default domain template. */
final class DomainWrites {

    private final MailcowState state;

    DomainWrites(MailcowState state) {
        this.state = state;
    }

    Outcome add(Call call, boolean admin) {
        Outcome out = new Outcome();
        if (!admin) {
            return out.danger(call, "access_denied").failed();
        }
        DomainLimits template = DomainLimits.mailcowDefault();
        String domain = Php.idn(Php.str(call.get("domain")).strip());
        long aliases = intOr(call.get("aliases"), template.maxAliases());
        long mailboxes = intOr(call.get("mailboxes"), template.maxMailboxes());
        long defQuota = intOr(call.get("defquota"), template.defQuotaMiB());
        long maxQuota = intOr(call.get("maxquota"), template.maxQuotaMiB());
        long quota = intOr(call.get("quota"), template.quotaMiB());
        if (defQuota > maxQuota) {
            return out.danger(call, "mailbox_defquota_exceeds_mailbox_maxquota").failed();
        }
        if (maxQuota > quota) {
            return out.danger(call, "mailbox_quota_exceeds_domain_quota").failed();
        }
        if (defQuota == 0) {
            return out.danger(call, "defquota_empty").failed();
        }
        if (maxQuota == 0) {
            return out.danger(call, "maxquota_empty").failed();
        }
        if (!Php.isValidDomainName(domain)) {
            return out.danger(call, "domain_invalid").failed();
        }
        if (state.domain(domain) != null) {
            return out.danger(call, "domain_exists", domain).failed();
        }
        MailcowState.Domain row = state.insertDomain(domain);
        row.description = Php.empty(call.get("description")) ? domain : Php.str(call.get("description"));
        new DomainLimits(mailboxes, aliases, defQuota, maxQuota, quota).applyTo(row);
        row.active = intOr(call.get("active"), 1);

        JsonNode selector = call.get("dkim_selector");
        ObjectNode dkim = Json.object().put("key_size", intOr(call.get("key_size"), 2048))
                .put("dkim_selector", Php.isset(selector) ? Php.str(selector) : "dkim").put("domains", domain);
        ArrayNode dkimLog = Json.array().add("dkim").add("add").add(dkim);
        return out.entry("success", dkimLog, "dkim_added", domain).success(call, "domain_added", domain);
    }

    private static long intOr(JsonNode value, long fallback) {
        return Php.isset(value) ? Php.intval(value) : fallback;
    }
}
