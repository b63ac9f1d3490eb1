package org.ldapmailcow.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import javax.net.ssl.SSLContext;

/**
 * An in-process stand-in for mailcow's HTTP API ({@code /api/v1/...}) that answers the way the real one does,
 * as recorded in mailcow-api.md: errors as HTTP 200 {@code danger} entries, {@code {}} for missing items and
 * empty lists, PHP truthiness, mailboxes shadowed by hidden alias rows, and so on.
 *
 * <p>Used by the demo (ldap-mailcow-demo.jar), the integration tests and the benchmark. It binds to 127.0.0.1, serves
 * requests concurrently, records each of them, and can be slowed down ({@link #setWriteLatency}) or made to
 * fail ({@link #failNextRequests}, {@link #refuse}, {@link #emptyBodyOnce}, {@link #setAvailable}).
 */
public final class MailcowEmulator implements AutoCloseable {

    static {
        // The JDK server writes headers and body separately: without TCP_NODELAY, Nagle's algorithm and the
        // client's delayed ACK add about 40 ms to every keep-alive request. Read once, when the server loads.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final String apiKey;
    private final MailcowState state = new MailcowState(Clock.systemDefaultZone());
    private final MailboxWrites mailboxWrites = new MailboxWrites(state);
    private final ApiHandler.Settings settings = new ApiHandler.Settings();
    private final Faults faults = new Faults();
    private final List<RecordedRequest> requests = Collections.synchronizedList(new ArrayList<>());
    private volatile Consumer<RecordedRequest> listener = request -> { };
    private HttpServer server;
    private ExecutorService executor;

    public MailcowEmulator(String apiKey) {
        this.apiKey = apiKey;
    }

    /**
     * The emulator in a JVM of its own, for tests that kill or freeze mailcow as a process:
     * {@code <api key> <domain> [write latency in ms]}. Prints {@code listening <url>}, then one line per answered
     * request: {@code request <method> <endpoint> <status>}.
     */
    public static void main(String[] args) throws InterruptedException {
        MailcowEmulator mailcow = new MailcowEmulator(args[0]);
        mailcow.addDomain(args[1]);
        if (args.length > 2) {
            mailcow.setWriteLatency(Duration.ofMillis(Long.parseLong(args[2])));
        }
        mailcow.listener = request -> System.out.println("request " + request.endpoint() + " " + request.status());
        mailcow.start();
        System.out.println("listening " + mailcow.baseUrl());
        new CountDownLatch(1).await();
    }

    // ---- lifecycle

    /** Starts on a free port. */
    public MailcowEmulator start() {
        return start(0);
    }

    public synchronized MailcowEmulator start(int port) {
        return start(port, null);
    }

    /** Starts on a free port serving HTTPS with the given server key and certificate (as real mailcow does). */
    public MailcowEmulator startTls(SSLContext tls) {
        return start(0, tls);
    }

    private synchronized MailcowEmulator start(int port, SSLContext tls) {
        if (server != null) {
            throw new IllegalStateException("already started on port " + port());
        }
        try {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port);
            if (tls == null) {
                server = HttpServer.create(address, 128);
            } else {
                HttpsServer https = HttpsServer.create(address, 128);
                https.setHttpsConfigurator(new HttpsConfigurator(tls));
                server = https;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind 127.0.0.1:" + port, e);
        }
        AtomicInteger threads = new AtomicInteger();
        executor = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "mailcow-emulator-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.createContext("/", new ApiHandler(apiKey, settings, faults, state, request -> {
            requests.add(request);
            listener.accept(request);
        }));
        server.setExecutor(executor);
        server.start();
        return this;
    }

    public synchronized int port() {
        if (server == null) {
            throw new IllegalStateException("not started");
        }
        return server.getAddress().getPort();
    }

    /** E.g. {@code http://127.0.0.1:41234}, without a trailing slash; the API lives under {@code /api/v1/}. */
    public synchronized String baseUrl() {
        return (server instanceof HttpsServer ? "https://localhost:" : "http://127.0.0.1:") + port();
    }

    public String apiKey() {
        return apiKey;
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }

    // ---- seeding, without HTTP and without mailcow's checks

    /** Adds a domain with {@link DomainLimits#generous()} limits. */
    public MailcowEmulator addDomain(String domain) {
        return addDomain(domain, DomainLimits.generous());
    }

    public MailcowEmulator addDomain(String domain, DomainLimits limits) {
        String name = Php.idn(domain.strip());
        synchronized (state) {
            if (state.domain(name) != null) {
                throw new IllegalArgumentException("domain exists: " + name);
            }
            MailcowState.Domain row = state.insertDomain(name);
            row.description = name;
            limits.applyTo(row);
        }
        return this;
    }

    public void setDomainLimits(String domain, DomainLimits limits) {
        synchronized (state) {
            MailcowState.Domain row = state.domain(Php.idn(domain.strip()));
            if (row == null) {
                throw new IllegalArgumentException("no such domain: " + domain);
            }
            limits.applyTo(row);
        }
    }

    /** Adds an active or inactive mailcow-authenticated mailbox; a missing domain is created. */
    public MailcowEmulator addMailbox(String email, String name, boolean active) {
        return addMailbox(email, name, active, "mailcow");
    }

    /** The same with an authsource (stored as given: seeding skips the identity-provider check). */
    public MailcowEmulator addMailbox(String email, String name, boolean active, String authsource) {
        String localPart = Php.localPart(email.strip().toLowerCase(Locale.ROOT));
        String domain = Php.idn(Php.domainPart(email.strip()));
        if (localPart == null || !Php.isEmail(localPart + "@" + domain)) {
            throw new IllegalArgumentException("not a mailbox address: " + email);
        }
        ObjectNode data = Json.object().put("name", name).put("active", active ? 1 : 0);
        synchronized (state) {
            MailcowState.Domain row = domainFor(domain);
            if (state.aliasRow(localPart + "@" + domain) != null) {
                throw new IllegalArgumentException("address taken: " + email);
            }
            mailboxWrites.create(Call.mailbox("add", "mailbox", data), localPart, domain, row.defQuotaMiB, authsource);
        }
        return this;
    }

    /** Adds an alias (goto normalised like {@code add/alias} does) and returns its id; a missing domain is created. */
    public long addAlias(String address, String gotoList, boolean active) {
        return addAlias(address, gotoList, active, false);
    }

    public long addAlias(String address, String gotoList, boolean active, boolean sogoVisible) {
        String normalised = Php.normaliseAddress(address.strip());
        String gotos = String.join(",", Php.uniqueNonEmpty(Php.splitList(gotoList).stream()
                .filter(g -> !g.isEmpty()).map(Php::normaliseAddress).toList()));
        if (gotos.isEmpty() || normalised.equals("@") || normalised.equalsIgnoreCase(gotos)) {
            throw new IllegalArgumentException("need an address and a goto: " + address + " -> " + gotoList);
        }
        synchronized (state) {
            MailcowState.Domain row = domainFor(Php.domainPart(normalised));
            if (state.aliasRow(normalised) != null) {
                throw new IllegalArgumentException("address taken: " + normalised);
            }
            MailcowState.Alias alias = state.insertAlias(normalised, gotos, row.name);
            alias.active = active ? 1 : 0;
            alias.sogoVisible = sogoVisible ? 1 : 0;
            return alias.id;
        }
    }

    /** Adds an app password to an existing mailbox, as its user would in mailcow's UI; returns its id. */
    public long addAppPassword(String mailbox, String name) {
        synchronized (state) {
            MailcowState.Mailbox row = state.mailbox(mailbox);
            if (row == null) {
                throw new IllegalArgumentException("no such mailbox: " + mailbox);
            }
            return state.insertAppPassword(name, row, "{SSHA256}seeded", 1).id;
        }
    }

    /** The names of a mailbox's app passwords, in id order. */
    public List<String> appPasswords(String mailbox) {
        synchronized (state) {
            return state.appPasswordsOf(mailbox).stream().map(a -> a.name).toList();
        }
    }

    private MailcowState.Domain domainFor(String domain) {
        MailcowState.Domain row = state.domain(domain);
        if (row == null) {
            addDomain(domain);
            row = state.domain(domain);
        }
        return row;
    }

    // ---- inspection

    public Set<String> domains() {
        synchronized (state) {
            return state.domains().stream().map(d -> d.name).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /** The mailboxes, keyed by lower-cased username. */
    public Map<String, MailboxView> mailboxes() {
        synchronized (state) {
            return collect(state.mailboxes(), m -> m.username, m -> new MailboxView(m.username, m.name,
                    m.active != 0, m.quotaBytes, m.authsource,
                    m.acl.entrySet().stream().filter(e -> e.getValue() == 1).map(Map.Entry::getKey).toList(),
                    m.passwordSet, m.active == 2));
        }
    }

    /** The user aliases (not the mailboxes' hidden rows), keyed by lower-cased address. */
    public Map<String, AliasView> aliases() {
        synchronized (state) {
            return collect(state.aliasRows().stream().filter(a -> !a.isMailboxRow()).toList(), a -> a.address,
                    a -> new AliasView(a.id, a.address, a.gotoList, a.active != 0, a.sogoVisible != 0));
        }
    }

    private static <R, V> Map<String, V> collect(List<R> rows, Function<R, String> key, Function<R, V> view) {
        Map<String, V> map = new TreeMap<>();
        rows.forEach(row -> map.put(key.apply(row).toLowerCase(Locale.ROOT), view.apply(row)));
        return Collections.unmodifiableMap(map);
    }

    // ---- request log

    public List<RecordedRequest> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** The add/edit/delete requests received (POSTs, answered or not). */
    public long writeCount() {
        return requests().stream().filter(RecordedRequest::isWrite).count();
    }

    /** Requests per {@link RecordedRequest#endpoint()}, e.g. {@code GET get/mailbox/{item}}: 12. */
    public Map<String, Long> countByEndpoint() {
        return requests().stream()
                .collect(Collectors.groupingBy(RecordedRequest::endpoint, TreeMap::new, Collectors.counting()));
    }

    public void resetRequests() {
        requests.clear();
    }

    // ---- cost model (defaults: none)

    /** Time each GET takes on top of any per-item listing time (mailcow: 8-10 ms for a single item). */
    public void setReadLatency(Duration latency) {
        settings.readLatency = latency;
    }

    /** Time each add/edit/delete takes; requests still run in parallel. */
    public void setWriteLatency(Duration latency) {
        settings.writeLatency = latency;
    }

    /** Time per item returned by {@code get/mailbox/all|reduced} and {@code get/alias/all}. */
    public void setListingLatencyPerItem(Duration latency) {
        settings.listingLatencyPerItem = latency;
    }

    // ---- faults

    /** The next {@code count} requests get this HTTP status with nginx's HTML error page (e.g. 500 or 429). */
    public void failNextRequests(int count, int httpStatus) {
        faults.failNext(count, httpStatus);
    }

    /**
     * Matching write requests answer HTTP 200 with one {@code danger} entry with this msg, and change nothing.
     * Stays in force until {@link #clearFaults()}.
     */
    public void refuse(Predicate<RecordedRequest> when, String msgKey) {
        faults.refuse(when, msgKey);
    }

    /**
     * The next matching write request answers HTTP 200 with an empty body, as mailcow did under parallel deletes.
     * With {@code applyWrite} the change is made anyway (PHP died after writing), without it nothing changes.
     */
    public void emptyBodyOnce(Predicate<RecordedRequest> when, boolean applyWrite) {
        faults.emptyBodyOnce(when, applyWrite);
    }

    /** While false, every request gets nginx's 502 page: mailcow is starting or PHP is down. */
    public void setAvailable(boolean available) {
        faults.setAvailable(available);
    }

    /** Removes every fault: available again, no failures, refusals or empty bodies pending. */
    public void clearFaults() {
        faults.clear();
    }

    /**
     * Whether mailcow has an LDAP identity provider. Without one (the default), a mailbox added or edited with
     * {@code "authsource":"ldap"} is silently stored as {@code mailcow}.
     */
    public void setLdapIdentityProvider(boolean configured) {
        synchronized (state) {
            state.ldapIdentityProvider = configured;
        }
    }

    /** A second key that may read but gets 403 on add/edit/delete, like mailcow's read-only API key. */
    public void setReadOnlyApiKey(String key) {
        settings.readOnlyApiKey = key;
    }

    /** Only these client addresses may use a key, as mailcow's API {@code allow_from}; null allows all. */
    public void setAllowedIps(java.util.Set<String> ips) {
        settings.allowedIps = ips == null ? null : java.util.Set.copyOf(ips);
    }
}
