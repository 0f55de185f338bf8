#!/usr/bin/env bash
# The machine's floor: the benchmark's traffic (a 334-byte frame every 20 ms each way per call, one
# loopback TCP connection per call) between two minimal C programs, no WebSocket, no JVM. No server
# can hold a load in real time that this cannot. Needs a C compiler (cc).
# Results: bench/results/floor.md, and floor.jsonl (a JSON object a level). Usage: bench/floor.sh [LEVELS] [SECONDS], e.g. 500,1000,2000 20
set -euo pipefail
cd "$(dirname "$0")/.."
levels=${1:-500,1000,1500,2000}
seconds=${2:-20}
mkdir -p target bench/results
cc -O2 -Wall -pthread -o target/floor bench/floor.c
{
  echo "# The machine's floor: C echo over loopback TCP, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo
  echo "$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), client and echo on the same machine; ${seconds} s a level"
  echo
  echo "| connections | frames sent / echoed | round trip p50 / p99 / p99.9 / max (ms) | client CPU user + sys (cores) | echo CPU user + sys (cores) | clock late p99 (ms) |"
  echo "|---|---|---|---|---|---|"
} > bench/results/floor.md
: > bench/results/floor.jsonl
for n in ${levels//,/ }; do
  target/floor "$n" "$seconds" >> bench/results/floor.jsonl 2>> bench/results/floor.md
done
cat bench/results/floor.md
