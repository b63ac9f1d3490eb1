package org.ldapmailcow;

import java.time.Clock;
import java.time.Duration;

import org.apache.camel.CamelContext;
import org.apache.camel.DelegateEndpoint;
import org.apache.camel.Endpoint;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.http.HttpEndpoint;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.main.Main;
import org.apache.camel.main.SimpleMainShutdownStrategy;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.hc.core5.io.CloseMode;
import org.ldapmailcow.config.Settings;
import org.ldapmailcow.ops.CycleLeadership;
import org.ldapmailcow.ops.ManagementServer;
import org.ldapmailcow.ops.OnceLock;
import org.ldapmailcow.ops.Volumes;
import org.ldapmailcow.state.StateDatabase;
import org.ldapmailcow.model.CycleRun;
import org.ldapmailcow.sync.Cycles;
import org.ldapmailcow.ops.Secrets;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;

/**
 * The service around Camel: opens the state file, boots camel-main with the YAML routes from the file
 * system, renders the auth config, and then either runs one cycle or starts the trigger.
 */
public final class SyncService implements AutoCloseable {

    /** How long a stop during start-up waits for the cut-off requests to end before Camel stops. */
    private static final Duration ABORT_STARTUP_WAIT = Duration.ofMillis(1500);

    /** How long SIGTERM lets the cycle under way end: within docker stop's 10 s, leaving Camel time to stop. */
    private static final Duration CYCLE_END_WAIT = Duration.ofSeconds(6);

    private final Settings settings;
    private final boolean once;
    private final Cycles cycles;
    private final Main main = new Main();
    private OnceLock onceLock;
    private boolean closing;
    private volatile boolean prepared;

    /** {@code once}: waiting for the directory and mailcow at start is limited by the start-up timeout. */
    public SyncService(Settings settings, boolean once) {
        this(settings, once, Clock.systemUTC());
    }

    /** {@code clock}: the time the cycles go by (offboarding stages). */
    public SyncService(Settings settings, boolean once, Clock clock) {
        this.settings = settings;
        this.once = once;
        this.cycles = new Cycles(settings, clock);
        Secrets.guardLogs();
        // the launcher's shutdown hook stops the service; camel-main's own hook would wait for a context
        // that only the other hook stops, and hold a SIGTERM for 45 s
        main.setShutdownStrategy(new SimpleMainShutdownStrategy());
    }

    public Cycles cycles() {
        return cycles;
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    /** Boots Camel; the cycle trigger stays stopped until {@link #startSchedule()}. */
    public SyncService start() throws Exception {
        // a dry run reads the state into memory and writes no file, so it needs no write access (nor any lock)
        if (!settings.dryRun) {
            Volumes.requireWritableState(settings.dbFile);
        }
        if (once && !settings.dryRun) {
            onceLock = OnceLock.acquire(settings.dbFile);   // beside a running service: AnotherInstanceException
        }
        StateDatabase state = new StateDatabase(settings.dbFile, settings.dryRun);
        state.open();
        cycles.numberFrom(() -> {
            try {
                return state.lastCycle();
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
        main.configure().addConfiguration(new AppConfig(settings, state, cycles, once ? settings.startupTimeout : Duration.ZERO));
        main.configure().withRoutesIncludePattern("file:" + settings.routesDir.toAbsolutePath() + "/*.yaml");
        main.setInitialProperties(settings.toProperties());
        ManagementServer.requireFree(settings);
        main.start();
        ManagementServer.requireListening(context(), settings);
        return this;
    }

    /** Renders the Dovecot and SOGo config (template mode) and waits for the peers, before any cycle runs. */
    public void prepare() {
        template().requestBody("direct:startup", (Object) null);
        prepared = true;
    }

    /** The service was told to stop (SIGTERM) or has stopped. */
    public synchronized boolean closing() {
        return closing;
    }

    /** {@code --undo}: the undo cycle (see {@link Cycles#undo}); needs neither the directory nor the auth config. */
    public CycleRun runUndo() {
        template().send("direct:undo-cycle", e -> { });
        return cycles.current();
    }

    /** {@code --explain}: reads what decides the address and explains it; the service must run as a dry run. */
    public org.ldapmailcow.sync.Explanation.Result explain(String address) {
        context().getRegistry().lookupByNameAndType("groupResolver", org.ldapmailcow.directory.GroupResolver.class)
                .recordPaths();
        return template().requestBody("direct:explain", address, org.ldapmailcow.sync.Explanation.Result.class);
    }

    public CycleRun runCycle() {
        template().send("direct:sync-cycle", e -> { });
        return cycles.current();
    }

    /**
     * The service's schedule: the trigger fires right after this instance takes the lead (at once when no other
     * instance holds the lock beside the state file), then every interval. A dry run only reads: it takes no lock.
     */
    public void startSchedule() throws Exception {
        synchronized (this) {
            if (closing) {
                return;
            }
            if (settings.dryRun) {
                startTrigger("dry-run-trigger");
            } else {
                CycleLeadership leadership = context().getRegistry().lookupByNameAndType("leadership", CycleLeadership.class);
                leadership.prepareLockFiles();
                startTrigger("cycle-trigger");
                leadership.watch();
            }
        }
    }

    /**
     * Quartz schedules a trigger when the context starts, counting the interval from then; stopped and started
     * with its consumer (at once, or when camel-master hands this instance the lead), it first fires right then.
     */
    private void startTrigger(String routeId) throws Exception {
        Endpoint quartz = context().getRoute(routeId).getEndpoint();
        if (quartz instanceof DelegateEndpoint master) {
            quartz = master.getEndpoint();
        }
        ServiceHelper.stopService(quartz);
        context().getRouteController().startRoute(routeId);
    }

    private ProducerTemplate template() {
        try {
            return main.getCamelTemplate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The cycle under way, told to stop, ends before Camel stops the routes it runs in (camel-master stops the
     * trigger's route at once, which would reject the rest of the exchange); Camel's own wait follows.
     */
    private void awaitCycleEnd(Duration limit) {
        CamelContext context = context();
        if (context == null) {
            return;
        }
        long deadline = System.nanoTime() + limit.toNanos();
        while (context.getInflightRepository().size() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** No new cycle once stopping: a fire held back by the cycle under way would otherwise start one as Camel stops. */
    private void holdTriggers() {
        CamelContext context = context();
        try {
            Scheduler quartz = context == null || context.hasComponent("quartz") == null ? null
                    : context.getComponent("quartz", QuartzComponent.class).getScheduler();
            if (quartz != null) {
                quartz.standby();
            }
        } catch (SchedulerException e) {
            // already shut down: nothing fires
        }
    }

    /** Stops the cycle under way from sending more changes (the next start sends them), then Camel. */
    @Override
    public void close() {
        synchronized (this) {
            closing = true;
        }
        cycles.stop();
        if (!prepared) {
            abortStartup();
        }
        holdTriggers();
        awaitCycleEnd(CYCLE_END_WAIT);
        main.stop();
        if (onceLock != null) {
            onceLock.close();
        }
    }

    /**
     * Stopped while waiting for the directory or mailcow: nothing is under way that must finish, so the wait ends
     * and the probe of mailcow is cut off (its connections closed, also those of an endpoint it opens meanwhile)
     * until nothing is in flight; Camel's graceful stop would otherwise wait for an answer that never comes.
     */
    private void abortStartup() {
        CamelContext context = context();
        if (context == null) {
            return;
        }
        Peers peers = context.getRegistry().lookupByNameAndType("peers", Peers.class);
        if (peers != null) {
            peers.stop();
        }
        long deadline = System.nanoTime() + ABORT_STARTUP_WAIT.toNanos();
        do {
            for (var endpoint : context.getEndpoints()) {
                if (endpoint instanceof HttpEndpoint http && http.getClientConnectionManager() != null) {
                    http.getClientConnectionManager().close(CloseMode.IMMEDIATE);
                }
            }
            if (context.getInflightRepository().size() == 0) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        } while (System.nanoTime() < deadline);
    }
}
