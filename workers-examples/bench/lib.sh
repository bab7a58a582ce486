# Helpers shared by the benchmark scripts (run.sh, cost.sh): sourced, not run. The caller sets
# BENCH_NAME (the log prefix) and LIMIT_SECONDS, then calls bench_init; JAVA, BASE_PORT, KEEP_TMP as
# in run.sh; IMAGE=0 starts BenchDispatcher with java -p rather than from the jlink image. Sets HERE, ROOT, TMP, PIDS, TARGET, JAR, MP, APP, NGINX.
# shellcheck shell=bash

ROOT="$(cd "$HERE/../.." && pwd)"
JAVA="${JAVA:-java}"
BASE_PORT="${BASE_PORT:-18180}"
TARGET="$ROOT/workers-examples/target"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/uhttp-${BENCH_NAME:-bench}.XXXXXX")"
PIDS=()
APP=uhttp.workers.examples/dev.uhttp.workers.examples.bench

log() { printf '[%s %3ds] %s\n' "${BENCH_NAME:-bench}" "$SECONDS" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ------------------------------------------------------------------ cleanup

stop_pid() { # pid: TERM, up to 5 s, then KILL; its children too (the dispatcher's workers)
    local pid="$1" kids i
    kill -0 "$pid" 2>/dev/null || return 0
    kids="$(pgrep -P "$pid" 2>/dev/null || true)"
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    for k in $kids; do kill -KILL "$k" 2>/dev/null || true; done
}

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    [ -n "${WATCHDOG:-}" ] && kill "$WATCHDOG" 2>/dev/null || true
    for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
    if [ -f "$TMP/nginx/nginx.pid" ]; then stop_pid "$(cat "$TMP/nginx/nginx.pid")"; fi
    if [ "${KEEP_TMP:-0}" = 1 ]; then log "kept $TMP"; else rm -rf "$TMP"; fi
    exit "$status"
}

bench_init() { # traps, the watchdog, the tools (apt-get when missing), the build
    trap cleanup EXIT
    trap 'exit 130' INT
    trap 'log "stopped (time limit or signal)"; exit 124' TERM
    ( sleep "$LIMIT_SECONDS"; kill -TERM $$ 2>/dev/null ) &
    WATCHDOG=$!
    local missing=()
    command -v wrk >/dev/null || missing+=(wrk)
    command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
    command -v curl >/dev/null || missing+=(curl)
    if [ ${#missing[@]} -gt 0 ]; then
        log "installing ${missing[*]} with apt-get"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >"$TMP/apt.log" 2>&1 \
            || { as_root apt-get update -q >>"$TMP/apt.log" 2>&1 \
                 && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >>"$TMP/apt.log" 2>&1; } \
            || { cat "$TMP/apt.log" >&2; die "apt-get install ${missing[*]} failed"; }
    fi
    NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
    JAR="$(examples_jar "$TARGET")"
    if [ -z "$JAR" ] || [ ! -d "$TARGET/lib" ]; then
        log "building (mvn -q -DskipTests package)"
        (cd "$ROOT" && mvn -q -DskipTests package) >&2
        JAR="$(examples_jar "$TARGET")"
    fi
    MP="$TARGET/lib:$JAR"
}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else die "need root for: $*"; fi; }

examples_jar() { ls "$1"/workers-examples-*.jar 2>/dev/null | grep -v -e sources -e javadoc | head -n1 || true; }

# ------------------------------------------------------------------ servers

free_port() { # prints a port nothing listens on and not handed out before
    # Callers run this in a subshell ($(free_port)), so the next candidate is kept in a file: a variable
    # would be lost, and two calls before anything binds (nginx's two servers) would get the same port.
    local p
    p="$(cat "$TMP/next-port" 2>/dev/null || echo "$BASE_PORT")"
    while (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do p=$((p + 1)); done
    echo $((p + 1)) >"$TMP/next-port"
    echo "$p"
}

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

http_code() { curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1" 2>/dev/null || true; }

wait_200() { # url timeout_s: waits until the url answers 200
    local deadline=$(( $(now_ms) + $2 * 1000 ))
    while [ "$(http_code "$1")" != 200 ]; do
        [ "$(now_ms)" -lt "$deadline" ] || die "no 200 from $1 within $2 s (logs in $TMP)"
        sleep 0.01
    done
}

rss_mib() { awk '/^VmRSS:/ {printf "%.1f", $2 / 1024}' "/proc/$1/status" 2>/dev/null || echo "?"; }

EXTRA=() # BenchDispatcher arguments for the next start_dispatcher
DISPATCHER_TARGET="" # the workers-examples/target of the next start_dispatcher when not this tree's
# dispatcher_java target: how to start BenchDispatcher from that build: from its jlink image when there is
# one (with the JVM options baked into it, as a user runs the example), else with java -p.
dispatcher_java() {
    if [ -x "$1/image/bin/java" ] && [ "${IMAGE:-1}" = 1 ]; then
        DJAVA=("$1/image/bin/java")
    else
        DJAVA=("$JAVA" -p "$1/lib:$(examples_jar "$1")")
    fi
}
start_dispatcher() { # name ipc [extra dispatcher jvm options...] [-- extra worker jvm options...] -> DPORT DPID
    local name="$1" ipc="$2"; shift 2
    local jvm=() wopts=()
    dispatcher_java "${DISPATCHER_TARGET:-$TARGET}"
    while [ $# -gt 0 ] && [ "$1" != -- ]; do jvm+=("$1"); shift; done
    [ $# -gt 0 ] && shift
    for o in "$@"; do wopts+=(--worker-jvm-option "$o"); done
    DPORT="$(free_port)"
    # A fresh cache directory: the launch measures a first run (no class data archive yet), and the
    # restarts use the archive the dispatcher trains once its pool is ready, as in a new deployment.
    XDG_CACHE_HOME="$TMP/cache-$name" "${DJAVA[@]}" ${jvm[@]+"${jvm[@]}"} -m "$APP.BenchDispatcher" --port "$DPORT" --ipc "$ipc" \
        --max-content-length $((2 << 20)) ${wopts[@]+"${wopts[@]}"} ${EXTRA[@]+"${EXTRA[@]}"} >"$TMP/$name.out" 2>"$TMP/$name.err" &
    DPID=$!
    EXTRA=(); DISPATCHER_TARGET=""
    PIDS+=("$DPID")
}

start_jdk() { # name -> JPORT JPID
    JPORT="$(free_port)"
    "$JAVA" -Dsun.net.httpserver.nodelay=true -p "$MP" --add-modules jdk.httpserver -m "$APP.JdkHelloServer" \
        --port "$JPORT" >"$TMP/$1.out" 2>"$TMP/$1.err" &
    JPID=$!
    PIDS+=("$JPID")
}

# start_nginx worker_processes upstream_port... -> NPORT (proxying, upstream keep-alive), N200PORT
# (answers 200 with the same JSON itself), nginx's master pid in $TMP/nginx/nginx.pid
start_nginx() {
    local workers="$1" upstreams="" p user_line=""; shift
    for p in "$@"; do upstreams+="        server 127.0.0.1:$p;"$'\n'; done
    NPORT="$(free_port)"; N200PORT="$(free_port)"
    mkdir -p "$TMP/nginx/logs" "$TMP/nginx/temp"
    [ "$(id -u)" = 0 ] && user_line="user root;"
    cat >"$TMP/nginx/nginx.conf" <<NGINX_CONF
$user_line
worker_processes $workers;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $TMP/nginx/temp/body;
    proxy_temp_path $TMP/nginx/temp/proxy;
    fastcgi_temp_path $TMP/nginx/temp/fastcgi;
    uwsgi_temp_path $TMP/nginx/temp/uwsgi;
    scgi_temp_path $TMP/nginx/temp/scgi;
    upstream jdk {
$upstreams        keepalive 128;
    }
    server {
        listen 127.0.0.1:$NPORT;
        location / {
            proxy_pass http://jdk;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
        }
    }
    server {
        listen 127.0.0.1:$N200PORT;
        location / {
            default_type application/json;
            return 200 '{"hello":"world"}';
        }
    }
}
NGINX_CONF
    "$NGINX" -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" -e "$TMP/nginx/logs/error.log" -g 'daemon off;' \
        >"$TMP/nginx.out" 2>"$TMP/nginx.err" &
    PIDS+=($!)
    wait_200 "http://127.0.0.1:$NPORT/" 10
}

worker_pid() { # dispatcher_port worker_id: that worker's pid from /status when it is ready
    curl -s --max-time 2 "http://127.0.0.1:$1/status" 2>/dev/null \
        | grep -o "\"id\":$2,\"pid\":[0-9]*,\"alive\":true,\"ready\":true" | sed 's/.*"pid":\([0-9]*\).*/\1/' || true
}

write_post_scripts() { # size...: $TMP/post-SIZE.lua, a wrk script POSTing SIZE bytes
    local size
    for size in "$@"; do
        cat >"$TMP/post-$size.lua" <<LUA
wrk.method = "POST"
wrk.body = string.rep("x", $size)
wrk.headers["Content-Type"] = "application/octet-stream"
LUA
    done
}

# ------------------------------------------------------------------ figures

to_ms() { # wrk latency (60.00us, 1.47ms, 1.02s) -> milliseconds
    awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0;
        else if (v ~ /m$/) n *= 60000; else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'
}

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
minimum() { printf '%s\n' "$@" | sort -g | head -n1; }
maximum() { printf '%s\n' "$@" | sort -g | tail -n1; }
