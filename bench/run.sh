#!/usr/bin/env bash
# The load benchmark: CallSocket and a bare echo endpoint at rising concurrency, on this machine.
# Results: bench/results/benchmark.{md,json}. Arguments pass through, e.g. --levels=100,500 --seconds=10
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q compile
mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/classpath.txt
exec java -cp "target/classes:$(cat target/classpath.txt)" io.callsocket.sim.Benchmark "$@"
