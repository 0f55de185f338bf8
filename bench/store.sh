#!/usr/bin/env bash
# The record store's write throughput (H2 and PostgreSQL) and the time to replay 10,000 spooled
# records, on this machine. Results: bench/results/store.md (or the file given as the argument).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q test-compile
mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/store-classpath.txt
exec java -cp "target/classes:target/test-classes:$(cat target/store-classpath.txt)" io.callsocket.store.StoreBench "$@"
