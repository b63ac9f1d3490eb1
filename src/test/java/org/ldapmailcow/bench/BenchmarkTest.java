package org.ldapmailcow.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The benchmark as a test, outside {@code mvn test}: {@code mvn -Pbenchmark test -Dtest=BenchmarkTest}
 * (settings as {@code -Dbench.*} properties, see {@link Benchmark}). Writes docs/benchmarks.md and fails when a
 * cycle failed or made a mailcow request the targets rule out; the timings are reported, not asserted.
 */
@Tag("benchmark")
class BenchmarkTest {

    @Test
    void benchmark() throws Exception {
        PrintWriter progress = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        List<Benchmark.SizeResult> results = new Benchmark(Benchmark.Config.fromSystemProperties(), progress).run();

        assertThat(results).isNotEmpty().allSatisfy(r -> {
            assertThat(r.first().answer().get("succeeded")).isEqualTo(true);
            assertThat(r.trusting().traffic().total()).as("requests of the state-trusting cycle").isZero();
            assertThat(r.full().traffic().requests()).as("requests of the unchanged full cycle")
                    .containsOnlyKeys(Report.BULK_READS).allSatisfy((endpoint, count) -> assertThat(count).isEqualTo(1));
        });
    }
}
