#!/usr/bin/env bash
# Runs the performance benchmark and writes docs/benchmarks.md (see the README, "Benchmark").
#
#   bench/run.sh                      1,000, 10,000 and 50,000 users (about 25 minutes on 2 cores)
#   bench/run.sh 1000 10000           other sizes
#
# Settings, as environment variables (defaults in brackets): BENCH_WRITE_LATENCY_MS [15],
# BENCH_READ_LATENCY_MS [10], BENCH_LISTING_LATENCY_US [1500, per item listed], BENCH_CONCURRENCY [4],
# BENCH_JVM_OPTS [the service's flags, see Benchmark.DEFAULT_JVM_OPTS], BENCH_CLASS_DATA_ARCHIVE [true: the
# service maps a class-data archive of a run of target/ldap-mailcow-demo.jar, as in the image], BENCH_OUTPUT [docs/benchmarks.md],
# MVN_ARGS [extra Maven arguments, e.g. -o].
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
sizes="$(IFS=,; echo "${*:-1000,10000,50000}")"

# compiles main, demo and test classes, makes target/ldap-mailcow.jar and target/ldap-mailcow-demo.jar and copies
# the runtime libraries to target/lib (the service's classpath; the demo's classes are among the test classes too)
mvn -B -q ${MVN_ARGS:-} -Pbenchmark -DskipTests test-compile
mvn -B -q ${MVN_ARGS:-} dependency:build-classpath -Dmdep.outputFile=target/bench-driver.classpath -Dmdep.includeScope=test

props=(-Dbench.sizes="$sizes")
[ -n "${BENCH_WRITE_LATENCY_MS:-}" ] && props+=(-Dbench.writeLatencyMs="$BENCH_WRITE_LATENCY_MS")
[ -n "${BENCH_READ_LATENCY_MS:-}" ] && props+=(-Dbench.readLatencyMs="$BENCH_READ_LATENCY_MS")
[ -n "${BENCH_LISTING_LATENCY_US:-}" ] && props+=(-Dbench.listingLatencyUs="$BENCH_LISTING_LATENCY_US")
[ -n "${BENCH_CONCURRENCY:-}" ] && props+=(-Dbench.concurrency="$BENCH_CONCURRENCY")
[ -n "${BENCH_JVM_OPTS:-}" ] && props+=(-Dbench.jvmOpts="$BENCH_JVM_OPTS")
[ -n "${BENCH_CLASS_DATA_ARCHIVE:-}" ] && props+=(-Dbench.classDataArchive="$BENCH_CLASS_DATA_ARCHIVE")
[ -n "${BENCH_OUTPUT:-}" ] && props+=(-Dbench.output="$BENCH_OUTPUT")

# the benchmark's own JVM hosts the directory and the mailcow emulator (which records every request)
exec java -Xmx3g -XX:+UseParallelGC \
    -cp "target/test-classes:target/classes:$(cat target/bench-driver.classpath)" \
    "${props[@]}" org.ldapmailcow.bench.Benchmark
