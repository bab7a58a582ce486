#!/usr/bin/env bash
# The figures of issue 22, from the repository root, after `mvn -q -DskipTests package` (the image):
#
#     bash workers-examples/bench/cluster.sh
#
# 1. Two SSE example nodes joined by a local redis-server: cross-node publish latency (p50/p99 over 1000
#    publishes) and publishes/s through one Redis (ClusterBench.java).
# 2. Throughput of `GET /health` (a loop route of the dispatcher) with wrk, 64 connections: one node,
#    then two nodes sharing the port with --reuse-port. On 2 cores expect little: one loop already has
#    most of a core, and wrk and the second loop share the rest.
# The rolling-restart and SIGKILL figures come from HaproxyIT (printed to its -output.txt).
# Everything runs on 127.0.0.1 on ports found free, bounded by `timeout`; all processes are stopped at the end.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
IMAGE="$ROOT/workers-examples/target/image/bin/workers-example"
JAVA="${JAVA:-java}"
DURATION="${DURATION:-10}"
[ -x "$IMAGE" ] || { echo "no image at $IMAGE: mvn -q -DskipTests package" >&2; exit 1; }
for tool in redis-server wrk; do command -v $tool >/dev/null || { echo "needs $tool (apt-get install redis-server wrk)" >&2; exit 1; }; done
TMP="$(mktemp -d "${TMPDIR:-/tmp}/uhttp-cluster.XXXXXX")"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
await_ready() { for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$1/health/ready" >/dev/null && return 0; sleep 0.2; done; echo "node on $1 never ready" >&2; exit 1; }

REDIS_PORT=$(free_port)
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize no >"$TMP/redis.log" 2>&1 &
PIDS+=($!)
PA=$(free_port); PB=$(free_port)
"$IMAGE" --example sse --port "$PA" --node a --redis "redis://127.0.0.1:$REDIS_PORT" >"$TMP/a.out" 2>"$TMP/a.log" & PIDS+=($!)
"$IMAGE" --example sse --port "$PB" --node b --redis "redis://127.0.0.1:$REDIS_PORT" >"$TMP/b.out" 2>"$TMP/b.log" & PIDS+=($!)
await_ready "$PA"; await_ready "$PB"
echo "## cross-node publish (redis-server $(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/'))"
timeout 300 "$JAVA" "$HERE/ClusterBench.java" "http://127.0.0.1:$PA" "http://127.0.0.1:$PB"
for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; PIDS=()

echo "## reusePort: GET /health, wrk -t2 -c64 -d${DURATION}s"
P=$(free_port)
"$IMAGE" --example sse --port "$P" --node one --reuse-port >"$TMP/one.out" 2>"$TMP/one.log" & PIDS+=($!)
await_ready "$P"
timeout $((DURATION + 30)) wrk -t2 -c64 -d5s "http://127.0.0.1:$P/health" >/dev/null # warm-up
one=$(timeout $((DURATION + 30)) wrk -t2 -c64 -d"${DURATION}s" "http://127.0.0.1:$P/health" | awk '/Requests\/sec/ {print $2}')
"$IMAGE" --example sse --port "$P" --node two --reuse-port >"$TMP/two.out" 2>"$TMP/two.log" & PIDS+=($!)
sleep 2; for _ in $(seq 1 300); do grep -q listening "$TMP/two.out" && break; sleep 0.2; done
timeout $((DURATION + 30)) wrk -t2 -c64 -d5s "http://127.0.0.1:$P/health" >/dev/null # warm-up of the second
two=$(timeout $((DURATION + 30)) wrk -t2 -c64 -d"${DURATION}s" "http://127.0.0.1:$P/health" | awk '/Requests\/sec/ {print $2}')
echo "1 dispatcher: $one requests/s; 2 dispatchers with reusePort: $two requests/s ($(nproc) cores)"
