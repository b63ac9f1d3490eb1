package org.ldapmailcow;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.ldapmailcow.config.Settings;
import org.ldapmailcow.config.SettingsException;
import org.ldapmailcow.ops.OnceLock;
import org.ldapmailcow.model.CycleRun;
import org.ldapmailcow.ops.Secrets;

/**
 * Reads the command line and the environment, then runs the service or one cycle. The demo is a jar of its own
 * ({@code ldap-mailcow-demo.jar}) that runs this launcher; {@code --demo} here only says where it is.
 *
 * <p>Exit codes: 0 success; 1 the cycle ran but something failed or was held back; 2 invalid configuration or
 * arguments; 3 the cycle was aborted (directory, mailcow or the state database unreachable or failing, empty
 * directory); 4 start-up failed (auth config template, state database); 5 {@code --once} found another instance
 * holding the lock beside the state file (a running service), and did nothing; 6 {@code --explain} found the
 * address nowhere. {@code --approve} and {@code --undo} exit 2 when the state file holds no such plan or journal.
 */
public final class Launcher {

    public static final int OK = 0;
    public static final int CYCLE_FAILED = 1;
    public static final int BAD_CONFIGURATION = 2;
    public static final int CYCLE_ABORTED = 3;
    public static final int STARTUP_FAILED = 4;
    public static final int ANOTHER_INSTANCE = 5;
    public static final int NOT_FOUND = 6;

    static final String DEMO_MOVED = "--demo is a jar of its own, beside this one once built (mvn package):"
            + " java -jar target/ldap-mailcow-demo.jar [--dry-run]";

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;

    public Launcher(Map<String, String> env, PrintStream out, PrintStream err) {
        this.env = env;
        this.out = out;
        this.err = err;
    }

    public int run(String[] args) {
        Options options;
        try {
            options = Options.parse(List.of(args));
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage() + " (see --help)");
            return BAD_CONFIGURATION;
        }
        if (options.help()) {
            out.print(Options.usage());
            return OK;
        }
        if (options.version()) {
            out.println("ldap-mailcow " + version());
            return OK;
        }
        if (options.demo()) {
            err.println(DEMO_MOVED);
            return BAD_CONFIGURATION;
        }
        Settings settings;
        try {
            settings = Settings.from(withOptions(env, options));
        } catch (SettingsException e) {
            e.problems().forEach(err::println);
            return BAD_CONFIGURATION;
        }
        if (options.explain() != null) {
            return explain(settings, options.explain());
        }
        if (options.undo() != null) {
            return undo(settings, options.undo());
        }
        if (options.approve() != null) {
            return approve(settings, options.approve());
        }
        return options.once() ? once(settings) : service(settings);
    }

    /**
     * {@code --explain <address>}: prints what decides the address and what the next cycle would do; 0 when the
     * address was found in the directory, the state file or mailcow, {@link #NOT_FOUND} otherwise.
     */
    private int explain(Settings settings, String address) {
        if (org.ldapmailcow.model.EmailAddress.parse(address).isEmpty()) {
            err.println("ldap-mailcow: --explain " + address + ": not an e-mail address");
            return BAD_CONFIGURATION;
        }
        try (SyncService service = new SyncService(settings, true)) {
            service.start();
            org.ldapmailcow.sync.Explanation.Result result = service.explain(address.strip());
            result.lines().forEach(out::println);
            return result.found() ? OK : NOT_FOUND;
        } catch (Exception e) {
            err.println("ldap-mailcow: cannot explain " + address + ": " + startupProblem(e));
            return CYCLE_ABORTED;
        }
    }

    /** {@code --approve <id>}: one cycle that applies the removals held back under that plan id. */
    private int approve(Settings settings, String planId) {
        try (SyncService service = new SyncService(settings, true)) {
            service.cycles().approve(planId);
            Thread hook = stopOnSignal(service, new CountDownLatch(1));
            try {
                int started = startAndPrepare(service);
                if (started != OK) {
                    return started;
                }
                CycleRun run = service.runCycle();
                if (service.cycles().unknownPlan()) {
                    err.println("ldap-mailcow: " + run.error());
                    return BAD_CONFIGURATION;
                }
                return exitCode(run);
            } finally {
                forget(hook);
            }
        }
    }

    /**
     * {@code --undo <cycle>}: reverts what the journal says that cycle applied, or with {@code --dry-run} only
     * prints the plan. Prints the plan (or what was applied) and what it leaves alone.
     */
    private int undo(Settings settings, long cycle) {
        try (SyncService service = new SyncService(settings, true)) {
            service.cycles().undo(cycle);
            Thread hook = stopOnSignal(service, new CountDownLatch(1));
            try {
                service.start();
                CycleRun run = service.runUndo();
                if (service.cycles().nothingJournalled()) {
                    err.println("ldap-mailcow: " + run.error());
                    return BAD_CONFIGURATION;
                }
                printUndo(run, service.cycles().undoNotes(), settings.dryRun);
                return exitCode(run);
            } catch (OnceLock.AnotherInstanceException e) {
                err.println("ldap-mailcow: " + e.getMessage());
                return ANOTHER_INSTANCE;
            } catch (Exception e) {
                err.println("ldap-mailcow: start-up failed: " + startupProblem(e));
                return STARTUP_FAILED;
            } finally {
                forget(hook);
            }
        }
    }

    private void printUndo(CycleRun run, List<String> notes, boolean dryRun) {
        if (run.plan() == null) {
            err.println("ldap-mailcow: undo of cycle " + run.number + " aborted: " + run.error());
            return;
        }
        java.util.Set<Object> applied = run.appliedChanges();
        out.println((dryRun ? "Undo plan (dry run, nothing written): " : "Undo: ") + run.plan().describeWrites().size()
                + " change(s)");
        java.util.stream.Stream.concat(run.plan().mailboxChanges().stream(), run.plan().aliasChanges().stream())
                .forEach(c -> out.println("  " + (dryRun ? "would apply " : applied.contains(c) ? "applied " : "FAILED ") + c));
        notes.forEach(n -> out.println("  left as it is: " + n));
    }

    static Map<String, String> withOptions(Map<String, String> env, Options options) {
        Map<String, String> merged = new HashMap<>(env);
        if (options.dryRun()) {
            merged.put(Settings.PREFIX + "DRY_RUN", "true");
        }
        if (options.force()) {
            merged.put(Settings.PREFIX + "FORCE_DEACTIVATIONS", "true");
        }
        if (options.explain() != null) {
            // explain only reads, as a dry run does (state in memory, no lock, no report), and may run beside the
            // service: its management server takes any free port
            merged.put(Settings.PREFIX + "DRY_RUN", "true");
        }
        if (options.explain() != null || options.undo() != null) {
            // one-shot commands beside the service (explain, the undo's dry run) must not want its port
            merged.put(Settings.PREFIX + "MANAGEMENT_PORT", "0");
        }
        return merged;
    }

    /** Runs one cycle; the exit code says how it went. */
    public int once(Settings settings) {
        try (SyncService service = new SyncService(settings, true)) {
            Thread hook = stopOnSignal(service, new CountDownLatch(1));
            try {
                int started = startAndPrepare(service);
                if (started != OK) {
                    return started;
                }
                return exitCode(service.runCycle());
            } finally {
                forget(hook);
            }
        }
    }

    private int service(Settings settings) {
        SyncService service = new SyncService(settings, false);
        CountDownLatch stopped = new CountDownLatch(1);
        stopOnSignal(service, stopped);
        int started = startAndPrepare(service);
        if (started != OK) {
            return started;
        }
        try {
            service.startSchedule();
            stopped.await();
            return OK;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OK;
        } catch (Exception e) {
            err.println("ldap-mailcow: cannot start the cycle trigger: " + Secrets.safeMessage(e));
            return STARTUP_FAILED;
        }
    }

    /** SIGTERM (docker stop) or SIGINT: the cycle under way stops sending changes, then Camel stops. */
    private static Thread stopOnSignal(SyncService service, CountDownLatch stopped) {
        Thread hook = new Thread(() -> {
            service.close();
            stopped.countDown();
        }, "ldap-mailcow-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    private static void forget(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException stopping) {
            // the JVM is stopping: the hook is running
        }
    }

    private int startAndPrepare(SyncService service) {
        try {
            service.start();
            service.prepare();
            return OK;
        } catch (OnceLock.AnotherInstanceException e) {
            err.println("ldap-mailcow: " + e.getMessage());
            return ANOTHER_INSTANCE;
        } catch (Exception e) {
            if (!service.closing()) {   // stopped (SIGTERM) while waiting for the peers: nothing failed
                err.println("ldap-mailcow: start-up failed: " + startupProblem(e));
            }
            return STARTUP_FAILED;
        }
    }

    /** The one line that says why: our own start-up failures speak for themselves, others by their cause. */
    static String startupProblem(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof Peers.StartupException || t instanceof org.ldapmailcow.auth.AuthConfigException
                    || t instanceof org.ldapmailcow.config.SettingsException
                    || t instanceof org.ldapmailcow.ldap.LdapConnectionException
                    || t instanceof org.ldapmailcow.state.StateFileException) {
                return t.getMessage();
            }
        }
        return Secrets.rootCause(e);
    }

    public static int exitCode(CycleRun run) {
        if (run == null) {
            return CYCLE_ABORTED;
        }
        if (run.aborted()) {
            return CYCLE_ABORTED;
        }
        return run.succeeded() ? OK : CYCLE_FAILED;
    }

    static String version() {
        String v = Launcher.class.getPackage().getImplementationVersion();
        return v == null ? "development build" : v;
    }
}
