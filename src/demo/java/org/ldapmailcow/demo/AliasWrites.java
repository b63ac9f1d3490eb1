package org.ldapmailcow.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import org.ldapmailcow.demo.MailcowState.Alias;

import java.util.ArrayList;
import java.util.List;

/** {@code add/alias}, {@code edit/alias} and {@code delete/alias}, in mailcow's check order. */
final class AliasWrites {

    private final MailcowState state;

    AliasWrites(MailcowState state) {
        this.state = state;
    }

    Outcome add(Call call, boolean admin) {
        Outcome out = new Outcome();
        List<String> addresses = Php.splitList(Php.str(call.get("address")));
        List<String> gotos = Php.splitList(Php.str(call.get("goto")));
        if (Php.str(call.get("private_comment")).length() > 160 || Php.str(call.get("public_comment")).length() > 160) {
            return out.danger(call, "comment_too_long").failed();
        }
        if (Php.empty(addresses.get(0))) {
            return out.danger(call, "alias_empty").failed();
        }
        String special = specialGoto(call);
        if (Php.empty(gotos.get(0)) && special == null) {
            return out.danger(call, "goto_empty").failed();
        }
        String gotoList = special;
        if (special == null) {
            gotos = validGotosForAdd(call, gotos, out);
            if (gotos.isEmpty()) {
                return out.failed();
            }
            gotoList = String.join(",", gotos);
        }
        for (String address : addresses) {
            // address == goto is skipped silently: nothing created, nothing logged.
            if (Php.empty(address) || gotos.contains(address)) {
                continue;
            }
            String local = Php.localPart(address);
            String domain = Php.idn(Php.domainPart(address));
            String normalised = (local == null ? "" : local) + "@" + domain;
            MailcowState.Domain domainRow = state.domain(domain);
            if (admin && domainRow != null && domainRow.maxAliases - state.aliasCount(domain) == 0) {
                return out.danger(call, "max_alias_exceeded").failed();
            }
            if (state.aliasRow(normalised) != null) {
                out.danger(call, "is_alias_or_mailbox", normalised);
            } else if (domainRow == null) {
                out.danger(call, "domain_not_found", domain);
            } else if (!Php.isEmail(normalised) && !Php.empty(local)) {
                out.danger(call, "alias_invalid", normalised);
            } else if (!admin) {
                out.danger(call, "access_denied");
            } else {
                // An address without a local part is a catch-all, stored as "@domain".
                Alias alias = state.insertAlias(Php.isEmail(normalised) ? normalised : "@" + domain, gotoList, domain);
                alias.active = Php.intval(call.get("active"));
                alias.sogoVisible = Php.intval(call.get("sogo_visible"));
                alias.publicComment = nullableText(call.get("public_comment"));
                alias.privateComment = nullableText(call.get("private_comment"));
                out.success(call, "alias_added", normalised, String.valueOf(alias.id));
            }
        }
        return out;
    }

    /** add/alias keeps a goto's local part as given and lower-cases its domain; the invalid ones are reported. */
    private static List<String> validGotosForAdd(Call call, List<String> gotos, Outcome out) {
        List<String> kept = new ArrayList<>();
        for (String goTo : gotos) {
            if (Php.empty(goTo)) {
                continue;
            }
            String normalised = Php.normaliseAddress(goTo);
            if (Php.isEmail(normalised)) {
                kept.add(normalised);
            } else {
                out.danger(call, "goto_invalid", normalised);
            }
        }
        return Php.uniqueNonEmpty(kept);
    }

    Outcome edit(Call call, boolean admin) {
        Outcome out = new Outcome();
        // PHP reuses $address from the previous item, so a missing first item reports null.
        JsonNode lastAddress = NullNode.getInstance();
        for (JsonNode item : call.list("id")) {
            Alias alias = admin ? state.visibleAlias(item) : null;
            if (alias == null) {
                out.danger(call, "alias_invalid", lastAddress);
                continue;
            }
            String address = Php.empty(call.get("address")) ? alias.address : Php.str(call.get("address"));
            String domain = Php.idn(Php.domainPart(address));
            if (!alias.address.equals(address)) {
                String local = Php.localPart(address);
                address = (local == null ? "" : local) + "@" + domain;
                lastAddress = Json.node(address);
                if (state.domain(domain) == null) {
                    out.danger(call, "access_denied");
                    continue;
                }
                if (!Php.isEmail(address) && !Php.empty(local)) {
                    out.danger(call, "alias_invalid", address);
                    continue;
                }
                if (!alias.address.equalsIgnoreCase(address) && state.aliasRow(address) != null) {
                    out.danger(call, "is_alias_or_mailbox", address);
                    continue;
                }
            }
            lastAddress = Json.node(address);
            String gotoList = specialGoto(call);
            if (gotoList == null) {
                String given = Php.empty(call.get("goto")) ? alias.gotoList : Php.str(call.get("goto"));
                gotoList = String.join(",", validGotosForEdit(call, given, address, out));
            }
            // An empty result leaves the whole alias untouched, yet mailcow still reports alias_modified.
            if (!gotoList.isEmpty()) {
                update(call, alias, address, domain, gotoList);
            }
            out.success(call, "alias_modified", address);
        }
        return out;
    }

    /** edit/alias stores each goto exactly as given (no lower-casing), dropping invalid ones and the alias itself. */
    private static List<String> validGotosForEdit(Call call, String given, String address, Outcome out) {
        List<String> kept = new ArrayList<>();
        for (String goTo : Php.splitList(given)) {
            if (Php.empty(goTo)) {
                continue;
            }
            if (!Php.isEmail(goTo)) {
                out.danger(call, "goto_invalid", goTo);
            } else if (goTo.equals(address)) {
                out.danger(call, "alias_goto_identical");
            } else {
                kept.add(goTo);
            }
        }
        return Php.uniqueNonEmpty(kept);
    }

    private void update(Call call, Alias alias, String address, String domain, String gotoList) {
        if (!alias.address.equals(address)) {
            state.renameAlias(alias, address);
        }
        state.changeAlias(alias, () -> {
            alias.domain = domain;
            alias.gotoList = gotoList;
        });
        if (Php.isset(call.get("active"))) {
            alias.active = Php.intval(call.get("active"));
        }
        if (Php.isset(call.get("sogo_visible"))) {
            alias.sogoVisible = Php.intval(call.get("sogo_visible"));
        }
        if (Php.isset(call.get("public_comment"))) {
            alias.publicComment = Php.str(call.get("public_comment"));
        }
        if (Php.isset(call.get("private_comment"))) {
            alias.privateComment = Php.str(call.get("private_comment"));
        }
        alias.modified = state.now();
    }

    Outcome delete(Call call, boolean admin) {
        Outcome out = new Outcome();
        for (JsonNode item : call.list("id")) {
            Alias alias = admin ? state.visibleAlias(item) : null;
            if (alias == null) {
                out.danger(call, "access_denied");
                continue;
            }
            state.removeAlias(alias);
            out.success(call, "alias_removed", alias.address);
        }
        return out;
    }

    /** goto_null, goto_spam and goto_ham replace the goto list; null when none of them is 1. */
    private static String specialGoto(Call call) {
        if (Php.intval(call.get("goto_null")) == 1) {
            return "null@localhost";
        }
        if (Php.intval(call.get("goto_spam")) == 1) {
            return "spam@localhost";
        }
        return Php.intval(call.get("goto_ham")) == 1 ? "ham@localhost" : null;
    }

    private static String nullableText(JsonNode value) {
        return Php.isset(value) ? Php.str(value) : null;
    }
}
