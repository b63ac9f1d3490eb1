package org.ldapmailcow.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.management.GarbageCollectionNotificationInfo;
import org.ldapmailcow.SyncService;
import org.ldapmailcow.config.Settings;
import org.ldapmailcow.directory.DirectorySearch;
import org.ldapmailcow.directory.DirectoryType;
import org.ldapmailcow.directory.JndiDirectorySearch;
import org.ldapmailcow.ldap.LdapContextFactory;
import org.ldapmailcow.ops.HeapHeadroom;
import org.ldapmailcow.model.CycleRun;

/**
 * The service side of the benchmark, in a JVM of its own: the real {@link SyncService} (camel-main, the YAML
 * routes, SQLite) configured from the LDAP_MAILCOW_* environment, driven by {@link Benchmark} over stdin:
 * <ul>
 * <li>{@code cycle}: one sync cycle, timed around {@link SyncService#runCycle()};</li>
 * <li>{@code floor}: the reads a cycle cannot avoid, alone: the paged user and group searches (same filters,
 * attributes and page size, through the same JNDI paging as camel-ldap) and the three bulk GETs, bodies read
 * but not parsed;</li>
 * <li>{@code exit}: peak resident memory (VmHWM), peak heap, then stop.</li>
 * </ul>
 * Answers are single JSON lines on stderr prefixed {@value #PREFIX}; the service's own log goes to stdout.
 */
public final class BenchService {

    static final String PREFIX = "BENCH ";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintStream answers;
    private final Settings settings;
    private final HeapPeak heap = new HeapPeak();

    private BenchService(PrintStream answers, Settings settings) {
        this.answers = answers;
        this.settings = settings;
    }

    public static void main(String[] args) throws Exception {
        PrintStream answers = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        BenchService bench = new BenchService(answers, Settings.from(System.getenv()));
        bench.run();
    }

    private void run() throws Exception {
        long mainStarted = System.nanoTime();
        try (SyncService service = new SyncService(settings, true)) {
            service.start();
            long camelStarted = System.nanoTime();
            service.prepare();
            Map<String, Object> ready = new LinkedHashMap<>();
            ready.put("cmd", "ready");
            ready.put("jvmUptimeMs", ManagementFactory.getRuntimeMXBean().getUptime());
            ready.put("camelStartMs", (camelStarted - mainStarted) / 1_000_000);
            ready.put("prepareMs", (System.nanoTime() - camelStarted) / 1_000_000);
            answer(ready);

            BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String command; (command = commands.readLine()) != null; ) {
                switch (command.strip()) {
                    case "cycle" -> answer(cycle(service));
                    case "floor" -> answer(floor());
                    case "exit" -> {
                        answer(memory());
                        return;
                    }
                    default -> answer(Map.of("cmd", "error", "message", "unknown command " + command));
                }
            }
        }
    }

    private Map<String, Object> cycle(SyncService service) {
        long t0 = System.nanoTime();
        CycleRun run = service.runCycle();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("cmd", "cycle");
        result.put("ms", ms);
        result.put("number", run.number);
        result.put("full", run.full);
        result.put("directoryRead", String.valueOf(run.directoryRead()));
        result.put("succeeded", run.succeeded());
        result.put("applied", run.appliedCounts());
        result.put("failures", run.failures().size());
        result.put("firstFailures", run.failures().stream().limit(3).toList());
        result.put("usersRead", run.plan() == null ? 0 : run.plan().usersRead());
        result.put("groupsRead", run.plan() == null ? 0 : run.plan().groupsRead());
        result.put("error", run.error());
        return result;
    }

    /** The unavoidable reads of a full cycle, alone and in the order the cycle makes them. */
    private Map<String, Object> floor() throws Exception {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("cmd", "floor");
        long total = 0;
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        long bytes = 0;
        for (String path : List.of("get/domain/all", "get/mailbox/reduced", "get/alias/all")) {
            long t0 = System.nanoTime();
            HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(settings.apiHost + "/api/v1/" + path))
                    .header("X-API-Key", settings.apiKey()).timeout(settings.apiReadTimeout).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            // read to the end but not kept: the service's own memory is what is measured
            try (InputStream body = response.body()) {
                byte[] buffer = new byte[16384];
                for (int n; (n = body.read(buffer)) >= 0; ) {
                    bytes += n;
                }
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            if (response.statusCode() != 200) {
                throw new IOException(path + " answered HTTP " + response.statusCode());
            }
            result.put(path, ms);
            total += ms;
        }
        result.put("httpBytes", bytes);

        JndiDirectorySearch search = new JndiDirectorySearch(LdapContextFactory.create(settings), settings.pageSize);
        // page by page, counted and dropped
        AtomicInteger users = new AtomicInteger();
        long t0 = System.nanoTime();
        search.searchPages(settings.baseDn, DirectorySearch.SUBTREE, settings.userFilter,
                page -> users.addAndGet(page.size()), DirectoryType.AD.userAttributes().toArray(String[]::new));
        long usersMs = (System.nanoTime() - t0) / 1_000_000;
        AtomicInteger groups = new AtomicInteger();
        t0 = System.nanoTime();
        search.searchPages(settings.baseDn, DirectorySearch.SUBTREE, settings.groupFilter,
                page -> groups.addAndGet(page.size()), DirectoryType.AD.groupAttributes().toArray(String[]::new));
        long groupsMs = (System.nanoTime() - t0) / 1_000_000;
        result.put("ldapUsers", usersMs);
        result.put("ldapGroups", groupsMs);
        result.put("usersFound", users.get());
        result.put("groupsFound", groups.get());
        result.put("ms", total + usersMs + groupsMs);
        return result;
    }

    private Map<String, Object> memory() throws IOException {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("cmd", "memory");
        Map<String, Long> status = procStatus("VmHWM", "VmRSS");
        result.put("vmHwmKb", status.get("VmHWM"));
        result.put("vmRssKb", status.get("VmRSS"));
        result.put("heapPeakUsedBytes", heap.peakUsed());
        result.put("heapMaxCommittedBytes", heap.maxCommitted());
        result.put("heapMaxBytes", Runtime.getRuntime().maxMemory());
        result.put("heapPeakLiveBytes", HeapHeadroom.jvm().peakLiveBytes());
        MemoryUsage nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
        result.put("nonHeapCommittedBytes", nonHeap.getCommitted());
        result.put("gcCount", heap.collections());
        result.put("gcMs", ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(gc -> Math.max(0, gc.getCollectionTime())).sum());
        result.put("jvmArgs", ManagementFactory.getRuntimeMXBean().getInputArguments());
        return result;
    }

    private static Map<String, Long> procStatus(String... keys) throws IOException {
        Set<String> wanted = Set.of(keys);
        return Files.readAllLines(Path.of("/proc/self/status")).stream()
                .map(line -> line.split(":\\s+", 2))
                .filter(parts -> parts.length == 2 && wanted.contains(parts[0]))
                .collect(Collectors.toMap(parts -> parts[0],
                        parts -> Long.parseLong(parts[1].replace("kB", "").strip())));
    }

    private synchronized void answer(Map<String, Object> answer) {
        try {
            answers.println(PREFIX + JSON.writeValueAsString(answer));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The most heap in use at any time: the heap pools' usage just before each collection (when it is highest),
     * and at the end. Also the most heap the JVM ever committed.
     */
    static final class HeapPeak {
        private final Set<String> heapPools;
        private final AtomicLong peakUsed = new AtomicLong();
        private final AtomicLong maxCommitted = new AtomicLong();
        private final AtomicLong collections = new AtomicLong();

        HeapPeak() {
            heapPools = ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                    .map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
            ManagementFactory.getGarbageCollectorMXBeans().forEach(gc -> ((NotificationEmitter) gc)
                    .addNotificationListener((notification, handback) -> {
                        if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                            GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo
                                    .from((CompositeData) notification.getUserData());
                            collections.incrementAndGet();
                            record(info.getGcInfo().getMemoryUsageBeforeGc());
                            record(info.getGcInfo().getMemoryUsageAfterGc());
                        }
                    }, null, null));
        }

        private void record(Map<String, MemoryUsage> pools) {
            long used = 0;
            long committed = 0;
            for (Map.Entry<String, MemoryUsage> pool : pools.entrySet()) {
                if (heapPools.contains(pool.getKey())) {
                    used += pool.getValue().getUsed();
                    committed += pool.getValue().getCommitted();
                }
            }
            peakUsed.accumulateAndGet(used, Math::max);
            maxCommitted.accumulateAndGet(committed, Math::max);
        }

        long peakUsed() {
            MemoryUsage now = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
            peakUsed.accumulateAndGet(now.getUsed(), Math::max);
            maxCommitted.accumulateAndGet(now.getCommitted(), Math::max);
            return peakUsed.get();
        }

        long maxCommitted() {
            peakUsed();
            return maxCommitted.get();
        }

        long collections() {
            return collections.get();
        }
    }
}
