#!/usr/bin/env bash
# The files benchmark of issue 15, from the repository root:
#
#     bash workers-examples/bench/files.sh
#
# Downloads one file of SIZE_MIB (default 1024) over loopback, in RUNS rounds (default 5), each round
# once from the dispatcher's static route (/files/NAME) and once handed back by a worker
# (/w/file/NAME: the worker answers Response.file, the dispatcher sends the bytes), alternating which
# goes first. curl reads into /dev/null; the figure is curl's average download speed. Prints the
# median MiB/s of each (with min-max), the ratio (issue 15's target: >= 0.8), and the dispatcher's
# and a worker's RSS afterwards. The file is written once (zeros, not sparse) and read once before
# measuring, so both sides come from the page cache.
#
# Environment: JAVA (java on the PATH), RUNS, SIZE_MIB, IPC (unixsocket), KEEP_TMP=1 keeps the temp
# directory. Bounded: each download by curl's --max-time, the whole script by a watchdog (LIMIT_SECONDS, 300).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
JAVA="${JAVA:-java}"
RUNS="${RUNS:-5}"
SIZE_MIB="${SIZE_MIB:-1024}"
IPC="${IPC:-unixsocket}"
LIMIT_SECONDS="${LIMIT_SECONDS:-300}"
TARGET="$ROOT/workers-examples/target"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/uhttp-bench-files.XXXXXX")"
DPID=""

log() { printf '[files %3ds] %s\n' "$SECONDS" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

cleanup() {
    local status=$? kids
    trap - EXIT INT TERM
    [ -n "${WATCHDOG:-}" ] && { pkill -P "$WATCHDOG" 2>/dev/null; kill "$WATCHDOG" 2>/dev/null; } || true
    if [ -n "$DPID" ] && kill -0 "$DPID" 2>/dev/null; then
        kids="$(pgrep -P "$DPID" 2>/dev/null || true)"
        kill -TERM "$DPID" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$DPID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$DPID" 2>/dev/null || true
        for k in $kids; do kill -KILL "$k" 2>/dev/null || true; done
    fi
    if [ "${KEEP_TMP:-0}" = 1 ]; then log "kept $TMP"; else rm -rf "$TMP"; fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'log "stopped (time limit or signal)"; exit 124' TERM
( sleep "$LIMIT_SECONDS"; kill -TERM $$ 2>/dev/null ) >/dev/null 2>&1 & # its sleep must not hold our stdout
WATCHDOG=$!

command -v curl >/dev/null || die "curl is needed"
JAR="$(ls "$TARGET"/workers-examples-*.jar 2>/dev/null | grep -v -e sources -e javadoc | head -n1 || true)"
if [ -z "$JAR" ] || [ ! -d "$TARGET/lib" ]; then
    log "building (mvn -q -DskipTests package)"
    (cd "$ROOT" && mvn -q -DskipTests package) >&2
    JAR="$(ls "$TARGET"/workers-examples-*.jar | grep -v -e sources -e javadoc | head -n1)"
fi
MP="$TARGET/lib:$JAR"

mkdir -p "$TMP/files"
NAME="big-${SIZE_MIB}mib.bin"
log "writing $NAME ($SIZE_MIB MiB)"
dd if=/dev/zero of="$TMP/files/$NAME" bs=1M count="$SIZE_MIB" status=none
cat "$TMP/files/$NAME" >/dev/null # into the page cache

PORT=18480
while (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; do PORT=$((PORT + 1)); done
XDG_CACHE_HOME="$TMP/cache" "$JAVA" -p "$MP" -m uhttp.workers.examples/dev.uhttp.workers.examples.bench.BenchDispatcher \
    --port "$PORT" --ipc "$IPC" --workers 1 --files "$TMP/files" >"$TMP/dispatcher.out" 2>"$TMP/dispatcher.err" &
DPID=$!
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 600); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$BASE/w/pid" 2>/dev/null || true)" = 200 ] && break
    kill -0 "$DPID" 2>/dev/null || die "the dispatcher exited (see $TMP/dispatcher.err)"
    sleep 0.1
done

download() { # path -> MiB/s (checks status and size)
    local out code size speed
    out="$(curl -s -o /dev/null --max-time 120 -w '%{http_code} %{size_download} %{speed_download}' "$BASE$1")"
    read -r code size speed <<<"$out"
    [ "$code" = 200 ] || die "$1 answered $code"
    [ "$size" = $((SIZE_MIB << 20)) ] || die "$1 sent $size bytes"
    awk -v s="$speed" 'BEGIN {printf "%.0f", s / 1048576}'
}

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
spread() { printf '%s\n' "$@" | sort -g | awk 'NR == 1 {lo = $1} {hi = $1} END {print lo "-" hi}'; }

log "warm-up"
download "/files/$NAME" >/dev/null
download "/w/file/$NAME" >/dev/null
STATIC=(); HANDED=()
for i in $(seq "$RUNS"); do
    if [ $((i % 2)) = 1 ]; then
        STATIC+=("$(download "/files/$NAME")"); HANDED+=("$(download "/w/file/$NAME")")
    else
        HANDED+=("$(download "/w/file/$NAME")"); STATIC+=("$(download "/files/$NAME")")
    fi
    log "round $i: static ${STATIC[-1]} MiB/s, handed back ${HANDED[-1]} MiB/s"
done
S="$(median "${STATIC[@]}")"; H="$(median "${HANDED[@]}")"
RATIO="$(awk -v h="$H" -v s="$S" 'BEGIN {printf "%.2f", (s > 0) ? h / s : 0}')"
WORKER="$(pgrep -P "$DPID" | head -n1 || true)"
rss() { awk '/^VmRSS:/ {printf "%.0f", $2 / 1024}' "/proc/$1/status" 2>/dev/null || echo "?"; }

echo "| ${SIZE_MIB} MiB download, 1 connection ($IPC, $RUNS rounds) | median MiB/s | min-max |"
echo "|---|---:|---|"
echo "| static route \`/files/$NAME\` | $S | $(spread "${STATIC[@]}") |"
echo "| handed back by a worker \`/w/file/$NAME\` | $H | $(spread "${HANDED[@]}") |"
echo
echo "handed back / static: $RATIO (target >= 0.8: $(awk -v r="$RATIO" 'BEGIN {print (r >= 0.8) ? "met" : "missed"}'));" \
    "RSS after: dispatcher $(rss "$DPID") MiB, worker ${WORKER:+$(rss "$WORKER")} MiB"
