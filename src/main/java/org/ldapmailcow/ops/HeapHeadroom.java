package org.ldapmailcow.ops;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;
import org.ldapmailcow.model.CycleRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns before the heap runs out. The image's heap limit is sized for 50,000 users; a directory that outgrows
 * it ends the process with an OutOfMemoryError at every start. After each cycle this compares the largest
 * heap still in use after a full collection (the cycle's live data, garbage excluded) with the limit.
 */
public final class HeapHeadroom implements Consumer<CycleRun> {

    /** Live heap share above which a cycle warns. */
    public static final double WARN_SHARE = 0.85;

    private static final Logger LOG = LoggerFactory.getLogger(HeapHeadroom.class);
    private static HeapHeadroom jvm;

    private final long maxBytes;
    private final AtomicLong cyclePeak = new AtomicLong();
    private final AtomicLong overallPeak = new AtomicLong();
    private volatile boolean warned;

    HeapHeadroom(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** This JVM's, following its full collections (one for the process, however many services it runs). */
    public static synchronized HeapHeadroom jvm() {
        if (jvm == null) {
            jvm = watch();
        }
        return jvm;
    }

    private static HeapHeadroom watch() {
        HeapHeadroom headroom = new HeapHeadroom(Runtime.getRuntime().maxMemory());
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener((notification, handback) -> {
                    if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo
                                .from((CompositeData) notification.getUserData());
                        if (info.getGcAction().contains("major")) {
                            headroom.liveAfterFullCollection(heapUsed(info.getGcInfo().getMemoryUsageAfterGc()));
                        }
                    }
                }, null, null);
            }
        }
        return headroom;
    }

    private static long heapUsed(Map<String, MemoryUsage> pools) {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP && pools.containsKey(p.getName()))
                .mapToLong(p -> pools.get(p.getName()).getUsed()).sum();
    }

    void liveAfterFullCollection(long usedBytes) {
        cyclePeak.accumulateAndGet(usedBytes, Math::max);
        overallPeak.accumulateAndGet(usedBytes, Math::max);
    }

    /** The most heap in use after a full collection since the start. */
    public long peakLiveBytes() {
        return overallPeak.get();
    }

    /** Once when a cycle's live heap first passes {@link #WARN_SHARE}, again only after it fell below. */
    @Override
    public void accept(CycleRun run) {
        long peak = cyclePeak.getAndSet(0);
        if (peak == 0) {
            return; // no full collection during the cycle: no news about the live heap
        }
        boolean tight = peak >= WARN_SHARE * maxBytes;
        if (tight && !warned) {
            LOG.warn("Cycle {} kept {} MB of its {} MB heap in use after a full collection: a larger directory will "
                    + "stop the service with an OutOfMemoryError. Raise -Xmx in JAVA_OPTS (about 3 MB per 1,000 users)",
                    run.number, peak >> 20, maxBytes >> 20);
        } else if (tight) {
            LOG.debug("Cycle {}: {} MB of {} MB heap live after a full collection", run.number, peak >> 20, maxBytes >> 20);
        }
        warned = tight;
    }
}
