package org.ldapmailcow.demo;

import com.fasterxml.jackson.databind.JsonNode;
import org.ldapmailcow.demo.MailcowState.AppPassword;
import org.ldapmailcow.demo.MailcowState.Mailbox;

import java.util.List;

/**
 * {@code add/app-passwd} and {@code delete/app-passwd}, read from mailcow's {@code app_passwd()} in
 * {@code data/web/inc/functions.app_passwd.inc.php} (not captured from a running mailcow): the checks in its
 * order, its messages, and its {@code return false} that stops a delete at the first unknown id.
 */
final class AppPasswordWrites {

    private static final List<String> PROTOCOLS = List.of("imap_access", "smtp_access", "dav_access", "eas_access",
            "pop3_access", "sieve_access");

    private final MailcowState state;

    AppPasswordWrites(MailcowState state) {
        this.state = state;
    }

    /**
     * {@code app_passwd('add', $attr)}: the mailbox named by {@code username} (an admin may name any existing
     * one), then the password policy, the repeat, the name.
     */
    Outcome add(Call call, boolean admin) {
        Outcome out = new Outcome();
        Mailbox mailbox = owner(call, admin);
        if (mailbox == null) {
            return out.danger(call, "access_denied").failed();
        }
        String password = Php.str(call.get("app_passwd"));
        if (password.length() < 6) {
            // mailcow's default password policy ($PASSWD_REGEP): at least 6 characters
            return out.danger(call, "password_complexity").failed();
        }
        if (!password.equals(Php.str(call.get("app_passwd2")))) {
            return out.danger(call, "password_mismatch").failed();
        }
        String name = htmlSpecialChars(Php.str(call.get("app_name")).strip());
        if (Php.empty(name)) {
            return out.danger(call, "app_name_empty").failed();
        }
        AppPassword row = state.insertAppPassword(name, mailbox, "{SSHA256}" + Integer.toHexString(password.hashCode()),
                Php.intval(call.get("active")));
        List<String> wanted = call.list("protocols").stream().map(Php::str).toList();
        PROTOCOLS.forEach(p -> row.protocols.put(p, wanted.contains(p) ? 1 : 0));
        return out.success(call, "app_passwd_added");
    }

    /** {@code app_passwd('delete', array('id' => $items))}: the first id it cannot find ends the call. */
    Outcome delete(Call call, boolean admin) {
        Outcome out = new Outcome();
        for (JsonNode item : call.list("id")) {
            AppPassword row = Php.isset(item) && !item.isContainerNode() ? state.appPassword(Php.intval(item)) : null;
            if (row == null) {
                return out.danger(call, "app_passwd_id_invalid").failed();
            }
            if (!admin) {
                return out.danger(call, "access_denied").failed();
            }
            state.removeAppPassword(row);
            out.success(call, "app_passwd_removed", Php.str(item));
        }
        return out;
    }

    /** {@code hasMailboxObjectAccess()} for the API's admin: the mailbox must exist. */
    private Mailbox owner(Call call, boolean admin) {
        String username = Php.str(call.get("username"));
        if (!admin || !Php.isEmail(username)) {
            return null;
        }
        return state.mailbox(username);
    }

    static String htmlSpecialChars(String text) {
        return text.replace("&", "&amp;").replace("\"", "&quot;").replace("'", "&#039;").replace("<", "&lt;")
                .replace(">", "&gt;");
    }
}
