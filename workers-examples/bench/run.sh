#!/usr/bin/env bash
# The benchmark of issue 6, in one command from the repository root:
#
#     bash workers-examples/bench/run.sh
#
# Builds the jars when missing (mvn -q -DskipTests package), installs wrk and nginx with apt-get when
# missing, then starts every server on 127.0.0.1 at once, drives each with wrk (keep-alive, 1 and 64
# connections) and prints a Markdown table: median requests/s with the spread (min-max) of the runs,
# median p50 and p99 latency, the ratios issue 6 asks for, the time to the first 200 through a worker,
# the time from SIGKILL of a worker to that worker serving again (at rest and right after the 1 MiB
# load), and RSS.
#
# Cases: 1 sync handler in the dispatcher; 2 a pool of 2 workers over Unix sockets; 3 the same over
# pipes; 4 POST of 64 KiB and 1 MiB echoed by a worker; 5 nginx reverse-proxying (upstream keep-alive)
# to 2 JDK HttpServer JVMs; 6 one JDK HttpServer JVM hit directly. Compared cases run side by side:
# each is warmed up, then RUNS rounds run every case of the group once, so a drift of the machine's
# speed during the script moves a pool and its anchor alike.
#
# No CPU pinning: on 2 cores, any split (say the server on one core and wrk on the other) starves
# one side of the multi-process cases (dispatcher + 2 workers, nginx + 2 JVMs). Every process floats
# on both cores, the same for every case; wrk runs with 1 thread for 1 connection, 2 threads for 64.
#
# Environment: JAVA (default: java on the PATH), RUNS (rounds, 3), DURATION (seconds per run, 5),
# WARMUP / WARMUP_MAX / WARMUP_STEP (warm-up of at least 4 and at most 12 s, in steps of 2 s, until
# two steps agree within 5 %), BASE_PORT (first port tried, 18180), KEEP_TMP=1 keeps the temp directory.
# Everything is bounded: each wrk run by `timeout`, the whole script by a watchdog (570 s).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RUNS="${RUNS:-3}"
DURATION="${DURATION:-5}"
WARMUP="${WARMUP:-4}"
WARMUP_STEP="${WARMUP_STEP:-2}"
WARMUP_MAX="${WARMUP_MAX:-12}"
LIMIT_SECONDS="${LIMIT_SECONDS:-720}"
BENCH_NAME=bench
# shellcheck source=lib.sh
. "$HERE/lib.sh"
bench_init

# A case: key -> label, url, connections, wrk script, body bytes; its runs are kept per key.
declare -A LABEL URL CONNS LUA BYTES RUNS_RPS RUNS_P50 RUNS_P99 WARM BAD RPS NON200
CASES=()
define() { # key label url conns [lua script] [body bytes]
    CASES+=("$1"); LABEL["$1"]="$2"; URL["$1"]="$3"; CONNS["$1"]="$4"; LUA["$1"]="${5:-}"; BYTES["$1"]="${6:-0}"
    RUNS_RPS["$1"]=""; RUNS_P50["$1"]=""; RUNS_P99["$1"]=""; BAD["$1"]=0; NON200["$1"]=0
}

wrk_args() { # key -> WRK_ARGS
    local threads=1
    [ "${CONNS[$1]}" -gt 1 ] && threads=2
    WRK_ARGS=(-t"$threads" -c"${CONNS[$1]}" --latency --timeout 5s)
    [ -n "${LUA[$1]}" ] && WRK_ARGS+=(-s "${LUA[$1]}")
    return 0
}

# Warm-up until the rate is stable: on 2 busy cores the JIT compilers compete with the load, and a
# JVM can still run interpreted or profiled code after 10 s (seen: C2 threads at a third of a core
# 6 s into a run, and rates that differed by 40 % between runs with a fixed 4 s warm-up). Steps of
# WARMUP_STEP seconds, at least WARMUP, at most WARMUP_MAX, until two steps in a row agree within 5 %.
warm_up() { # key
    local key="$1" warm=0 prev=0 now out
    wrk_args "$key"
    while :; do
        out="$(timeout $((WARMUP_STEP + 15)) wrk "${WRK_ARGS[@]}" -d"${WARMUP_STEP}s" "${URL[$key]}" 2>&1)" \
            || die "wrk warm-up failed: ${LABEL[$key]}"
        now="$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")"
        warm=$((warm + WARMUP_STEP))
        if [ "$warm" -ge "$WARMUP" ] && awk -v a="$prev" -v b="$now" 'BEGIN {exit !(b > 0 && a > 0 && (a - b) / b < 0.05 && (b - a) / b < 0.05)}'; then
            break
        fi
        [ "$warm" -ge "$WARMUP_MAX" ] && break
        prev="$now"
    done
    WARM["$key"]="$warm"
}

run_once() { # key: one measured run of DURATION seconds, kept with the case
    local key="$1" out r p50 p99 errs
    wrk_args "$key"
    out="$(timeout $((DURATION + 15)) wrk "${WRK_ARGS[@]}" -d"${DURATION}s" "${URL[$key]}" 2>&1)" \
        || die "wrk failed: ${LABEL[$key]}: $out"
    echo "== ${LABEL[$key]} c=${CONNS[$key]}" >>"$TMP/wrk.log"; echo "$out" >>"$TMP/wrk.log"
    r="$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")"
    p50="$(to_ms "$(awk '$1 == "50%" {print $2}' <<<"$out")")"
    p99="$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")"
    errs="$(awk '/Non-2xx|Socket errors/ {print}' <<<"$out")"
    [ -n "$errs" ] && { BAD["$key"]=1; log "  ${LABEL[$key]} c=${CONNS[$key]}: $errs"; }
    # Answers that were not 200: non-2xx/3xx responses plus socket errors (connect, read, write, timeout).
    NON200["$key"]=$(( NON200[$key] + $(awk '/Non-2xx/ {n += $NF} /Socket errors/ {gsub(/,/, ""); n += $4 + $6 + $8 + $10} END {print n + 0}' <<<"$out") ))
    RUNS_RPS["$key"]+="$r "; RUNS_P50["$key"]+="$p50 "; RUNS_P99["$key"]+="$p99 "
}

# measure key...: warms every case up, then RUNS rounds, each running every case once. Cases that are
# compared (a pool and the anchor) are measured side by side, so that a drift of the machine's speed
# during the script (seen: the same case 20 % slower minutes later) moves both alike.
measure() {
    local key i
    for key in "$@"; do warm_up "$key"; done
    for i in $(seq "$RUNS"); do
        for key in "$@"; do run_once "$key"; done
    done
    for key in "$@"; do
        # shellcheck disable=SC2086
        RPS["$key"]="$(median ${RUNS_RPS[$key]})"
        log "  ${LABEL[$key]} c=${CONNS[$key]}: $(printf '%.0f' "${RPS[$key]}") req/s (runs: ${RUNS_RPS[$key]}; warm-up ${WARM[$key]}s)"
    done
}

row() { # key: the case's table row
    local key="$1" med lo hi mibs="" note="" spread
    # shellcheck disable=SC2086
    { med="$(median ${RUNS_RPS[$key]})"; lo="$(minimum ${RUNS_RPS[$key]})"; hi="$(maximum ${RUNS_RPS[$key]})"; }
    if [ "${BYTES[$key]}" -gt 0 ]; then mibs="$(awk -v r="$med" -v b="${BYTES[$key]}" 'BEGIN {printf "%.0f", r * b / 1048576}')"; fi
    [ "${BAD[$key]}" = 1 ] && note=" (errors, see log)"
    spread="$(awk -v lo="$lo" -v hi="$hi" -v m="$med" 'BEGIN {printf "%.0f-%.0f (%.1f%%)", lo, hi, (m > 0) ? 100 * (hi - lo) / m : 0}')"
    # shellcheck disable=SC2086
    echo "| ${LABEL[$key]}$note | ${CONNS[$key]} | $(printf '%.0f' "$med") | $spread | $(median ${RUNS_P50[$key]}) | $(median ${RUNS_P99[$key]}) | ${mibs:--} |"
}

# ratio_range a b: min-max over the rounds of a's run i / b's run i (the rounds ran them side by side)
ratio_range() {
    paste -d' ' <(tr ' ' '\n' <<<"${RUNS_RPS[$1]}" | sed '/^$/d') <(tr ' ' '\n' <<<"${RUNS_RPS[$2]}" | sed '/^$/d') \
        | awk '$2 > 0 {r = $1 / $2; if (n == 0 || r < lo) lo = r; if (n == 0 || r > hi) hi = r; n++}
               END {if (n) printf "%.2f-%.2f", lo, hi; else print "-"}'
}

log "java: $("$JAVA" -version 2>&1 | head -n1); $(nproc) cores; no CPU pinning; $RUNS rounds of ${DURATION}s runs after a ${WARMUP}-${WARMUP_MAX}s warm-up"

# restarts name port: SIGKILL worker 0, then poll GET /w/pid (the pool alternates between its idle
# workers) until the new process answers; three times, into RESTARTS_<name> (ms, space separated).
restarts() {
    local name="$1" port="$2" attempt old t deadline new times=()
    for attempt in 1 2 3; do
        sleep 1
        old="$(worker_pid "$port" 0)"; [ -n "$old" ] || die "no pid for worker 0"
        t="$(now_ms)"
        kill -KILL "$old"
        deadline=$((t + 20000)); new=""
        while :; do
            new="$(worker_pid "$port" 0)"
            if [ -n "$new" ] && [ "$new" != "$old" ] \
               && curl -s --max-time 2 "http://127.0.0.1:$port/w/pid" "http://127.0.0.1:$port/w/pid" | grep -q "\"pid\":$new\b"; then
                break
            fi
            [ "$(now_ms)" -lt "$deadline" ] || die "worker 0 did not come back within 20 s"
            sleep 0.005
        done
        times+=($(( $(now_ms) - t )))
    done
    printf -v "RESTARTS_$name" '%s' "${times[*]}"
    log "  SIGKILL of worker 0 to serving again ($name): ${times[*]} ms"
}


# capacity name port: SIGKILL of an active worker to the pool at full capacity again (as many active
# ready workers as before, none the killed one), three times, into CAPACITY_<name> (ms). CapacityProbe
# kills and polls /status on one keep-alive connection every millisecond. With a spare, the spare takes
# the place at once; without, the killed worker's new JVM has to start.
capacity() {
    local name="$1" port="$2" attempt ms times=()
    for attempt in 1 2 3; do
        sleep 2 # a new spare, or the restarted worker, ready again
        ms="$("$JAVA" -p "$MP" -m "$APP.CapacityProbe" "$port")" || die "$name: capacity probe failed"
        times+=("$ms")
    done
    printf -v "CAPACITY_$name" '%s' "${times[*]}"
    log "  SIGKILL of an active worker to full capacity again ($name): ${times[*]} ms"
}

# ------------------------------------------------------------------ start every server

log "starting: dispatcher with a pool of 2 workers over unixsocket"
T0="$(now_ms)"
start_dispatcher d-unix unixsocket
UPORT="$DPORT"; UPID="$DPID"
wait_200 "http://127.0.0.1:$UPORT/w/hello" 30
STARTUP_MS=$(( $(now_ms) - T0 ))
log "  first 200 through a worker: $STARTUP_MS ms after launch"
sleep 2
W0="$(worker_pid "$UPORT" 0)"; [ -n "$W0" ] || die "no pid for worker 0"
RSS_D_IDLE="$(rss_mib "$UPID")"; RSS_W_IDLE="$(rss_mib "$W0")"
log "  RSS idle: dispatcher $RSS_D_IDLE MiB, worker 0 $RSS_W_IDLE MiB"

log "starting: dispatcher with a pool of 2 workers over pipe, 2 JDK HttpServer JVMs, nginx"
# One at a time: free_port only knows a port is taken once its server listens.
start_dispatcher d-pipe pipe
PPORT="$DPORT"
wait_200 "http://127.0.0.1:$PPORT/w/hello" 30
EXTRA=(--spares 1); start_dispatcher d-spare unixsocket; SPORT="$DPORT"
wait_200 "http://127.0.0.1:$SPORT/w/hello" 30
EXTRA=(--max-requests 1000); start_dispatcher d-recycle unixsocket; RPORT="$DPORT"
wait_200 "http://127.0.0.1:$RPORT/w/hello" 30
start_jdk jdk1; J1PORT="$JPORT"
wait_200 "http://127.0.0.1:$J1PORT/" 30
start_jdk jdk2; J2PORT="$JPORT"
wait_200 "http://127.0.0.1:$J2PORT/" 30

start_nginx 2 "$J1PORT" "$J2PORT"

write_post_scripts 65536 1048576
define c1_1 "1 sync handler in the dispatcher" "http://127.0.0.1:$UPORT/hello" 1
define c1_64 "1 sync handler in the dispatcher" "http://127.0.0.1:$UPORT/hello" 64
define c2_1 "2 pool of 2 workers, unixsocket" "http://127.0.0.1:$UPORT/w/hello" 1
define c2_64 "2 pool of 2 workers, unixsocket" "http://127.0.0.1:$UPORT/w/hello" 64
define c3_1 "3 pool of 2 workers, pipe" "http://127.0.0.1:$PPORT/w/hello" 1
define c3_64 "3 pool of 2 workers, pipe" "http://127.0.0.1:$PPORT/w/hello" 64
define c5_1 "5 nginx to 2 JDK HttpServer JVMs" "http://127.0.0.1:$NPORT/" 1
define c5_64 "5 nginx to 2 JDK HttpServer JVMs" "http://127.0.0.1:$NPORT/" 64
define c6_1 "6 one JDK HttpServer JVM, direct" "http://127.0.0.1:$J1PORT/" 1
define c6_64 "6 one JDK HttpServer JVM, direct" "http://127.0.0.1:$J1PORT/" 64
define c4a_1 "4 POST 64 KiB echo, unixsocket" "http://127.0.0.1:$UPORT/w/echo" 1 "$TMP/post-65536.lua" 65536
define c4a_64 "4 POST 64 KiB echo, unixsocket" "http://127.0.0.1:$UPORT/w/echo" 64 "$TMP/post-65536.lua" 65536
define c4b_1 "4 POST 1 MiB echo, unixsocket" "http://127.0.0.1:$UPORT/w/echo" 1 "$TMP/post-1048576.lua" 1048576
define c4b_64 "4 POST 1 MiB echo, unixsocket" "http://127.0.0.1:$UPORT/w/echo" 64 "$TMP/post-1048576.lua" 1048576
define c4p_64 "4 POST 1 MiB echo, pipe" "http://127.0.0.1:$PPORT/w/echo" 64 "$TMP/post-1048576.lua" 1048576
define c7_64 "7 pool of 2 workers, unixsocket, each recycled every 1000 requests" "http://127.0.0.1:$RPORT/w/hello" 64

# ------------------------------------------------------------------ cases 1, 2, 3, 5, 6 side by side

log "cases 1, 2, 3, 5, 6 at 1 connection, side by side"
measure c2_1 c3_1 c5_1 c1_1 c6_1
log "cases 1, 2, 3, 5, 6 at 64 connections, side by side"
measure c2_64 c3_64 c5_64 c1_64 c6_64

# The restart on a machine at rest (every server idle), with the class data archive the dispatcher
# trained once its pool was ready.
for i in $(seq 100); do ls "$TMP/cache-d-unix/uhttp-workers/cds/"*.jsa >/dev/null 2>&1 && break; sleep 0.1; done
restarts idle "$UPORT"

# ------------------------------------------------------------------ case 7: recycling, spares

log "case 7: every worker recycled every 1000 requests, side by side with no recycling"
measure c7_64 c2_64
capacity spare "$SPORT"
capacity nospare "$UPORT"

# ------------------------------------------------------------------ case 4: bodies through a worker

log "case 4: POST bodies echoed by a worker"
measure c4a_1 c4a_64 c4b_1 c4b_64 c4p_64
W0="$(worker_pid "$UPORT" 0)"
RSS_D_LOAD="$(rss_mib "$UPID")"; RSS_W_LOAD="$(rss_mib "$W0")"
log "  RSS after load: dispatcher $RSS_D_LOAD MiB, worker 0 $RSS_W_LOAD MiB"
restarts loaded "$UPORT"

# ------------------------------------------------------------------ report

ratio() { awk -v a="${RPS[$1]}" -v b="${RPS[$2]}" 'BEGIN {printf "%.2f", (b > 0) ? a / b : 0}'; }
verdict() { awk -v v="$1" -v t="$2" 'BEGIN {print ((v + 0 >= t + 0) ? "met" : "missed")}'; }
R25="$(ratio c2_64 c5_64)"; R35="$(ratio c3_64 c5_64)"; R16="$(ratio c1_64 c6_64)"
R25_1="$(ratio c2_1 c5_1)"; R35_1="$(ratio c3_1 c5_1)"; R16_1="$(ratio c1_1 c6_1)"
mib() { awk -v r="${RPS[$1]}" 'BEGIN {printf "%.0f", r}'; }
best_unix="$(awk -v a="${RPS[c4b_1]}" -v b="${RPS[c4b_64]}" 'BEGIN {printf "%.0f", (a > b) ? a : b}')"
pipe_1m="$(mib c4p_64)"
best_1m="$(awk -v a="$best_unix" -v b="$pipe_1m" 'BEGIN {printf "%.0f", (a > b) ? a : b}')"
# shellcheck disable=SC2086
{ RESTART_IDLE="$(median $RESTARTS_idle)"; RESTART_LOADED="$(median $RESTARTS_loaded)"; }
# shellcheck disable=SC2086
{ CAP_SPARE="$(median $CAPACITY_spare)"; CAP_NOSPARE="$(median $CAPACITY_nospare)"; }
R72="$(ratio c7_64 c2_64)"

cat <<EOF

### uhttp-workers benchmark ($(date -u +%Y-%m-%d), $(nproc) cores, $("$JAVA" -version 2>&1 | head -n1 | tr -d '"'))

Every server runs from the start; each case is warmed up ($WARMUP to $WARMUP_MAX s, until the rate is stable within 5 %), then
$RUNS rounds run every case of a group once for $DURATION s, side by side; the table gives the median of the rounds and their
spread (min-max, and (max-min)/median). wrk keep-alive, 1 thread for 1 connection, 2 threads for 64; no CPU pinning;
everything on 127.0.0.1.

| Case | Conns | Requests/s | Spread | p50 ms | p99 ms | MiB/s |
|---|---:|---:|---|---:|---:|---:|
$(for k in c1_1 c1_64 c2_1 c2_64 c7_64 c3_1 c3_64 c4a_1 c4a_64 c4b_1 c4b_64 c4p_64 c6_1 c6_64 c5_1 c5_64; do row "$k"; done)

| Ratio (requests/s, medians) | 1 conn | 64 conns | 64 conns, round by round | Target (64 conns) | |
|---|---:|---:|---:|---:|---|
| case 2 / case 5 (unixsocket pool / nginx to 2 JVMs) | $R25_1 | $R25 | $(ratio_range c2_64 c5_64) | >= 1.25 | $(verdict "$R25" 1.25) |
| case 3 / case 5 (pipe pool / nginx to 2 JVMs) | $R35_1 | $R35 | $(ratio_range c3_64 c5_64) | >= 1.0 | $(verdict "$R35" 1.0) |
| case 1 / case 6 (sync handler / one JDK HttpServer) | $R16_1 | $R16 | $(ratio_range c1_64 c6_64) | >= 1.0 | $(verdict "$R16" 1.0) |

| Other measurement | Value | Target | |
|---|---:|---:|---|
| 1 MiB echo through a worker, MiB/s: unixsocket (best of 1 and 64 conns) / pipe (64 conns) | $best_unix / $pipe_1m | >= 300 | $(verdict "$best_1m" 300) |
| launch of the dispatcher to its first 200 through a worker | $STARTUP_MS ms | | |
| SIGKILL of a worker to that worker serving again, machine at rest (median of $RESTARTS_idle ms) | $RESTART_IDLE ms | < 1000 ms | $(awk -v v="$RESTART_IDLE" 'BEGIN {print ((v < 1000) ? "met" : "missed")}') |
| the same right after the 1 MiB load (median of $RESTARTS_loaded ms) | $RESTART_LOADED ms | | |
| RSS of one idle worker (default JVM options), after start / after load | $RSS_W_IDLE / $RSS_W_LOAD MiB | < 64 MiB | $(verdict $(awk -v v="$RSS_W_IDLE" 'BEGIN {print ((v < 64) ? 1 : 0)}') 1) |
| RSS of the dispatcher, idle / after load | $RSS_D_IDLE / $RSS_D_LOAD MiB | | |
| case 7 / case 2 (every worker recycled every 1000 requests / no recycling, 64 conns; round by round $(ratio_range c7_64 c2_64)) | $R72 | >= 0.9 | $(verdict "$R72" 0.9) |
| answers other than 200 during case 7 / case 2 | ${NON200[c7_64]} / ${NON200[c2_64]} | 0 | $(awk -v a="${NON200[c7_64]}" -v b="${NON200[c2_64]}" 'BEGIN {print ((a + b == 0) ? "met" : "missed")}') |
| SIGKILL of an active worker to full capacity again, with a spare (median of $CAPACITY_spare ms) | $CAP_SPARE ms | < 50 ms | $(awk -v v="$CAP_SPARE" 'BEGIN {print ((v < 50) ? "met" : "missed")}') |
| the same without a spare (median of $CAPACITY_nospare ms) | $CAP_NOSPARE ms | | |
EOF
log "done in ${SECONDS}s"
