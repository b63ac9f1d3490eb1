package org.ldapmailcow.sync;

import org.ldapmailcow.ops.Secrets;
import org.ldapmailcow.directory.ProxyAddresses;
import org.ldapmailcow.model.Plan;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.ldapmailcow.config.Settings;
import org.ldapmailcow.directory.Directory;
import org.ldapmailcow.mailcow.MailcowView;
import org.ldapmailcow.state.SyncState;

/** The explain route's last step: what it read, explained with the cycle's own planner ({@link Cycles#preview}). */
public class Explainer {

    private final Cycles cycles;
    private final Explanation explanation;

    public Explainer(Settings settings, Cycles cycles) {
        this.cycles = cycles;
        this.explanation = new Explanation(new Exclusions(settings.exclude), settings.aliasAttributes);
    }

    public Explanation.Result explain(Exchange exchange) {
        Explanation.Input in = new Explanation.Input(exchange.getVariable("address", String.class),
                exchange.getVariable("directory", Directory.class), exchange.getVariable("mailcow", MailcowView.class),
                exchange.getVariable("state", SyncState.class), map(exchange.getVariable("mailboxNow")),
                map(exchange.getVariable("aliasNow")), rows(exchange, "userRows"), rows(exchange, "aliasRows"),
                rows(exchange, "journal"), rows(exchange, "heldIn"));
        Plan[] plans = null;
        String abort = null;
        try {
            plans = cycles.preview(in.directory(), in.mailcow(), in.state());
        } catch (RuntimeException e) {
            abort = Secrets.safeMessage(e);
        }
        return explanation.explain(in, plans == null ? null : plans[0], plans == null ? null : plans[1], abort);
    }

    /** mailcow answers {} for a missing item; anything but an object counts as missing. */
    private static Map<?, ?> map(Object answer) {
        return answer instanceof Map<?, ?> m ? m : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rows(Exchange exchange, String name) {
        Object rows = exchange.getVariable(name);
        return rows instanceof List<?> list ? (List<Map<String, Object>>) list : List.of();
    }
}
