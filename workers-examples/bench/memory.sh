#!/usr/bin/env bash
# The measurements of issue 15 (bounded dispatcher memory, streamed uploads), in one command from the
# repository root:
#
#     bash workers-examples/bench/memory.sh
#
# 1. Uploads of UPLOAD_MIB (default 1024) MiB through POST /w/sha256 of this build over Unix sockets
#    (a fresh dispatcher), once with Content-Length (curl -T of a sparse file) and once chunked (the
#    same file, curl sending it in chunks of 65524 bytes; from a pipe curl spent 1.0 ms of CPU per MiB
#    against 0.45, on the 2 cores the dispatcher and the worker share): MiB/s, the dispatcher's peak RSS while it ran (sampled every 50 ms), and the CPU time per
#    MiB of the dispatcher and of its workers (/proc/<pid>/stat; it does not depend on the load).
# 2. The 1 MiB echo at 64 connections (wrk, POST /w/echo, Unix sockets), this build and BASE_REF
#    (default 3b27e3a, the commit before issue 15, built in a temporary git worktree) running at the
#    same time, measured in RUNS alternating rounds so that both see the same machine; then the RSS
#    of each dispatcher and of its workers after that load (default JVM options everywhere).
#
# Environment: JAVA, RUNS (3), DURATION (seconds per wrk run, 10), WARMUP (seconds, 10), BASE_REF,
# MVN (the Maven command that builds BASE_REF, default "mvn -q -o"), BASE_DIR (a built tree of BASE_REF
# to use instead), UPLOAD_MIB, WARM_MIB, UPLOADS_ONLY=1 (only step 1: no BASE_REF build, no echo), KEEP_TMP=1.
# Cleans up every process it started and the worktree; bounded by a watchdog (LIMIT_SECONDS, 900).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BENCH_NAME=memory
# shellcheck source=lib.sh
. "$HERE/lib.sh" # ROOT, JAVA, TMP, PIDS, APP, log, die, stop_pid (cleanup is this script's own, below)
RUNS="${RUNS:-3}"
DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-10}"
BASE_REF="${BASE_REF:-3b27e3a}"
MVN="${MVN:-mvn -q -o}"
UPLOAD_MIB="${UPLOAD_MIB:-1024}"
LIMIT_SECONDS="${LIMIT_SECONDS:-900}"

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    [ -n "${WATCHDOG:-}" ] && kill "$WATCHDOG" 2>/dev/null || true
    for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
    if [ -n "${UPLOAD_DIR:-}" ] && [ "$UPLOAD_DIR" != "$TMP" ]; then rm -rf "$UPLOAD_DIR"; fi
    if [ -d "$TMP/base" ]; then git -C "$ROOT" worktree remove --force "$TMP/base" 2>/dev/null || true; fi
    if [ "${KEEP_TMP:-0}" = 1 ]; then log "kept $TMP"; else rm -rf "$TMP"; fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'log "stopped (time limit or signal)"; exit 124' TERM
( sleep "$LIMIT_SECONDS"; kill -TERM $$ 2>/dev/null ) >/dev/null 2>&1 & # not holding a pipe the output goes into
WATCHDOG=$!

command -v wrk >/dev/null || die "wrk is needed (apt-get install wrk)"
command -v curl >/dev/null || die "curl is needed"

jar_of() { ls "$1"/workers-examples-*.jar 2>/dev/null | grep -v -e sources -e javadoc | head -n1 || true; }
NEW_TARGET="$ROOT/workers-examples/target"
if [ -z "$(jar_of "$NEW_TARGET")" ] || [ ! -d "$NEW_TARGET/lib" ]; then
    log "building this tree ($MVN -DskipTests package)"
    (cd "$ROOT" && $MVN -DskipTests package) >&2
fi
if [ "${UPLOADS_ONLY:-0}" = 1 ]; then
    BASE_TARGET=""
elif [ -n "${BASE_DIR:-}" ]; then
    BASE_TARGET="$BASE_DIR/workers-examples/target" # a tree of BASE_REF built already
else
    log "building $BASE_REF in a temporary worktree"
    git -C "$ROOT" worktree add --detach "$TMP/base" "$BASE_REF" >/dev/null 2>&1 || die "git worktree add $BASE_REF failed"
    (cd "$TMP/base" && $MVN -DskipTests package) >"$TMP/base-build.log" 2>&1 || { tail -30 "$TMP/base-build.log" >&2; die "build of $BASE_REF failed"; }
    BASE_TARGET="$TMP/base/workers-examples/target"
fi

NEXT_PORT=18480
free_port() {
    local p="$NEXT_PORT"
    while (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do p=$((p + 1)); done
    NEXT_PORT=$((p + 1)); echo "$p"
}
rss_mib() { awk '/^VmRSS:/ {printf "%.1f", $2 / 1024}' "/proc/$1/status" 2>/dev/null || echo "?"; }
worker_pid() {
    curl -s --max-time 2 "http://127.0.0.1:$1/status" 2>/dev/null \
        | grep -o "\"id\":$2,\"pid\":[0-9]*,\"alive\":true,\"ready\":true" | sed 's/.*"pid":\([0-9]*\).*/\1/' || true
}
wait_200() {
    local i
    for i in $(seq 600); do
        [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1" 2>/dev/null || true)" = 200 ] && return 0
        sleep 0.1
    done
    die "no 200 from $1"
}
start() { # name target -> PORT_name PID_name
    local name="$1" target="$2" port
    port="$(free_port)"
    # From the build's jlink image when it has one: the JVM options baked into it, as a user runs it.
    local djava=("$JAVA" -p "$target/lib:$(jar_of "$target")")
    [ -x "$target/image/bin/java" ] && djava=("$target/image/bin/java")
    XDG_CACHE_HOME="$TMP/cache-$name" "${djava[@]}" -m "$APP.BenchDispatcher" \
        --port "$port" --ipc unixsocket --max-content-length $((2 << 20)) >"$TMP/$name.out" 2>"$TMP/$name.err" &
    PIDS+=("$!")
    printf -v "PID_$name" '%s' "$!"; printf -v "PORT_$name" '%s' "$port"
    wait_200 "http://127.0.0.1:$port/w/hello"
}
start new "$NEW_TARGET"
[ -n "$BASE_TARGET" ] && start base "$BASE_TARGET"
sleep 2
log "RSS idle: dispatcher new $(rss_mib "$PID_new") MiB${BASE_TARGET:+, base $(rss_mib "$PID_base") MiB}"

cpu_ticks() { # pid...: utime + stime summed (clock ticks)
    local p t sum=0
    for p in "$@"; do
        t="$(awk '{sub(/^.*\) /, ""); print $12 + $13}' "/proc/$p/stat" 2>/dev/null || echo 0)"
        sum=$((sum + t))
    done
    echo "$sum"
}
TICK="$(getconf CLK_TCK)"
upload() { # label curl-args... -> prints "MiB/s peak-RSS CPU-per-MiB sha"
    local label="$1"; shift
    local peak=0 sampler out workers d0 w0 client
    workers="$(worker_pid "$PORT_new" 0) $(worker_pid "$PORT_new" 1)"
    d0="$(cpu_ticks "$PID_new")"; w0="$(cpu_ticks $workers)"
    ( while :; do awk '/^VmRSS:/ {print $2}' "/proc/$PID_new/status"; sleep 0.05; done ) >"$TMP/rss-$label" 2>/dev/null &
    sampler=$!
    # The client's CPU too (curl's user + system seconds, from bash's time): the three share the cores.
    local TIMEFORMAT='%U %S'
    { time curl -s --max-time 600 -H 'Expect:' -H 'Content-Type: application/octet-stream' -X POST "$@" \
        -w ' %{size_upload} %{speed_upload} %{http_code}' "http://127.0.0.1:$PORT_new/w/sha256" >"$TMP/out-$label"; } 2>"$TMP/time-$label"
    out="$(cat "$TMP/out-$label")"; client="$(awk '{print $1 + $2}' "$TMP/time-$label")"
    kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null || true
    peak="$(sort -n "$TMP/rss-$label" | tail -n1)"
    # CPU time per MiB (load-independent, unlike MiB/s on a shared machine): the dispatcher, its workers summed, curl.
    awk -v o="$out" -v p="$peak" -v l="$label" -v d=$(($(cpu_ticks "$PID_new") - d0)) -v w=$(($(cpu_ticks $workers) - w0)) -v t="$TICK" -v c="$client" \
        'BEGIN { n = split(o, a, " "); mib = a[n-2] / 1048576; printf "%s: %.0f MiB/s, HTTP %s, dispatcher peak RSS %.1f MiB, CPU ms/MiB dispatcher %.2f workers %.2f curl %.2f, answer %s\n", l, a[n-1] / 1048576, a[n], p / 1024, d * 1000 / t / mib, w * 1000 / t / mib, c * 1000 / mib, a[1] }'
}
# The sparse file curl uploads lives in /dev/shm when there is one: read from the root file system
# (ext4 here), curl spent up to 2.7 ms of CPU per MiB on it, more than the dispatcher, on the same 2 cores.
UPLOAD_DIR="$TMP"
if [ -d /dev/shm ] && [ -w /dev/shm ]; then UPLOAD_DIR="$(mktemp -d /dev/shm/uhttp-memory.XXXXXX)"; fi
truncate -s $((UPLOAD_MIB << 20)) "$UPLOAD_DIR/upload.bin"
# A warm-up of each kind first (WARM_MIB, default 512 MiB each): the first upload into a fresh dispatcher
# runs mostly interpreted code and came out at a third of the second; after 128 MiB the dispatcher
# still spent 1.8 ms of CPU per MiB, after 512 MiB about 1.0.
WARM_MIB="${WARM_MIB:-512}"
truncate -s $((WARM_MIB << 20)) "$UPLOAD_DIR/warm.bin"
log "warm-up: $(upload warm-length -T "$UPLOAD_DIR/warm.bin")"
log "warm-up: $(upload warm-chunked -H 'Transfer-Encoding: chunked' -T "$UPLOAD_DIR/warm.bin")"
UP_LENGTH="$(upload content-length -T "$UPLOAD_DIR/upload.bin")"
log "$UP_LENGTH"
UP_CHUNKED="$(upload chunked -H 'Transfer-Encoding: chunked' -T "$UPLOAD_DIR/upload.bin")"
log "$UP_CHUNKED"
if [ "${UPLOADS_ONLY:-0}" = 1 ]; then
    printf '\n| %s MiB upload through POST /w/sha256 (Unix sockets, this build) | |\n|---|---|\n| with Content-Length | %s |\n| chunked | %s |\n' \
        "$UPLOAD_MIB" "$UP_LENGTH" "$UP_CHUNKED"
    exit 0
fi

cat >"$TMP/post.lua" <<LUA
wrk.method = "POST"
wrk.body = string.rep("x", 1048576)
wrk.headers["Content-Type"] = "application/octet-stream"
LUA
wrk_rate() { # port seconds -> requests/s (non-2xx counted as a failure)
    local out
    out="$(timeout $(($2 + 30)) wrk -t2 -c64 -d"$2s" --timeout 10s -s "$TMP/post.lua" "http://127.0.0.1:$1/w/echo" 2>&1)" || die "wrk failed"
    if grep -q "Non-2xx" <<<"$out"; then log "non-2xx answers: $(grep Non-2xx <<<"$out")"; fi
    awk '/^Requests\/sec:/ {print $2}' <<<"$out"
}
log "warming up both for $WARMUP s each"
wrk_rate "$PORT_new" "$WARMUP" >/dev/null
wrk_rate "$PORT_base" "$WARMUP" >/dev/null
NEW_RATES=(); BASE_RATES=()
for r in $(seq "$RUNS"); do
    NEW_RATES+=("$(wrk_rate "$PORT_new" "$DURATION")")
    BASE_RATES+=("$(wrk_rate "$PORT_base" "$DURATION")")
    log "round $r: new ${NEW_RATES[-1]} req/s, base ${BASE_RATES[-1]} req/s (1 MiB each way)"
done
rss_line() { # name
    local pid port w0 w1
    eval "pid=\$PID_$1; port=\$PORT_$1"
    w0="$(worker_pid "$port" 0)"; w1="$(worker_pid "$port" 1)"
    echo "dispatcher $(rss_mib "$pid") MiB, workers $(rss_mib "$w0") / $(rss_mib "$w1") MiB"
}
RSS_NEW="$(rss_line new)"; RSS_BASE="$(rss_line base)"
log "RSS after the 64-connection 1 MiB echo: new: $RSS_NEW; base: $RSS_BASE"

med() { printf '%s\n' "$@" | sort -g | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
cat <<REPORT

| 64-connection 1 MiB echo (Unix sockets) | this build | $BASE_REF |
|---|---:|---:|
| requests/s (= MiB/s each way), median of $RUNS | $(med "${NEW_RATES[@]}") | $(med "${BASE_RATES[@]}") |
| rounds | ${NEW_RATES[*]} | ${BASE_RATES[*]} |
| RSS after the load | $RSS_NEW | $RSS_BASE |

| $UPLOAD_MIB MiB upload through POST /w/sha256 (Unix sockets, this build) | |
|---|---|
| with Content-Length | $UP_LENGTH |
| chunked | $UP_CHUNKED |
REPORT
