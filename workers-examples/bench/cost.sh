#!/usr/bin/env bash
# The cost benchmark of issue 21, in one command from the repository root:
#
#     bash workers-examples/bench/cost.sh
#
# What one request costs each process, side by side in one run: CPU time (utime + stime from
# /proc/<pid>/stat) per request of the dispatcher (sync route; pool route over Unix sockets and over
# pipes; 1 MiB echo) and of its workers summed, of nginx with one worker process proxying to two JDK
# HttpServer JVMs and answering 200 itself, and of those JVMs; bytes allocated on the dispatcher's loop
# thread per request (GET /loop-cost of BenchDispatcher reads ThreadMXBean#getCurrentThreadAllocatedBytes
# on the loop); system calls per request (perf stat -e raw_syscalls:sys_enter, counted in a separate
# run so that counting does not weigh on the CPU figures); requests/s; the ratios against issue 21's
# targets. CPU time and counts do not depend on what else the shared machine runs, wall time does.
#
# With BASE_DIR=<a built tree of another commit> (its workers-examples/target), that build's
# dispatchers run too, side by side ("before" rows); the allocation column needs its /loop-cost route.
# Dispatchers start from each build's jlink image when it has one (its baked-in JVM options; IMAGE=0: java -p).
#
# Environment: JAVA, RUNS (rounds, 2), DURATION (seconds per run, 5), WARMUP (seconds per case, 5),
# CONNS (64), BASE_DIR, BASE_PORT, KEEP_TMP=1. Bounded: each wrk run by `timeout`, the script by a
# watchdog (LIMIT_SECONDS, 600). Loopback only.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RUNS="${RUNS:-2}"
DURATION="${DURATION:-5}"
WARMUP="${WARMUP:-5}"
CONNS="${CONNS:-64}"
LIMIT_SECONDS="${LIMIT_SECONDS:-600}"
BENCH_NAME=cost
# shellcheck source=lib.sh
. "$HERE/lib.sh"
bench_init
command -v perf >/dev/null || log "no perf (apt-get install linux-perf): no system call counts"
TICK="$(getconf CLK_TCK)"

cpu_ticks() { # pid...: utime + stime summed, in clock ticks (fields 14 and 15, after the command name)
    local p sum=0 t
    for p in "$@"; do
        t="$(awk -v f="${CPU_FIELDS:-both}" '{sub(/^.*\) /, ""); print (f == "sys") ? $13 : $12 + $13}' "/proc/$p/stat" 2>/dev/null || echo 0)"
        sum=$((sum + t))
    done
    echo "$sum"
}

workers_of() { # dispatcher port: its workers' pids, space separated (retried: a busy new JVM answers late)
    local i pids=""
    for i in $(seq 10); do
        pids="$(curl -s --max-time 5 "http://127.0.0.1:$1/status" | grep -o '"pid":[0-9]*' | cut -d: -f2 | tr '\n' ' ' || true)"
        [ -n "${pids// /}" ] && { echo "$pids"; return 0; }
        sleep 1
    done
    die "no worker pids from http://127.0.0.1:$1/status"
}

loop_bytes() { # dispatcher port: bytes allocated so far on its loop thread, "" without /loop-cost
    curl -s --max-time 2 "http://127.0.0.1:$1/loop-cost" | grep -o '"allocatedBytes":[0-9]*' | cut -d: -f2 || true
}

# ------------------------------------------------------------------ servers

declare -A LABEL URL LUA FRONT BACK LOOP_PORT
CASES=()
define() { # key label url front_pids back_pids loop_port [lua]
    CASES+=("$1"); LABEL["$1"]="$2"; URL["$1"]="$3"; FRONT["$1"]="$4"; BACK["$1"]="$5"; LOOP_PORT["$1"]="$6"; LUA["$1"]="${7:-}"
}

write_post_scripts 1048576
start_pair() { # prefix label_suffix target: a unixsocket and a pipe dispatcher of that build, their cases
    local prefix="$1" suffix="$2" target="$3" u up p pp
    DISPATCHER_TARGET="$target"; start_dispatcher "$prefix-unix" unixsocket; u="$DPORT"; up="$DPID"
    wait_200 "http://127.0.0.1:$u/w/hello" 60
    DISPATCHER_TARGET="$target"; start_dispatcher "$prefix-pipe" pipe; p="$DPORT"; pp="$DPID"
    wait_200 "http://127.0.0.1:$p/w/hello" 60
    sleep 1
    define "$prefix-sync" "dispatcher, sync route$suffix" "http://127.0.0.1:$u/hello" "$up" "" "$u"
    define "$prefix-unix" "dispatcher, pool over unixsocket$suffix" "http://127.0.0.1:$u/w/hello" "$up" "$(workers_of "$u")" "$u"
    define "$prefix-pipe" "dispatcher, pool over pipe$suffix" "http://127.0.0.1:$p/w/hello" "$pp" "$(workers_of "$p")" "$p"
    define "$prefix-echo" "dispatcher, 1 MiB echo over unixsocket$suffix" "http://127.0.0.1:$u/w/echo" "$up" "$(workers_of "$u")" "$u" "$TMP/post-1048576.lua"
}

log "starting: this build's dispatchers (unixsocket, pipe)"
start_pair new "" "$TARGET"
if [ -n "${BASE_DIR:-}" ]; then
    log "starting: the dispatchers of $BASE_DIR"
    [ -n "$(examples_jar "$BASE_DIR/workers-examples/target")" ] || die "no jar in $BASE_DIR/workers-examples/target"
    start_pair base " (before)" "$BASE_DIR/workers-examples/target"
fi
log "starting: 2 JDK HttpServer JVMs, nginx with 1 worker process"
start_jdk jdk1; J1PORT="$JPORT"; J1PID="$JPID"; wait_200 "http://127.0.0.1:$J1PORT/" 30
start_jdk jdk2; J2PORT="$JPORT"; J2PID="$JPID"; wait_200 "http://127.0.0.1:$J2PORT/" 30
start_nginx 1 "$J1PORT" "$J2PORT"
NWORKER="$(pgrep -P "$(cat "$TMP/nginx/nginx.pid")" | head -n1)"
define nginx-proxy "nginx (1 worker) proxying to 2 JDK HttpServer JVMs" "http://127.0.0.1:$NPORT/" "$NWORKER" "$J1PID $J2PID" ""
define nginx-200 "nginx (1 worker), return 200" "http://127.0.0.1:$N200PORT/" "$NWORKER" "" ""

# ------------------------------------------------------------------ runs

declare -A R_FRONT R_BACK R_ALLOC R_RPS R_KERNEL SYS_FRONT SYS_BACK
wrk_run() { # key seconds -> WRK_OUT; the request count in WRK_N
    local lua=()
    [ -n "${LUA[$1]}" ] && lua=(-s "${LUA[$1]}")
    WRK_OUT="$(timeout $(($2 + 15)) wrk -t2 -c"$CONNS" --timeout 5s ${lua[@]+"${lua[@]}"} -d"${2}s" "${URL[$1]}" 2>&1)" \
        || die "wrk failed: ${LABEL[$1]}: $WRK_OUT"
    grep -q -e 'Non-2xx' -e 'Socket errors' <<<"$WRK_OUT" && log "  ${LABEL[$1]}: $(grep -e 'Non-2xx' -e 'Socket errors' <<<"$WRK_OUT")"
    WRK_N="$(awk '/requests in/ {print $1}' <<<"$WRK_OUT")"
}

run_once() { # key: one measured run; CPU µs per request of both sides, loop bytes per request, req/s
    local key="$1" f0 b0 a0 f1 b1 a1 s0 s1
    # shellcheck disable=SC2086
    { f0="$(cpu_ticks ${FRONT[$key]})"; b0="$(cpu_ticks ${BACK[$key]})"; s0="$(CPU_FIELDS=sys cpu_ticks ${FRONT[$key]})"; }
    a0=""; [ -n "${LOOP_PORT[$key]}" ] && a0="$(loop_bytes "${LOOP_PORT[$key]}")"
    wrk_run "$key" "$DURATION"
    a1=""; [ -n "${LOOP_PORT[$key]}" ] && a1="$(loop_bytes "${LOOP_PORT[$key]}")"
    # shellcheck disable=SC2086
    { f1="$(cpu_ticks ${FRONT[$key]})"; b1="$(cpu_ticks ${BACK[$key]})"; s1="$(CPU_FIELDS=sys cpu_ticks ${FRONT[$key]})"; }
    R_KERNEL["$key"]+="$(awk -v s=$((s1 - s0)) -v d=$((f1 - f0)) 'BEGIN {printf "%.0f", (d > 0 ? 100 * s / d : 0)}') "
    R_FRONT["$key"]+="$(awk -v d=$((f1 - f0)) -v n="$WRK_N" -v t="$TICK" 'BEGIN {printf "%.1f", d * 1e6 / t / n}') "
    R_BACK["$key"]+="$(awk -v d=$((b1 - b0)) -v n="$WRK_N" -v t="$TICK" 'BEGIN {printf "%.1f", d * 1e6 / t / n}') "
    if [ -n "$a0" ] && [ -n "$a1" ]; then
        R_ALLOC["$key"]+="$(awk -v d=$((a1 - a0)) -v n="$WRK_N" 'BEGIN {printf "%.0f", d / n}') "
    fi
    R_RPS["$key"]+="$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' <<<"$WRK_OUT") "
}

syscalls() { # key: one run of 3 s with perf counting both sides' system calls -> per request
    local key="$1" pf="" pb="" list
    command -v perf >/dev/null || return 0
    list="$(tr -s ' ' ',' <<<"${FRONT[$key]}" | sed 's/^,//; s/,$//')"
    perf stat -x, -e raw_syscalls:sys_enter -p "$list" -o "$TMP/sys-front" 2>/dev/null & pf=$!
    if [ -n "${BACK[$key]// /}" ]; then
        list="$(tr -s ' ' ',' <<<"${BACK[$key]}" | sed 's/^,//; s/,$//')"
        perf stat -x, -e raw_syscalls:sys_enter -p "$list" -o "$TMP/sys-back" 2>/dev/null & pb=$!
    fi
    sleep 0.5
    wrk_run "$key" 3
    kill -INT $pf ${pb:+$pb} 2>/dev/null || true
    wait $pf ${pb:+$pb} 2>/dev/null || true
    SYS_FRONT["$key"]="$(awk -F, -v n="$WRK_N" '/raw_syscalls/ {printf "%.1f", $1 / n}' "$TMP/sys-front" 2>/dev/null)"
    SYS_BACK["$key"]="-"
    [ -n "$pb" ] && SYS_BACK["$key"]="$(awk -F, -v n="$WRK_N" '/raw_syscalls/ {printf "%.1f", $1 / n}' "$TMP/sys-back" 2>/dev/null)"
    rm -f "$TMP/sys-front" "$TMP/sys-back"
}

log "java: $("$JAVA" -version 2>&1 | head -n1); $(nproc) cores; $CONNS connections; warm-up ${WARMUP}s, $RUNS rounds of ${DURATION}s"
for key in "${CASES[@]}"; do wrk_run "$key" "$WARMUP"; done
for i in $(seq "$RUNS"); do
    for key in "${CASES[@]}"; do run_once "$key"; done
    log "  round $i done"
done
for key in "${CASES[@]}"; do syscalls "$key"; done

# ------------------------------------------------------------------ report

med() { if [ -n "$1" ]; then median $1; else echo "-"; fi; } # shellcheck disable=SC2086
fmt() { awk -v v="$1" 'BEGIN {if (v == "-" || v == "") print "-"; else printf "%.1f", v}'; }
div() { awk -v a="$1" -v b="$2" 'BEGIN {if (a == "-" || b == "-" || b + 0 == 0) print "-"; else printf "%.2f", a / b}'; }
verdict() { awk -v v="$1" -v t="$2" 'BEGIN {if (v == "-") print "-"; else print ((v + 0 <= t + 0) ? "met" : "missed")}'; }
spread() { if [ -n "$1" ]; then echo "$(minimum $1)-$(maximum $1)"; else echo "-"; fi; } # shellcheck disable=SC2086

declare -A M_FRONT M_BACK M_ALLOC M_RPS
for key in "${CASES[@]}"; do
    M_FRONT["$key"]="$(med "${R_FRONT[$key]:-}")"; M_BACK["$key"]="$(med "${R_BACK[$key]:-}")"
    M_ALLOC["$key"]="$(med "${R_ALLOC[$key]:-}" | awk '{if ($1 == "-") print "-"; else printf "%.0f", $1}')"; M_RPS["$key"]="$(med "${R_RPS[$key]:-}")"
done

cat <<EOF

### uhttp-workers cost per request ($(date -u +%Y-%m-%d), $(nproc) cores, $("$JAVA" -version 2>&1 | head -n1 | tr -d '"'))

$CONNS keep-alive connections (wrk -t2), loopback; every server runs from the start; each case warmed up ${WARMUP} s, then
$RUNS rounds run every case once for $DURATION s; medians (spread min-max). CPU = utime + stime from /proc/<pid>/stat over the
run / requests served (kernel: the stime share of it); "back end" = the dispatcher's workers summed, or nginx's two JDK HttpServer JVMs. Loop bytes = bytes
allocated on the dispatcher's loop thread per request. System calls per request counted in a separate 3 s run (perf stat -e
raw_syscalls:sys_enter, every thread).

| Case | front CPU µs/req | front CPU in kernel | back end CPU µs/req | loop bytes/req | syscalls/req front / back | requests/s |
|---|---:|---:|---:|---:|---:|---:|
$(for k in "${CASES[@]}"; do
    echo "| ${LABEL[$k]} | $(fmt "${M_FRONT[$k]}") ($(spread "${R_FRONT[$k]:-}")) | $(med "${R_KERNEL[$k]:-}") % | $(fmt "${M_BACK[$k]}") | ${M_ALLOC[$k]} | ${SYS_FRONT[$k]:--} / ${SYS_BACK[$k]:--} | ${M_RPS[$k]} |"
done)

| Ratio (medians) | value | target | |
|---|---:|---:|---|
| dispatcher CPU, pool over unixsocket / nginx proxying | $(div "${M_FRONT[new-unix]}" "${M_FRONT[nginx-proxy]}") | <= 0.6 | $(verdict "$(div "${M_FRONT[new-unix]}" "${M_FRONT[nginx-proxy]}")" 0.6) |
| dispatcher CPU, pool over pipe / nginx proxying | $(div "${M_FRONT[new-pipe]}" "${M_FRONT[nginx-proxy]}") | <= 0.6 | $(verdict "$(div "${M_FRONT[new-pipe]}" "${M_FRONT[nginx-proxy]}")" 0.6) |
| dispatcher CPU, sync route / nginx return 200 | $(div "${M_FRONT[new-sync]}" "${M_FRONT[nginx-200]}") | <= 1.0 | $(verdict "$(div "${M_FRONT[new-sync]}" "${M_FRONT[nginx-200]}")" 1.0) |
| workers' CPU, pool over unixsocket / the JDK HttpServer JVMs' | $(div "${M_BACK[new-unix]}" "${M_BACK[nginx-proxy]}") | <= 0.5 | $(verdict "$(div "${M_BACK[new-unix]}" "${M_BACK[nginx-proxy]}")" 0.5) |
| loop bytes per small pool request (unixsocket) | ${M_ALLOC[new-unix]} | <= 256 | $(verdict "${M_ALLOC[new-unix]}" 256) |
| loop bytes per sync request | ${M_ALLOC[new-sync]} | <= 128 | $(verdict "${M_ALLOC[new-sync]}" 128) |
| requests/s, pool over unixsocket / nginx proxying | $(div "${M_RPS[new-unix]}" "${M_RPS[nginx-proxy]}") | >= 1.5 | $(awk -v v="$(div "${M_RPS[new-unix]}" "${M_RPS[nginx-proxy]}")" 'BEGIN {print ((v + 0 >= 1.5) ? "met" : "missed")}') |
| requests/s, pool over pipe / nginx proxying | $(div "${M_RPS[new-pipe]}" "${M_RPS[nginx-proxy]}") | >= 1.0 | $(awk -v v="$(div "${M_RPS[new-pipe]}" "${M_RPS[nginx-proxy]}")" 'BEGIN {print ((v + 0 >= 1.0) ? "met" : "missed")}') |
EOF
log "done in ${SECONDS}s"
