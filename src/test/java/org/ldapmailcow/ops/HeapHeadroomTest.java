package org.ldapmailcow.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import org.ldapmailcow.auth.LogCapture;
import org.ldapmailcow.model.CycleRun;

/** The warning that comes before an OutOfMemoryError, and the live heap it is based on. */
class HeapHeadroomTest {

    private static final long MB = 1 << 20;
    private static final int MB_INT = (int) MB;

    @Test
    void warnsOnceWhenACyclesLiveHeapNearsTheLimitAndAgainAfterItFellBelow() {
        HeapHeadroom headroom = new HeapHeadroom(144 * MB);
        try (LogCapture log = LogCapture.open(Level.INFO)) {
            cycle(headroom, 1, 90 * MB);             // 62%: fine
            cycle(headroom, 2, 130 * MB, 100 * MB);  // the cycle's largest counts: 90%
            cycle(headroom, 3, 131 * MB);            // still tight: said already
            cycle(headroom, 4);                      // no full collection: no news
            cycle(headroom, 5, 132 * MB);
            cycle(headroom, 6, 60 * MB);             // room again
            cycle(headroom, 7, 140 * MB);

            List<String> warnings = log.lines().stream().filter(l -> l.startsWith("WARN ")).toList();
            assertThat(warnings).hasSize(2);
            assertThat(warnings.get(0)).contains("Cycle 2 kept 130 MB of its 144 MB heap")
                    .contains("OutOfMemoryError").contains("-Xmx in JAVA_OPTS");
            assertThat(warnings.get(1)).contains("Cycle 7 kept 140 MB");
        }
        assertThat(headroom.peakLiveBytes()).isEqualTo(140 * MB);
    }

    @Test
    void theJvmsWatchSeesWhatAFullCollectionKeeps() throws Exception {
        HeapHeadroom jvm = HeapHeadroom.jvm();
        byte[][] kept = new byte[64][];
        for (int i = 0; i < kept.length; i++) {
            kept[i] = new byte[MB_INT];
        }
        System.gc(); // a full collection with the serial and the G1 collector
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (jvm.peakLiveBytes() < 64 * MB && System.nanoTime() < deadline) {
            Thread.sleep(20); // notifications come on a JVM thread of their own
        }
        assertThat(jvm.peakLiveBytes()).as("heap in use after the full collection").isGreaterThanOrEqualTo(64 * MB);
        assertThat(kept[kept.length - 1]).hasSize(MB_INT);
    }

    private static void cycle(HeapHeadroom headroom, long number, long... liveAfterFullCollections) {
        for (long live : liveAfterFullCollections) {
            headroom.liveAfterFullCollection(live);
        }
        headroom.accept(new CycleRun(number, true, false));
    }
}
