package org.ldapmailcow.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * mailcow's {@code json_api.php} in front of the emulated state: key check, JSON check, the order of its
 * method/route checks, then the route. Faults and latencies are applied here so the store stays plain.
 */
final class ApiHandler implements HttpHandler {

    /** The knobs the emulator changes while it runs. */
    static final class Settings {
        volatile String readOnlyApiKey;
        /** mailcow's API allow list ({@code allow_from}); null allows every client address. */
        volatile java.util.Set<String> allowedIps;
        volatile Duration readLatency = Duration.ZERO;
        volatile Duration writeLatency = Duration.ZERO;
        volatile Duration listingLatencyPerItem = Duration.ZERO;
    }

    private enum Access { ADMIN, READ_ONLY, ANONYMOUS }

    private record Answer(int status, String contentType, String body) {
    }

    @FunctionalInterface
    private interface Operation {
        Outcome run(Call call, boolean admin);
    }

    private record Write(Call call, Operation operation) {
    }

    private final String apiKey;
    private final Settings settings;
    private final Faults faults;
    private final MailcowState state;
    private final Listings listings;
    private final DomainWrites domains;
    private final MailboxWrites mailboxes;
    private final AliasWrites aliases;
    private final AppPasswordWrites appPasswords;
    private final Consumer<RecordedRequest> recorder;
    private final Sessions sessions = new Sessions();

    ApiHandler(String apiKey, Settings settings, Faults faults, MailcowState state,
               Consumer<RecordedRequest> recorder) {
        this.apiKey = apiKey;
        this.settings = settings;
        this.faults = faults;
        this.state = state;
        this.listings = new Listings(state);
        this.domains = new DomainWrites(state);
        this.mailboxes = new MailboxWrites(state);
        this.aliases = new AliasWrites(state);
        this.appPasswords = new AppPasswordWrites(state);
        this.recorder = recorder;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            RecordedRequest request = new RecordedRequest(Instant.now(), exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath(), exchange.getRequestURI().getRawQuery(),
                    copy(exchange.getRequestHeaders()), body, 0, null);
            Answer answer;
            try {
                answer = answer(request, exchange.getRemoteAddress().getAddress().getHostAddress());
            } catch (RuntimeException bug) {
                answer = html(500);
            }
            // Recorded before the answer leaves, so a client that got it already finds it in requests().
            recorder.accept(request.answered(answer.status(), answer.body()));
            // PHP answers (not nginx's error pages) start a session for a request that names none
            if (answer.contentType().equals("application/json") && Sessions.of(request.headers().get("cookie")) == null) {
                exchange.getResponseHeaders().add("Set-Cookie", Sessions.COOKIE + "=" + sessions.newSession() + "; path=/; HttpOnly");
            }
            send(exchange, answer);
        } finally {
            exchange.close();
        }
    }

    private Answer answer(RecordedRequest request, String client) {
        if (!faults.available()) {
            return html(502);
        }
        int failure = faults.takeFailure();
        if (failure != 0) {
            return html(failure);
        }
        List<String> route = request.route();
        if (route.isEmpty()) {
            return error(404, "route not found");
        }
        Access access = access(request.header("X-API-Key"));
        if (access == null) {
            return error(401, "authentication failed");
        }
        java.util.Set<String> allowed = settings.allowedIps;
        if (access != Access.ANONYMOUS && allowed != null && !allowed.contains(client)) {
            return error(401, "api access denied for ip " + client);
        }
        String action = route.get(0);
        String contentType = request.header("Content-Type");
        JsonNode body = null;
        // Like json_api.php: the body is read only when declared as JSON, and must then be valid (except on get).
        if (contentType != null && contentType.contains("application/json") && !action.equals("get")) {
            body = Json.parse(request.body());
            if (body == null) {
                return error(400, "Request body doesn't contain valid json!");
            }
        }
        return switch (action) {
            case "get" -> get(request, route, access);
            case "add", "edit", "delete" -> write(request, route, access, body);
            default -> error(404, "route not found");
        };
    }

    private Access access(String key) {
        if (key == null) {
            return Access.ANONYMOUS;
        }
        if (key.equals(apiKey)) {
            return Access.ADMIN;
        }
        return key.equals(settings.readOnlyApiKey) ? Access.READ_ONLY : null;
    }

    private Answer get(RecordedRequest request, List<String> route, Access access) {
        if (!request.method().equals("GET")) {
            return error(405, "only GET method is allowed");
        }
        if (access == Access.ANONYMOUS) {
            return new Answer(200, "application/json", "");
        }
        String category = segment(route, 1);
        String object = segment(route, 2);
        String extra = segment(route, 3);
        boolean mailboxListing = object.equals("all") || object.equals("reduced");
        JsonNode data;
        synchronized (state) {
            data = switch (category) {
                case "domain" -> object.equals("all") ? listings.domains() : listings.domain(object);
                case "mailbox" -> mailboxListing ? listings.mailboxes(extra, object.equals("reduced"))
                        : listings.mailbox(object);
                case "alias" -> object.equals("all") ? listings.aliases(extra) : listings.alias(object);
                case "app-passwd" -> object.equals("all") ? listings.appPasswords(extra) : Json.object();
                default -> null;
            };
        }
        if (data == null) {
            return error(404, "route not found");
        }
        pause(settings.readLatency);
        boolean listing = category.equals("mailbox") && mailboxListing
                || category.equals("alias") && object.equals("all");
        if (listing && data.isArray()) {
            pause(settings.listingLatencyPerItem.multipliedBy(data.size()));
        }
        return json(200, data);
    }

    private Answer write(RecordedRequest request, List<String> route, Access access, JsonNode body) {
        String action = route.get(0);
        if (access == Access.READ_ONLY || access == Access.ANONYMOUS && !action.equals("add")) {
            return error(403, "API read/write access denied");
        }
        if (body == null) {
            return json(200, Json.message("error", "Cannot find attributes in post data"));
        }
        if (!request.method().equals("POST")) {
            return error(405, "only POST method is allowed");
        }
        Write write = route(action + "/" + segment(route, 1), body);
        if (write == null) {
            return error(404, "route not found");
        }
        String session = Sessions.of(request.headers().get("cookie"));
        if (session == null) {
            pause(settings.writeLatency);
        }
        Faults.Refusal refusal = faults.refusalFor(request);
        JsonNode messages;
        if (refusal != null) {
            messages = new Outcome().danger(write.call(), refusal.msgKey()).toJson("");
        } else {
            Faults.EmptyBody emptyBody = faults.takeEmptyBody(request);
            Outcome outcome = null;
            if (emptyBody == null || emptyBody.applyWrite()) {
                synchronized (state) {
                    outcome = write.operation().run(write.call(), access == Access.ADMIN);
                }
            }
            if (emptyBody != null) {
                return new Answer(200, "application/json", "");
            }
            messages = outcome.toJson("Cannot " + action + " item");
        }
        if (session == null) {
            return json(200, messages);
        }
        // The messages go through the session: the answer is whatever it holds when this request ends,
        // other concurrent writes' messages included; none left is an empty body.
        sessions.add(session, messages);
        pause(settings.writeLatency);
        JsonNode answer = sessions.take(session);
        return answer == null ? new Answer(200, "application/json", "") : json(200, answer);
    }

    /** The write routes; edit takes {"items", "attr"}, delete a bare array of items. */
    private Write route(String route, JsonNode body) {
        ObjectNode attributes = body.isObject() ? (ObjectNode) body : Json.object();
        ObjectNode users = Call.itemsWithAttr("username", body);
        ObjectNode ids = Call.itemsWithAttr("id", body);
        return switch (route) {
            case "add/domain" -> new Write(Call.mailbox("add", "domain", attributes), domains::add);
            case "add/mailbox" -> new Write(Call.mailbox("add", "mailbox", attributes), mailboxes::add);
            case "add/alias" -> new Write(Call.mailbox("add", "alias", attributes), aliases::add);
            case "edit/mailbox" -> new Write(Call.mailbox("edit", "mailbox", users), mailboxes::edit);
            case "edit/alias" -> new Write(Call.mailbox("edit", "alias", ids), aliases::edit);
            case "edit/user-acl" -> new Write(Call.userAcl(users), mailboxes::editUserAcl);
            case "delete/mailbox" -> new Write(Call.mailbox("delete", "mailbox", items("username", body)),
                    mailboxes::delete);
            case "delete/alias" -> new Write(Call.mailbox("delete", "alias", items("id", body)), aliases::delete);
            case "add/app-passwd" -> new Write(Call.appPasswd("add", attributes), appPasswords::add);
            case "delete/app-passwd" -> new Write(Call.appPasswd("delete", items("id", body)), appPasswords::delete);
            default -> null;
        };
    }

    private static ObjectNode items(String key, JsonNode body) {
        ObjectNode data = Json.object();
        data.set(key, Call.asPhpArray(body));
        return data;
    }

    private static String segment(List<String> route, int index) {
        return index < route.size() ? route.get(index) : "";
    }

    private static void pause(Duration duration) {
        if (duration.isZero() || duration.isNegative()) {
            return;
        }
        try {
            Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Answer json(int status, JsonNode body) {
        return new Answer(status, "application/json", Json.write(body));
    }

    private static Answer error(int status, String msg) {
        return json(status, Json.message("error", msg));
    }

    /** nginx's own error page, as a client sees it when PHP or the whole stack is not answering. */
    private static Answer html(int status) {
        String title = status + " " + REASONS.getOrDefault(status, "Error");
        String page = "<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>" + title
                + "</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
        return new Answer(status, "text/html", page);
    }

    private static final Map<Integer, String> REASONS = Map.of(400, "Bad Request", 404, "Not Found",
            429, "Too Many Requests", 500, "Internal Server Error", 502, "Bad Gateway",
            503, "Service Temporarily Unavailable", 504, "Gateway Time-out");

    private static void send(HttpExchange exchange, Answer answer) throws IOException {
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", answer.contentType());
        exchange.getResponseHeaders().set("Server", "nginx");
        exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static Map<String, List<String>> copy(Headers headers) {
        Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> copy.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
        return Collections.unmodifiableMap(copy);
    }
}
