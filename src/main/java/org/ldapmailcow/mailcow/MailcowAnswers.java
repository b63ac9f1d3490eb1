package org.ldapmailcow.mailcow;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.ldapmailcow.model.SharedText;

/**
 * Reads mailcow's answers as its API really gives them: errors are HTTP 200 with {@code danger}/{@code error}
 * entries anywhere in the list (or a bare object), an empty listing is {@code {}} not {@code []}, and an empty
 * body is never a success.
 */
public class MailcowAnswers {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> ITEM = new TypeReference<>() { };

    /** The answer's JSON, or null for an empty body (mailcow's answer to a request it did not authenticate). */
    public Object parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return JSON.readValue(body, Object.class);
        } catch (JsonProcessingException e) {
            String start = body.strip();
            throw MailcowRefusedException.unknownOutcome("answer is not JSON: "
                    + start.substring(0, Math.min(80, start.length())));
        }
    }

    /** {@link #domains}, read from the answer as it arrives. */
    public List<String> domainListing(InputStream body) {
        return readListing(body, MailcowAnswers::domain);
    }

    /** {@link #mailboxes}, read from the answer as it arrives, item by item. */
    public List<Mailbox> mailboxListing(InputStream body) {
        return readListing(body, MailcowAnswers::mailbox);
    }

    /** {@link #aliases}, read from the answer as it arrives, item by item. */
    public List<Alias> aliasListing(InputStream body) {
        return readListing(body, MailcowAnswers::alias);
    }

    /**
     * A listing read from the answer's stream one item at a time: only the records are kept, never the answer's
     * text nor every item as a map (at 50,000 mailboxes the listing is about 40 MB of JSON). Anything but an array
     * is read whole and judged as {@link #listing} does. Items mapped to null are left out.
     */
    private <T> List<T> readListing(InputStream body, Function<Map<String, Object>, T> item) {
        if (body == null) {
            return mapItems(listing(null), item);
        }
        try (JsonParser parser = JSON.createParser(body)) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_ARRAY) {
                return mapItems(listing(first == null ? null : parser.readValueAs(Object.class)), item);
            }
            List<T> items = new ArrayList<>();
            for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
                if (token == null) {
                    throw MailcowRefusedException.unknownOutcome("the listing ends before its closing bracket");
                }
                if (token == JsonToken.START_OBJECT) {
                    T value = item.apply(parser.readValueAs(ITEM));
                    if (value != null) {
                        items.add(value);
                    }
                } else {
                    parser.skipChildren();
                }
            }
            return items;
        } catch (JsonProcessingException e) {
            throw MailcowRefusedException.unknownOutcome("answer is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("reading a mailcow listing: " + e.getMessage(), e);
        }
    }

    private static <T> List<T> mapItems(List<Map<String, Object>> listing, Function<Map<String, Object>, T> item) {
        return listing.stream().map(item).filter(Objects::nonNull).toList();
    }


    /** A listing: {@code {}} is empty, a JSON array is the items; anything else is a failure. */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> listing(Object body) {
        if (body instanceof List<?> list) {
            return (List<Map<String, Object>>) list;
        }
        if (body instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                return List.of();
            }
            throw new MailcowRefusedException(describe(map));
        }
        throw new MailcowRefusedException("empty answer to a listing (is the API key accepted?)");
    }

    /** Checks a write's answer; returns the success entries' messages. */
    public List<Object> checkWrite(Object body) {
        List<Map<?, ?>> entries = entries(body);
        List<String> problems = new ArrayList<>();
        List<Object> successes = new ArrayList<>();
        for (Map<?, ?> entry : entries) {
            String type = String.valueOf(entry.get("type")).toLowerCase(Locale.ROOT);
            if (type.equals("danger") || type.equals("error")) {
                problems.add(describe(entry));
            } else if (type.equals("success")) {
                successes.add(entry.get("msg"));
            }
        }
        if (!problems.isEmpty()) {
            throw new MailcowRefusedException(String.join("; ", problems));
        }
        if (successes.isEmpty()) {
            throw new MailcowRefusedException("no success entry in the answer");
        }
        return successes;
    }

    /**
     * For a write naming several items (bulk {@code edit/mailbox}): the items mailcow reported as done, read
     * from its success messages such as {@code ["mailbox_modified","alice@example.local"]}. Errors do not throw.
     */
    public Set<String> succeededItems(Object body) {
        Set<String> done = new LinkedHashSet<>();
        for (Map<?, ?> entry : entries(body)) {
            if ("success".equals(entry.get("type")) && entry.get("msg") instanceof List<?> msg && msg.size() > 1) {
                done.add(String.valueOf(msg.get(1)).toLowerCase(Locale.ROOT));
            }
        }
        return done;
    }

    /** Problems of a bulk write, one string per danger entry (empty when all went through). */
    public List<String> problems(Object body) {
        List<String> problems = new ArrayList<>();
        for (Map<?, ?> entry : entries(body)) {
            if (!"success".equals(entry.get("type")) && !"info".equals(entry.get("type"))
                    && !"warning".equals(entry.get("type"))) {
                problems.add(describe(entry));
            }
        }
        return problems;
    }

    /**
     * The ids of {@code get/app-passwd/all/<mailbox>}: {@code {}} when it has none (or mailcow does not know the
     * mailbox). Nothing else of the answer is kept: it carries each password's hash.
     */
    public List<Object> appPasswordIds(Object body) {
        return listing(body).stream().map(m -> m.get("id")).filter(Objects::nonNull).toList();
    }

    public List<Mailbox> mailboxes(Object body) {
        return mapItems(listing(body), MailcowAnswers::mailbox);
    }

    public List<Alias> aliases(Object body) {
        return mapItems(listing(body), MailcowAnswers::alias);
    }

    public List<String> domains(Object body) {
        return mapItems(listing(body), MailcowAnswers::domain);
    }

    private static Mailbox mailbox(Map<String, Object> m) {
        // active 2: mailcow's "disallow login", mail still accepted
        return m.get("username") == null ? null : new Mailbox(SharedText.of(m.get("username")),
                m.get("name") == null ? "" : SharedText.of(m.get("name")), truthy(m.get("active")),
                SharedText.of(m.get("authsource")), "2".equals(String.valueOf(m.get("active"))));
    }

    private static Alias alias(Map<String, Object> m) {
        return m.get("address") == null ? null : new Alias(String.valueOf(m.get("id")), SharedText.of(m.get("address")),
                m.get("goto") == null ? "" : SharedText.of(m.get("goto")), truthy(m.get("active")),
                m.containsKey("sogo_visible") ? truthy(m.get("sogo_visible")) : null);
    }

    private static String domain(Map<String, Object> d) {
        return d.get("domain_name") == null ? null : String.valueOf(d.get("domain_name"));
    }

    private static List<Map<?, ?>> entries(Object body) {
        List<Map<?, ?>> entries = new ArrayList<>();
        if (body instanceof Map<?, ?> map) {
            entries.add(map);
        } else if (body instanceof Collection<?> list) {
            list.stream().filter(Map.class::isInstance).map(e -> (Map<?, ?>) e).forEach(entries::add);
        }
        if (entries.isEmpty()) {
            throw MailcowRefusedException.unknownOutcome("empty or unreadable answer");
        }
        return entries;
    }

    /** mailcow's own words: its msg (a key or a [key, args...] list), without the log (it may echo data). */
    private static String describe(Map<?, ?> entry) {
        Object msg = entry.get("msg");
        if (msg instanceof List<?> list) {
            return String.join(" ", list.stream().map(String::valueOf).toList());
        }
        return String.valueOf(msg);
    }

    private static boolean truthy(Object value) {
        if (value instanceof Number n) {
            return n.intValue() != 0;
        }
        return "1".equals(String.valueOf(value)) || "2".equals(String.valueOf(value)) || Boolean.TRUE.equals(value);
    }
}
