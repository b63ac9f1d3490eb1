package org.ldapmailcow.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.ldapmailcow.bench.Benchmark.Config;
import org.ldapmailcow.bench.Benchmark.SizeResult;
import org.ldapmailcow.bench.Benchmark.Step;
import org.ldapmailcow.bench.Benchmark.Traffic;

/** Writes docs/benchmarks.md from the results; each run replaces the whole file. */
final class Report {

    static final long RSS_LIMIT_KB = 300 * 1024;
    static final long STARTUP_LIMIT_MS = 3000;
    static final List<String> BULK_READS = List.of("GET get/domain/all", "GET get/mailbox/reduced", "GET get/alias/all");

    private Report() {
    }

    static void write(Config config, List<SizeResult> results) throws IOException {
        Files.createDirectories(config.output().getParent());
        Files.writeString(config.output(), render(config, results));
    }

    static String render(Config config, List<SizeResult> results) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# Benchmarks\n\n");
        md.append("Written by the benchmark in this repository (`bench/run.sh`, class `org.ldapmailcow.bench.Benchmark`; see the ")
                .append("README) on ").append(ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z")))
                .append(". Running it again replaces this file.\n\n");

        md.append("## Machine\n\n");
        md.append("- CPU: ").append(cpuModel()).append(", ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores available\n");
        md.append("- Memory: ").append(memTotal()).append("\n");
        md.append("- OS: ").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version"))
                .append("; Java ").append(System.getProperty("java.runtime.version")).append(" (")
                .append(System.getProperty("java.vm.name")).append(")\n\n");

        md.append("## Set-up\n\n");
        md.append("- The service runs in a JVM of its own (`org.ldapmailcow.bench.BenchService`: `SyncService`, the YAML ")
                .append("routes from `routes/`, a new SQLite file) with the flags\n  `")
                .append(String.join(" ", config.jvmOpts())).append("` and `MALLOC_ARENA_MAX=2`\n  from ")
                .append("`target/ldap-mailcow.jar` and `target/lib`, as the image runs it")
                .append(config.classDataArchive()
                        ? ", with a class-data archive made as the image's build makes it (`-XX:DumpLoadedClassList` "
                          + "on a run of the demo jar, `-Xshare:dump` from the service's class path; "
                          + "`-XX:SharedArchiveFile`, `-Xshare:on`)"
                        : ", without a class-data archive")
                .append(". The directory ")
                .append("and the mailcow emulator run in the benchmark's JVM, on loopback, so they do not count against the ")
                .append("service's memory.\n");
        md.append("- mailcow emulator latency: ").append(ms(config.writeLatency().toNanos() / 1e6)).append(" per write, ")
                .append(ms(config.readLatency().toNanos() / 1e6)).append(" per GET plus ")
                .append(ms(config.listingLatencyPerItem().toNanos() / 1e6))
                .append(" per item returned by `get/mailbox/reduced` and `get/alias/all`.\n");
        md.append("- `LDAP_MAILCOW_API_CONCURRENCY=").append(config.concurrency())
                .append("`, `LDAP_MAILCOW_LDAP_PAGE_SIZE=500`, `LDAP_MAILCOW_FULL_SYNC_EVERY=2` (cycle 1 reconciles ")
                .append("fully at start, cycle 2 trusts the state and reads only the directory's changes, cycle 3 reconciles fully), `LDAP_MAILCOW_AUTH_MODE=templates`.\n");
        md.append("- Directory (`BenchDirectory`): people in departments of about 500; 2% without mail, 4% disabled; ")
                .append("per person with mail 0.9 secondary `smtp:` addresses on average, 2% one in an unhosted domain, ")
                .append("30% an `X500:` and 20% a `SIP:` address. Mail-enabled groups = 10% of the people: one per ")
                .append("department, `All Staff` nesting the departments, and lists of 3 to 400 members, 15% nesting ")
                .append("other lists; plus one security group without mail per 100 groups, nested in a list. No group ")
                .append("lists over 1,500 members directly (no ranged `member` reads).\n\n");

        md.append("## Results\n\n");
        md.append(table(results));
        md.append("\n## Targets\n\n");
        md.append(targets(config, results));
        md.append("\n## How the figures are taken\n\n");
        md.append("""
                - **Start-up**: from spawning the service JVM to the moment it can run its first cycle (Camel \
                started, auth config rendered, directory and mailcow answered), as seen by the benchmark, whose \
                JVM collects the garbage of filling the directory before it spawns the service.
                - **First cycle**: against an empty mailcow (one domain) and a new state file: every mailbox is \
                created (`add/mailbox` then `edit/user-acl`: two writes) and every alias added (one write). \
                **Ideal** = writes x write latency / concurrency, counting every write call; the cycle also \
                includes its reads (three GETs of empty listings, the directory).
                - **Unchanged delta cycle**: cycle 2, nothing changed; trusts the state and reads only what                 changed in the directory (README: Delta cycles): the rootDSE, the DC's NTDS Settings (its                 invocation id) and one search for entries with `uSNChanged` above the last read's                 `highestCommittedUSN`, which returns nothing; then it ends, with no state read and no mailcow                 request. The embedded directory does not maintain `uSNChanged`: for the benchmark it shows a                 fixed `highestCommittedUSN`, an NTDS Settings entry and one tombstone under                 `CN=Deleted Objects` (`DemoDirectory.simulateUnchangedAdChangeTracking`), and no entry carries                 `uSNChanged`, which is what AD shows when nobody changed anything. It evaluates the delta                 search's filter over every entry (no index), where AD uses its `uSNChanged` index.
                - **Unchanged full cycle**: cycle 3, nothing changed; the three bulk GETs, the paged user and group \
                searches (and the batched look-up of nested groups without mail), plan, state written.
                - **Floor**: measured in the service JVM just before cycle 3: the three GETs with the JDK HTTP \
                client (body read to the end, not parsed or kept) and the paged user and group searches with the \
                same filters, attributes and page size through the same JNDI paging as camel-ldap (each page read, \
                counted and dropped), one after the other. It keeps nothing, so it adds nothing to the peak memory.
                - **LDAP searches**: searches started / search requests (one per page) that reached the directory.                 **LDAP entries read**: entries the directory returned, rootDSE included.
                - The embedded directory's paged searches take time growing with the square of the size (the user \
                search: about 1 s at 10,000 users, 20 s at 50,000, in pages of 500): each page costs it more the \
                further into the result it lies. Cycles and floor pay this alike.
                - **Peak RSS**: `VmHWM` of the service JVM at the end (it ran start-up and all three cycles). \
                **Peak heap**: heap in use just before the busiest collection (GC notifications). **Peak live \
                heap**: the most heap still in use after a full collection, what the service's heap check \
                (`HeapHeadroom`) compares with the limit; it warns above 85%.
                """);
        return md.toString();
    }

    private static String table(List<SizeResult> results) {
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("mail-enabled groups (+ security groups)", r -> n(r.shape().mailGroups()) + " (+" + r.shape().securityGroups() + ")"));
        rows.add(new Row("mailboxes / aliases created", r -> n(r.first().count("mailbox create")) + " / " + n(r.first().count("alias add"))));
        rows.add(new Row("start-up to first cycle", r -> s(r.spawnToReadyMs())));
        rows.add(new Row("**first cycle**", r -> s(r.first().ms())));
        rows.add(new Row("first cycle: writes", r -> n(r.first().traffic().writes())));
        rows.add(new Row("first cycle: ideal (writes x latency / concurrency)", r -> s(r.idealFirstMs())));
        rows.add(new Row("first cycle / ideal", r -> ratio(r.first().ms(), r.idealFirstMs())));
        rows.add(new Row("**unchanged delta cycle**", r -> s(r.trusting().ms())));
        rows.add(new Row("**unchanged full cycle**", r -> s(r.full().ms())));
        rows.add(new Row("floor (3 bulk GETs + paged searches)", r -> s(r.floor().ms())));
        rows.add(new Row("floor: get/mailbox/reduced, get/alias/all", r -> s(r.floor().num("get/mailbox/reduced")) + ", " + s(r.floor().num("get/alias/all"))));
        rows.add(new Row("floor: LDAP users, groups", r -> s(r.floor().num("ldapUsers")) + ", " + s(r.floor().num("ldapGroups"))));
        rows.add(new Row("unchanged full cycle / floor", r -> ratio(r.full().ms(), r.floor().ms())));
        rows.add(new Row("mailcow requests: first cycle", r -> requests(r.first().traffic())));
        rows.add(new Row("mailcow requests: unchanged delta cycle", r -> requests(r.trusting().traffic())));
        rows.add(new Row("mailcow requests: unchanged full cycle", r -> requests(r.full().traffic())));
        rows.add(new Row("LDAP searches / pages: first cycle", r -> ldap(r.first().traffic())));
        rows.add(new Row("LDAP searches / pages: unchanged delta cycle", r -> ldap(r.trusting().traffic())));
        rows.add(new Row("LDAP searches / pages: unchanged full cycle", r -> ldap(r.full().traffic())));
        rows.add(new Row("LDAP entries read: unchanged delta cycle", r -> n(r.trusting().traffic().ldapEntries())));
        rows.add(new Row("LDAP entries read: unchanged full cycle", r -> n(r.full().traffic().ldapEntries())));
        rows.add(new Row("peak RSS (VmHWM)", r -> mb(r.mem("vmHwmKb") * 1024)));
        rows.add(new Row("peak heap used / committed", r -> mb(r.mem("heapPeakUsedBytes")) + " / " + mb(r.mem("heapMaxCommittedBytes"))));
        rows.add(new Row("peak live heap (after a full collection) / limit", r -> mb(r.mem("heapPeakLiveBytes")) + " / "
                + mb(r.mem("heapMaxBytes"))));
        rows.add(new Row("GCs, GC time", r -> n(r.mem("gcCount")) + ", " + s(r.mem("gcMs"))));

        StringBuilder md = new StringBuilder("| |");
        results.forEach(r -> md.append(' ').append(n(r.users())).append(" users |"));
        md.append("\n|---|");
        results.forEach(r -> md.append("---|"));
        md.append('\n');
        for (Row row : rows) {
            md.append("| ").append(row.label()).append(" |");
            results.forEach(r -> md.append(' ').append(row.value().apply(r)).append(" |"));
            md.append('\n');
        }
        return md.toString();
    }

    private record Row(String label, Function<SizeResult, String> value) {
    }

    private static String targets(Config config, List<SizeResult> results) {
        StringBuilder md = new StringBuilder();
        for (SizeResult r : results) {
            md.append("**").append(n(r.users())).append(" users, ").append(n(r.shape().mailGroups())).append(" groups**\n\n");
            Traffic full = r.full().traffic();
            boolean onlyBulkReads = full.writes() == 0 && full.total() <= 3
                    && BULK_READS.containsAll(full.requests().keySet());
            check(md, onlyBulkReads, "unchanged full cycle: at most 3 mailcow requests, the bulk reads (" + full.total() + ")");
            int searchBound = 5 + (r.shape().securityGroups() + 99) / 100;
            check(md, full.ldapSearches() <= searchBound, "unchanged full cycle: LDAP searches bounded, none per user "
                    + "or member: the rootDSE, the NTDS Settings, the deleted-objects check, the user and the group "
                    + "search, and one look-up per 100 nested groups without mail ("
                    + full.ldapSearches() + " searches, bound " + searchBound + ")");
            check(md, r.trusting().traffic().total() == 0 && !r.trusting().full(),
                    "unchanged delta cycle: no mailcow request (" + r.trusting().traffic().total() + ")");
            Traffic delta = r.trusting().traffic();
            check(md, String.valueOf(r.trusting().answer().get("directoryRead")).startsWith("unchanged")
                    && delta.ldapSearches() <= 3 && delta.ldapEntries() <= 2, "unchanged delta cycle: the rootDSE, "
                    + "the NTDS Settings and one search that returns nothing (" + delta.ldapSearches() + " searches, "
                    + delta.ldapEntries() + " entries)");
            check(md, r.trusting().ms() < 1000, "unchanged delta cycle under 1 s end to end ("
                    + s(r.trusting().ms()) + ")");
            check(md, r.full().ms() <= 2 * r.floor().ms(), "unchanged full cycle at most 2x its floor ("
                    + ratio(r.full().ms(), r.floor().ms()) + ")");
            check(md, r.first().ms() <= 1.5 * r.idealFirstMs(), "first cycle within 1.5x of writes x "
                    + ms(config.writeLatency().toMillis()) + " / " + config.concurrency() + " ("
                    + ratio(r.first().ms(), r.idealFirstMs()) + ")");
            check(md, r.mem("vmHwmKb") <= RSS_LIMIT_KB, "peak RSS at most 300 MB (" + mb(r.mem("vmHwmKb") * 1024) + ")");
            check(md, r.spawnToReadyMs() < STARTUP_LIMIT_MS, "start-up to the first cycle under 3 s ("
                    + s(r.spawnToReadyMs()) + ")");
            check(md, Boolean.TRUE.equals(r.first().answer().get("succeeded"))
                    && Boolean.TRUE.equals(r.trusting().answer().get("succeeded"))
                    && Boolean.TRUE.equals(r.full().answer().get("succeeded")), "every cycle succeeded");
            md.append('\n');
        }
        return md.toString();
    }

    private static void check(StringBuilder md, boolean met, String what) {
        md.append("- ").append(met ? "met" : "**MISSED**").append(": ").append(what).append('\n');
    }

    private static String requests(Traffic traffic) {
        if (traffic.total() == 0) {
            return "0";
        }
        return traffic.total() + ": " + traffic.requests().entrySet().stream()
                .map(e -> e.getKey().replace("GET ", "").replace("POST ", "") + " " + n(e.getValue()))
                .collect(Collectors.joining(", "));
    }

    private static String ldap(Traffic traffic) {
        return traffic.ldapSearches() + " / " + traffic.ldapPages();
    }

    static String n(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    static String s(long millis) {
        return millis < 10_000 ? String.format(Locale.ROOT, "%.2f s", millis / 1000.0)
                : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    static String ms(double millis) {
        return millis == Math.rint(millis) ? String.format(Locale.ROOT, "%d ms", (long) millis)
                : String.format(Locale.ROOT, "%.1f ms", millis);
    }

    static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.0f MB", bytes / 1024.0 / 1024.0);
    }

    static String ratio(long value, long base) {
        return base <= 0 ? "n/a" : String.format(Locale.ROOT, "%.2fx", (double) value / base);
    }

    private static String cpuModel() throws IOException {
        return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("unknown");
    }

    private static String memTotal() throws IOException {
        return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                .map(l -> Long.parseLong(l.replaceAll("\\D", "")))
                .map(kb -> String.format(Locale.ROOT, "%.1f GiB", kb / 1024.0 / 1024.0)).findFirst().orElse("unknown");
    }
}
