package org.ldapmailcow.ops;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.ldapmailcow.config.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instance cycles per state file. The service's cycle trigger runs under camel-master with camel-file's
 * {@link FileLockClusterService} rooted in the state file's directory: the instance holding the OS lock on
 * {@code <state file>.lock} leads and writes a heartbeat into {@code <state file>.lock.dat}; any other waits as
 * standby and takes the lock once the heartbeat is cleared (a clean stop) or stops for {@value #MISSED_HEARTBEATS}
 * heartbeats (the leader died). A frozen leader keeps its OS lock, so nobody else cycles meanwhile.
 * This class says how often to heartbeat for a sync interval, and logs which instance leads and which waits.
 */
public final class CycleLeadership implements CamelClusterEventListener.Leadership {

    private static final Logger LOG = LoggerFactory.getLogger(CycleLeadership.class);

    /** Heartbeats a leader may miss (a long GC pause, a slow disk) before a standby takes the lock. */
    static final int MISSED_HEARTBEATS = 3;
    static final Duration MIN_HEARTBEAT = Duration.ofMillis(250);
    /** Beyond this, a takeover (and the very first start) would only come later; a write every 5 s costs nothing. */
    static final Duration MAX_HEARTBEAT = Duration.ofSeconds(5);
    /** The first try for the lock when lock files exist (a restart); without them the first try waits for a heartbeat. */
    static final long FIRST_TRY_MS = 100;
    /** camel-master waits 1 s after taking the lead before it starts the trigger, which first fires 0.5 s later. */
    static final Duration FIRST_FIRE = Duration.ofMillis(1500);

    private final Settings settings;
    private final CycleHealth health;
    private final FileLockClusterService clusterService;
    private final AtomicBoolean leading = new AtomicBoolean();

    /** {@code health} is told when this instance waits as standby and when it takes the lead. */
    public CycleLeadership(Settings settings, CycleHealth health) {
        this.settings = settings;
        this.health = health;
        Duration heartbeat = heartbeat(settings.syncIntervalSeconds);
        clusterService = new FileLockClusterService();
        clusterService.setId("ldap-mailcow");
        clusterService.setRoot(settings.dbFile.toAbsolutePath().getParent().toString());
        clusterService.setAcquireLockInterval(heartbeat.toMillis(), TimeUnit.MILLISECONDS);
        clusterService.setAcquireLockDelay(FIRST_TRY_MS);
        clusterService.setAcquireLockDelayUnit(TimeUnit.MILLISECONDS);
        clusterService.setHeartbeatTimeoutMultiplier(MISSED_HEARTBEATS);
    }

    /** The cluster service camel-master finds in the context (no file is made before the trigger starts). */
    public FileLockClusterService clusterService() {
        return clusterService;
    }

    /** How often the leader writes its heartbeat and a standby looks at it: an eighth of the interval, 0.25 to 5 s. */
    public static Duration heartbeat(int syncIntervalSeconds) {
        Duration eighth = Duration.ofSeconds(syncIntervalSeconds).dividedBy(8);
        return eighth.compareTo(MIN_HEARTBEAT) < 0 ? MIN_HEARTBEAT : eighth.compareTo(MAX_HEARTBEAT) > 0 ? MAX_HEARTBEAT : eighth;
    }

    /**
     * The longest a standby waits from the leader's death to its own first cycle: the missed heartbeats, the one
     * the leader died in, then camel-master's start of the trigger.
     */
    public static Duration takeover(int syncIntervalSeconds) {
        return heartbeat(syncIntervalSeconds).multipliedBy(MISSED_HEARTBEATS + 1L).plus(FIRST_FIRE);
    }

    /** The master namespace: the lock file's name beside the state file. */
    public static String lockName(Path dbFile) {
        return Settings.lockName(dbFile);
    }

    public static Path lockFile(Path dbFile) {
        return dbFile.toAbsolutePath().resolveSibling(lockName(dbFile));
    }

    /**
     * Called once the trigger is started: logs when this instance takes or loses the lead, and, when it does not
     * lead after its first tries, that it waits as standby.
     */
    public void watch() throws Exception {
        CamelClusterView view = clusterService.getView(lockName(settings.dbFile));
        view.addEventListener(this);
        long firstTries = heartbeat(settings.syncIntervalSeconds).multipliedBy(2).plusSeconds(1).toMillis();
        CompletableFuture.runAsync(() -> {
            if (!leading.get()) {
                health.standby(true);
                LOG.info("Standby: another instance holds {} (or held it until a moment ago); this instance ({}) runs no "
                        + "cycle and takes the lead within {} s after that one stops", lockFile(settings.dbFile), instance(),
                        seconds(takeover(settings.syncIntervalSeconds)));
            }
        }, CompletableFuture.delayedExecutor(firstTries, TimeUnit.MILLISECONDS));
    }

    /**
     * Before the trigger starts: without these files the cluster service's first try for the lock waits up to a
     * heartbeat, with them {@value #FIRST_TRY_MS} ms. An empty heartbeat file means "no leader", as after a clean stop.
     */
    public void prepareLockFiles() throws IOException {
        Path lock = lockFile(settings.dbFile);
        Files.createDirectories(lock.getParent());
        for (Path file : List.of(lock, lock.resolveSibling(lock.getFileName() + ".dat"))) {
            try {
                Files.createFile(file);
            } catch (FileAlreadyExistsException kept) {
                // another instance's, or ours from an earlier run
            }
        }
    }

    @Override
    public void leadershipChanged(CamelClusterView view, CamelClusterMember leader) {
        // also called with the current state when the listener is added
        boolean leads = view.getLocalMember().isLeader();
        boolean before = leading.getAndSet(leads);
        if (leads && !before) {
            health.standby(false);
            LOG.info("This instance ({}) leads: it holds {} and runs the cycles, every {} s", instance(),
                    lockFile(settings.dbFile), settings.syncIntervalSeconds);
        } else if (!leads && before) {
            health.standby(true);
            LOG.warn("This instance ({}) lost {}: it runs no further cycle and waits as standby", instance(),
                    lockFile(settings.dbFile));
        }
    }

    /** pid and host (in a container, its id): which of two instances a log line comes from. */
    static String instance() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (Exception e) {
                host = "unknown host";
            }
        }
        return "pid " + ProcessHandle.current().pid() + " on " + host;
    }

    private static String seconds(Duration d) {
        return Long.toString((d.toMillis() + 999) / 1000);
    }
}
