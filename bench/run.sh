#!/usr/bin/env bash
# run.sh — build the peer programs (peers/: raw epoll, Boost.Asio, libuv, Node.js, asyncio,
# nginx) and measure them and cogen's benchmark programs side by side, the same way.
#
# usage: bench/run.sh [COGEN_BUILD_DIR]     (default: build/ of this repository, when it
#                                            holds cogen-bench-switch; "none": peers only)
#        bench/run.sh --help
#
# Writes results.md and results.csv to BENCH_OUT (default: build/bench-results/ of this
# repository), per-run logs under its build/logs/. How to run it and the interface of
# cogen's benchmark programs: bench/README.md. Knobs (environment):
#   BENCH_DURATION=5s  BENCH_REPS=3
#   BENCH_LOADS="c50 c500 c50p16"  wrk load configs: cN = N connections,
#                      cNpD = N connections with D requests pipelined (wrk-pipeline.lua)
#   BENCH_SERVER_CPU=0 BENCH_CLIENT_CPU=1    BENCH_PORT=18080 (first port tried)
#   BENCH_ONLY=REGEX   only rows whose name matches (e.g. 'raw|cogen')
#   SWITCH_N=10000000  SLOW_SWITCH_N=300000 (interpreted peers)  TIMERS_N=100000
#                      (switch programs report the best of 5 trials of N each)
#   COGEN_PROACTORS="select poll epoll uring"  COGEN_TRACES="off"  (or any of
#                      "off noop ring file jsonl live": file = the binary format;
#                      live = a live feed nobody attaches to)
#   BENCH_USER=auto    user µs/req from perf samples of the server's user time (one
#                      every 100 µs of its CPU time; a second run of each load, perf
#                      attached) where perf can sample it, else from 100 Hz tick counts;
#                      "ticks" forces the ticks (and one run per load)
#   PYTHON=...  NODE=...  NGINX=...          interpreters / binaries to use
#
# Every server is started by this script pinned to BENCH_SERVER_CPU, loaded
# with wrk pinned to BENCH_CLIENT_CPU, and stopped with SIGTERM. Only PIDs
# this script started are ever signalled.
set -u -o pipefail

if [ "${1:-}" = "--help" ] || [ "${1:-}" = "-h" ]; then
  sed -n '2,/^set -u/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'
  exit 0
fi
case "${1:-}" in -*) echo "bench/run.sh: unknown option $1 (see --help)" >&2; exit 2 ;; esac

DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$DIR/.." && pwd)"
PEERS="$DIR/peers"
# Output goes to BENCH_OUT, by default beside the build (never into the source tree).
OUT_DIR=${BENCH_OUT:-$REPO/build/bench-results}
mkdir -p "$OUT_DIR" || { echo "bench/run.sh: cannot create $OUT_DIR (set BENCH_OUT)" >&2; exit 2; }
BUILD="$OUT_DIR/build"
LOGS="$BUILD/logs"
RESULTS_MD="$OUT_DIR/results.md"
RESULTS_CSV="$OUT_DIR/results.csv"

DURATION=${BENCH_DURATION:-5s}
LOADS=${BENCH_LOADS:-"c50 c500 c50p16"}
REPS=${BENCH_REPS:-3}
SERVER_CPU=${BENCH_SERVER_CPU:-0}
CLIENT_CPU=${BENCH_CLIENT_CPU:-1}
NEXT_PORT=${BENCH_PORT:-18080}
ONLY=${BENCH_ONLY:-}
SWITCH_N=${SWITCH_N:-10000000}
SLOW_SWITCH_N=${SLOW_SWITCH_N:-300000}
TIMERS_N=${TIMERS_N:-100000}
COGEN_PROACTORS=${COGEN_PROACTORS:-"select poll epoll uring"}
COGEN_TRACES=${COGEN_TRACES:-"off"}

COGEN_DIR=""
COGEN_NOTE=""
if [ $# -eq 0 ] && [ -x "$REPO/build/bench/cogen-bench-switch" ]; then
  set -- "$REPO/build"
fi
if [ "${1:-}" = "none" ]; then
  shift
elif [ $# -ge 1 ] && [ -n "$1" ]; then
  if [ -d "$1" ]; then
    COGEN_DIR="$(cd "$1" && pwd)"
  else
    COGEN_NOTE="cogen build directory '$1' not found: cogen rows skipped"
  fi
fi

mkdir -p "$LOGS"
rm -f "$LOGS"/*.txt "$LOGS"/*.log  # logs describe the latest run only
TMPROOT="$(mktemp -d)"
log() { printf '[bench] %s\n' "$*" >&2; }

# ---------------------------------------------------------------- processes
STARTED=()  # PIDs this script started and has not reaped yet

forget_pid() {
  local keep=() p
  for p in "${STARTED[@]}"; do [ "$p" != "$1" ] && keep+=("$p"); done
  STARTED=("${keep[@]}")
}

# True while PID runs (a zombie, i.e. exited but not yet reaped, counts as gone).
alive() {
  local st
  st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
  [ -n "$st" ] && [ "$st" != "Z" ] && [ "$st" != "X" ]
}

cleanup() {
  local p
  for p in "${STARTED[@]}"; do alive "$p" && kill -TERM "$p" 2>/dev/null; done
  sleep 0.5
  for p in "${STARTED[@]}"; do alive "$p" && kill -KILL "$p" 2>/dev/null; done
  rm -rf "$TMPROOT"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

# start_server LOGNAME CMD... : starts CMD pinned to SERVER_CPU; sets SERVER_PID.
start_server() {
  local logfile="$LOGS/$1.server.log"
  shift
  taskset -c "$SERVER_CPU" "$@" >"$logfile" 2>&1 &
  SERVER_PID=$!
  STARTED+=("$SERVER_PID")
}

# stop_server PID : SIGTERM, wait up to 5 s, then SIGKILL; sets STOP_STATUS.
stop_server() {
  local pid=$1 i rc
  if alive "$pid"; then
    kill -TERM "$pid" 2>/dev/null
    for i in $(seq 50); do alive "$pid" || break; sleep 0.1; done
  fi
  if alive "$pid"; then
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    STOP_STATUS="no exit 5 s after SIGTERM (killed)"
  else
    wait "$pid" 2>/dev/null
    rc=$?
    if [ "$rc" -eq 0 ]; then STOP_STATUS="clean"; else STOP_STATUS="exit $rc on SIGTERM"; fi
  fi
  forget_pid "$pid"
}

port_in_use() { ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }
take_port() {
  while port_in_use "$NEXT_PORT"; do NEXT_PORT=$((NEXT_PORT + 1)); done
  PORT=$NEXT_PORT
  NEXT_PORT=$((NEXT_PORT + 1))
}

wanted() { [ -z "$ONLY" ] || [[ "$1" =~ $ONLY ]]; }

median() {
  printf '%s\n' "$@" | grep -E '^-?[0-9.]+([eE][-+]?[0-9]+)?$' | sort -g |
    awk '{a[NR]=$1} END{if(NR==0)print ""; else if(NR%2)printf "%.10g\n", a[(NR+1)/2]; else printf "%.10g\n", (a[NR/2]+a[NR/2+1])/2}'
}
join_by() { local IFS="$1"; shift; echo "$*"; }

# ---------------------------------------------------------------- tools
PY=""
HAVE_UVLOOP=0
for cand in ${PYTHON:-} /usr/bin/python3 python3; do
  if command -v "$cand" >/dev/null 2>&1 && "$cand" -c 'import uvloop' 2>/dev/null; then
    PY=$cand; HAVE_UVLOOP=1; break
  fi
done
if [ -z "$PY" ]; then PY=${PYTHON:-python3}; fi
NODE=${NODE:-node}
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
HAVE_WRK=1
command -v wrk >/dev/null 2>&1 || HAVE_WRK=0
command -v taskset >/dev/null 2>&1 || { log "taskset missing (util-linux)"; exit 1; }

# Servers and wrk -c500 need file descriptors.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null

# ---------------------------------------------------------------- build
log "building peers (log: build/logs/build.log)"
make --no-print-directory -C "$PEERS" OUT="$BUILD" -k -j"$(nproc)" >"$LOGS/build.log" 2>&1 || log "some peers failed to build; see build/logs/build.log"

# ---------------------------------------------------------------- results store
# Each row: category|name|metric|median|unit|samples(;)|note
ROWS_FILE="$TMPROOT/rows"
: >"$ROWS_FILE"
add_row() { printf '%s|%s|%s|%s|%s|%s|%s\n' "$@" >>"$ROWS_FILE"; }
HTTP_ORDER=()
KV_ORDER=()
declare -A NOTE=()

# ---------------------------------------------------------------- HTTP
CLK_TCK=$(getconf CLK_TCK)

# CPU ticks "USER SYSTEM" (all threads) of PID and its direct children (the
# nginx worker); exited children already reaped are not counted.
tree_ticks() {
  local p kids u=0 s=0 st
  kids=$(cat /proc/"$1"/task/*/children 2>/dev/null)
  for p in "$1" $kids; do
    st=$(sed 's/.*) //' "/proc/$p/stat" 2>/dev/null) || continue
    set -- $st
    u=$((u + ${12:-0}))
    s=$((s + ${13:-0}))
  done
  echo "$u $s"
}

# The server's PID and its direct children's, comma-separated (for perf -p).
tree_pids() {
  local kids
  kids=$(cat /proc/"$1"/task/*/children 2>/dev/null)
  echo "$1" $kids | tr ' ' ','
}

# User time from perf samples: `perf record -e cpu-clock:u -c 100000` takes a sample every
# 100 µs of the server's CPU time and keeps those that fell in user mode, so samples ×
# 100 µs is its user time to ±2 % at these rates (ticks: ±10–15 % where the user share is
# a tenth of the CPU). Used when perf can sample here (root, or perf_event_paranoid ≤ 1).
USER_METHOD=ticks
if [ "${BENCH_USER:-auto}" != ticks ] && command -v perf >/dev/null 2>&1; then
  probe=$(mktemp)
  if perf record -q -e cpu-clock:u -c 100000 -o "$probe" -- true >/dev/null 2>&1; then
    USER_METHOD=perf
  fi
  rm -f "$probe"
fi
# DURATION ("4s", "500ms", "1m") in seconds.
duration_s() {
  awk -v d="$1" 'BEGIN{v=d; u=d; sub(/[a-z]+$/,"",v); sub(/^[0-9.]+/,"",u);
    print (u=="ms") ? v/1000 : (u=="m") ? v*60 : (u=="h") ? v*3600 : v}'
}

# Load configuration cN (N connections) or cNpD (N connections, D requests
# pipelined per round trip).
load_conns() { local l=${1#c}; echo "${l%%p*}"; }
load_depth() { [[ "$1" == *p* ]] && echo "${1##*p}" || echo 1; }

# run_http NAME CMD... : CMD may contain {PORT}; runs the full load matrix.
run_http() {
  local name=$1
  shift
  wanted "$name" || return 0
  HTTP_ORDER+=("$name")
  if [ "$HAVE_WRK" -eq 0 ]; then NOTE[$name]="skipped: wrk not installed"; return 0; fi
  take_port
  local args=() a
  for a in "$@"; do args+=("${a//\{PORT\}/$PORT}"); done
  log "http $name on port $PORT: ${args[*]}"
  start_server "$name" "${args[@]}"
  local pid=$SERVER_PID
  local check
  if ! check=$("$PY" "$DIR/http_check.py" --port "$PORT" --wait 10 2>&1); then
    if alive "$pid"; then
      NOTE[$name]="skipped: failed sanity check: $check"
    else
      wait "$pid" 2>/dev/null
      NOTE[$name]="skipped: exited with status $? at startup (see build/logs/$name.server.log)"
      forget_pid "$pid"
    fi
    log "${NOTE[$name]}"
    alive "$pid" && stop_server "$pid"
    return 0
  fi
  # Warm-up (JITs, caches, TCP): not recorded.
  taskset -c "$CLIENT_CPU" wrk -t1 -c50 -d1s "http://127.0.0.1:$PORT/" >/dev/null 2>&1
  local load c depth r out rps p99 errs reqs secs t0 t1 notes=""
  for load in $LOADS; do
    c=$(load_conns "$load")
    depth=$(load_depth "$load")
    local pre=() post=()
    [ "$depth" -gt 1 ] && pre=(-s "$DIR/wrk-pipeline.lua") && post=(-- "$depth")
    local rps_s=() p99_s=() cpu_s=() user_s=() util_s=() err_total=0 u0 s0 u1 s1
    for r in $(seq "$REPS"); do
      out="$LOGS/$name.$load.r$r.wrk.txt"
      read -r u0 s0 < <(tree_ticks "$pid")
      taskset -c "$CLIENT_CPU" wrk -t1 -c"$c" -d"$DURATION" --latency "${pre[@]}" \
        "http://127.0.0.1:$PORT/" "${post[@]}" >"$out" 2>&1
      read -r u1 s1 < <(tree_ticks "$pid")
      local samples="" ureqs="" uout="$LOGS/$name.$load.r$r.user.wrk.txt"
      if [ "$USER_METHOD" = perf ]; then
        # A second run of the same load with perf attached, for the user time alone: an
        # attached perf costs the server's kernel side about a sixth more CPU per request
        # (it follows every context switch), which req/s and server CPU must not see.
        # Attached before wrk starts (that takes a moment), detached after it ends: the
        # server is idle outside the run, so the extra time adds no user samples.
        local udata="$LOGS/$name.$load.r$r.perf.data" rec
        taskset -c "$CLIENT_CPU" perf record -q -e cpu-clock:u -c 100000 -p "$(tree_pids "$pid")" \
          -o "$udata" -- sleep "$(awk -v d="$(duration_s "$DURATION")" 'BEGIN{print d + 1}')" \
          >/dev/null 2>&1 &
        rec=$!
        sleep 0.5
        taskset -c "$CLIENT_CPU" wrk -t1 -c"$c" -d"$DURATION" "${pre[@]}" \
          "http://127.0.0.1:$PORT/" "${post[@]}" >"$uout" 2>&1
        wait "$rec" 2>/dev/null
        samples=$(perf script -i "$udata" -F ip 2>/dev/null | wc -l)
        ureqs=$(awk '/requests in/{print $1; exit}' "$uout")
        rm -f "$udata"
      fi
      rps=$(awk '/^Requests\/sec:/{print $2}' "$out")
      p99=$(awk '$1=="99%"{v=$2; u=v; sub(/[0-9.]+/,"",u); sub(/[a-z]+$/,"",v);
                 m=(u=="us")?1:(u=="ms")?1000:(u=="s")?1000000:(u=="m")?60000000:1; printf "%.0f", v*m}' "$out")
      errs=$(awk '/Socket errors/{gsub(/,/,""); s+=$4+$6+$8+$10} /Non-2xx/{s+=$NF} END{print s+0}' "$out")
      reqs=$(awk '/requests in/{print $1; exit}' "$out")
      secs=$(duration_s "$(awk '/requests in/{v=$4; sub(/,$/,"",v); print v; exit}' "$out")")
      rps_s+=("${rps:-0}")
      p99_s+=("${p99:-}")
      if [ -n "$reqs" ] && [ "${reqs:-0}" -gt 0 ] && [ -n "$secs" ]; then
        cpu_s+=("$(awk -v t=$((u1 + s1 - u0 - s0)) -v hz="$CLK_TCK" -v n="$reqs" 'BEGIN{printf "%.3f", t / hz * 1e6 / n}')")
        if [ -n "$samples" ] && [ "${ureqs:-0}" -gt 0 ]; then
          user_s+=("$(awk -v k="$samples" -v n="$ureqs" 'BEGIN{printf "%.3f", k * 100 / n}')")
        else
          user_s+=("$(awk -v t=$((u1 - u0)) -v hz="$CLK_TCK" -v n="$reqs" 'BEGIN{printf "%.3f", t / hz * 1e6 / n}')")
        fi
        util_s+=("$(awk -v t=$((u1 + s1 - u0 - s0)) -v hz="$CLK_TCK" -v s="$secs" 'BEGIN{printf "%.0f", 100 * t / hz / s}')")
      fi
      err_total=$((err_total + errs))
      log "  $name $load rep=$r: ${rps:-?} req/s, p99 ${p99:-?} us, server CPU ${util_s[-1]:-?} % = ${cpu_s[-1]:-?} us/req (user ${user_s[-1]:-?}), errors $errs"
    done
    add_row http "$name" "rps_$load" "$(median "${rps_s[@]}")" "req/s" "$(join_by ';' "${rps_s[@]}")" ""
    # wrk's latency histogram is not meaningful with pipelining: no p99 then.
    [ "$depth" -eq 1 ] && add_row http "$name" "p99_us_$load" "$(median "${p99_s[@]}")" "us" "$(join_by ';' "${p99_s[@]}")" ""
    add_row http "$name" "cpu_us_per_req_$load" "$(median "${cpu_s[@]}")" "us" "$(join_by ';' "${cpu_s[@]}")" ""
    add_row http "$name" "user_us_per_req_$load" "$(median "${user_s[@]}")" "us" "$(join_by ';' "${user_s[@]}")" ""
    add_row http "$name" "cpu_util_pct_$load" "$(median "${util_s[@]}")" "%" "$(join_by ';' "${util_s[@]}")" ""
    [ "$err_total" -gt 0 ] && notes+="$load: $err_total socket/non-2xx errors; "
  done
  stop_server "$pid"
  [ "$STOP_STATUS" != "clean" ] && notes+="SIGTERM: $STOP_STATUS; "
  NOTE[$name]="${notes%; }"
  return 0
}

run_nginx() {
  wanted nginx || return 0
  if [ ! -x "$NGINX" ]; then HTTP_ORDER+=(nginx); NOTE[nginx]="skipped: nginx not installed"; return 0; fi
  local prefix="$TMPROOT/nginx"
  mkdir -p "$prefix/conf" "$prefix/logs" "$prefix/tmp"
  chmod 755 "$TMPROOT" "$prefix"  # the worker may run as an unprivileged user
  # The port is only known inside run_http: hand it a tiny wrapper.
  cat >"$prefix/start.sh" <<EOF
#!/bin/sh
sed "s/__PORT__/\$1/" "$PEERS/nginx.conf" >"$prefix/conf/nginx.conf"
exec "$NGINX" -p "$prefix/" -c "$prefix/conf/nginx.conf" -e stderr
EOF
  chmod +x "$prefix/start.sh"
  run_http nginx "$prefix/start.sh" "{PORT}"
}

bin_or_note() {  # NAME PATH : runs nothing, records a note if PATH is not built
  if [ -x "$2" ]; then return 0; fi
  wanted "$1" || return 1
  HTTP_ORDER+=("$1")
  NOTE[$1]="not built (see build/logs/build.log)"
  return 1
}

# ---------------------------------------------------------------- key=value programs
# run_kv CATEGORY LABEL CMD... : runs CMD REPS times pinned to SERVER_CPU. CMD
# prints `name key=value ...` as its last such line; medians per key. LABEL
# overrides the printed name when non-empty.
run_kv() {
  local cat=$1 label=$2
  shift 2
  local probe=${label:-$(basename "$1")}
  wanted "$probe" || return 0
  local r rc line name="" logfile
  declare -A vals=()
  local keys=()
  for r in $(seq "$REPS"); do
    logfile="$LOGS/$probe.r$r.txt"
    taskset -c "$SERVER_CPU" "$@" >"$logfile" 2>&1
    rc=$?
    if [ "$rc" -ne 0 ]; then
      KV_ORDER+=("$probe"); NOTE[$probe]="failed: exit status $rc (see build/logs/$(basename "$logfile"))"
      log "${NOTE[$probe]}"
      return 0
    fi
    line=$(grep -E '^[A-Za-z0-9_.-]+( +[A-Za-z0-9_]+=[^ ]+)+ *$' "$logfile" | tail -n1)
    [ -z "$line" ] && continue
    log "  $line"
    name=${line%% *}
    local kv
    for kv in ${line#* }; do
      local k=${kv%%=*} v=${kv#*=}
      [ -z "${vals[$k]+x}" ] && keys+=("$k")
      vals[$k]="${vals[$k]:-} $v"
    done
  done
  name=${label:-$name}
  if [ -z "$name" ]; then
    name=$probe; KV_ORDER+=("$name"); NOTE[$name]="no 'name key=value' line in output"; return 0
  fi
  KV_ORDER+=("$name")
  local k unit
  for k in "${keys[@]}"; do
    # shellcheck disable=SC2086
    local samples=(${vals[$k]})
    case $k in
      *_ns*|ns_*) unit=ns ;; *_us*) unit=us ;; *bytes*) unit=B ;; *) unit="" ;;
    esac
    add_row "$cat" "$name" "$k" "$(median "${samples[@]}")" "$unit" "$(join_by ';' "${samples[@]}")" ""
  done
}

kv_missing() {  # NAME : a compiled microbenchmark that did not build
  wanted "$1" || return 0
  KV_ORDER+=("$1"); NOTE[$1]="not built (see build/logs/build.log)"
}

# ================================================================= anchors
log "HTTP: wrk -t1 -d$DURATION, loads {$LOADS} x$REPS; server on CPU $SERVER_CPU, wrk on CPU $CLIENT_CPU"
bin_or_note raw_epoll "$BUILD/raw_epoll_http" && run_http raw_epoll "$BUILD/raw_epoll_http" --port "{PORT}"
bin_or_note asio "$BUILD/asio_http" && run_http asio "$BUILD/asio_http" --port "{PORT}"
bin_or_note libuv "$BUILD/libuv_http" && run_http libuv "$BUILD/libuv_http" --port "{PORT}"
run_nginx
if command -v "$NODE" >/dev/null 2>&1; then
  run_http node "$NODE" "$PEERS/node_http.js" --port "{PORT}"
elif wanted node; then HTTP_ORDER+=(node); NOTE[node]="skipped: node not installed"; fi
if [ "$HAVE_UVLOOP" -eq 1 ]; then
  run_http asyncio_uvloop "$PY" "$PEERS/asyncio_http.py" --port "{PORT}" --loop uvloop
elif wanted asyncio_uvloop; then HTTP_ORDER+=(asyncio_uvloop); NOTE[asyncio_uvloop]="skipped: uvloop not importable (apt-get install python3-uvloop)"; fi
run_http asyncio "$PY" "$PEERS/asyncio_http.py" --port "{PORT}" --loop asyncio

log "microbenchmarks x$REPS"
if [ -x "$BUILD/switch_raw" ]; then run_kv switch "" "$BUILD/switch_raw" --n "$SWITCH_N"; else kv_missing switch_raw; fi
if [ -x "$BUILD/switch_asio" ]; then run_kv switch "" "$BUILD/switch_asio" --n "$SWITCH_N"; else kv_missing switch_asio; fi
if command -v "$NODE" >/dev/null 2>&1; then
  run_kv switch switch_node_await "$NODE" "$PEERS/switch_node.js" --mode await --n "$SWITCH_N"
  run_kv switch switch_node_immediate "$NODE" "$PEERS/switch_node.js" --mode immediate --n "$SLOW_SWITCH_N"
fi
run_kv switch switch_asyncio "$PY" "$PEERS/switch_asyncio.py" --loop asyncio --n "$SLOW_SWITCH_N"
[ "$HAVE_UVLOOP" -eq 1 ] && run_kv switch switch_asyncio_uvloop "$PY" "$PEERS/switch_asyncio.py" --loop uvloop --n "$SLOW_SWITCH_N"
if [ -x "$BUILD/timers_asio" ]; then run_kv timers "" "$BUILD/timers_asio" --n "$TIMERS_N"; else kv_missing timers_asio; fi

# ================================================================= cogen (optional)
find_cogen_bin() {
  local d
  for d in "$COGEN_DIR" "$COGEN_DIR/bench" "$COGEN_DIR/bin"; do
    [ -f "$d/$1" ] && [ -x "$d/$1" ] && { echo "$d/$1"; return 0; }
  done
  find "$COGEN_DIR" -maxdepth 4 -type f -name "$1" -perm -u+x 2>/dev/null | head -n1
}
trace_suffix() { [ "$1" = off ] && echo "" || echo "_trace_$1"; }

if [ -n "$COGEN_DIR" ]; then
  log "cogen build: $COGEN_DIR"
  cogen_missing=()
  b=$(find_cogen_bin cogen-bench-http)
  if [ -n "$b" ]; then
    for p in $COGEN_PROACTORS; do
      for t in $COGEN_TRACES; do
        tf=()
        case $t in file | jsonl) tf=(--trace-file "$TMPROOT/cogen_http_$p.$t") ;; esac
        run_http "cogen_http_$p$(trace_suffix "$t")" "$b" --port "{PORT}" --proactor "$p" --trace "$t" "${tf[@]}"
      done
    done
  else cogen_missing+=(cogen-bench-http); fi
  b=$(find_cogen_bin cogen-bench-switch)
  if [ -n "$b" ]; then
    for t in $COGEN_TRACES; do
      tf=()
      case $t in file | jsonl) tf=(--trace-file "$TMPROOT/cogen_switch.$t") ;; esac
      run_kv switch "cogen_switch$(trace_suffix "$t")" "$b" --n "$SWITCH_N" --trace "$t" "${tf[@]}"
    done
  else cogen_missing+=(cogen-bench-switch); fi
  b=$(find_cogen_bin cogen-bench-timers)
  if [ -n "$b" ]; then
    run_kv timers cogen_timers "$b" --n "$TIMERS_N"
    # A callback per timer (Scheduler::call_at): asio's handler-per-timer shape.
    run_kv timers cogen_timers_callback "$b" --n "$TIMERS_N" --kind callback
  else cogen_missing+=(cogen-bench-timers); fi
  [ ${#cogen_missing[@]} -gt 0 ] && COGEN_NOTE="not found under the cogen build directory (skipped): ${cogen_missing[*]}"
fi
[ -n "$COGEN_NOTE" ] && log "$COGEN_NOTE"

# ================================================================= report
get() { awk -F'|' -v n="$1" -v m="$2" '$2==n && $3==m {print $4; exit}' "$ROWS_FILE"; }
fmt_int() { [ -n "$1" ] && printf '%.0f' "$1" || printf '—'; }
ratio() { [ -n "$1" ] && [ -n "$2" ] && awk -v a="$1" -v b="$2" 'BEGIN{if(b>0)printf "%.0f %%", 100*a/b; else printf "—"}' || printf '—'; }
times() { [ -n "$1" ] && [ -n "$2" ] && awk -v a="$1" -v b="$2" 'BEGIN{if(b>0)printf "%.2f×", a/b; else printf "—"}' || printf '—'; }

md_note() { local v=${NOTE[$1]:-}; v=${v//|/\\|}; echo "${v//$'\n'/ }"; }

cpu_model=$(awk -F': ' '/^model name/{print $2; exit}' /proc/cpuinfo)
[ -z "$cpu_model" ] && cpu_model=$(lscpu 2>/dev/null | awk -F': +' '/Model name/{print $2; exit}')
boost_ver=$(awk '/define BOOST_LIB_VERSION/{gsub(/"/,"",$3); print $3}' /usr/include/boost/version.hpp 2>/dev/null)
uv_ver=$(pkg-config --modversion libuv 2>/dev/null || dpkg-query -W -f='${Version}' libuv1-dev 2>/dev/null)
py_ver=$("$PY" -c 'import sys; print(sys.version.split()[0])' 2>/dev/null)
uvloop_ver=$("$PY" -c 'import uvloop; print(uvloop.__version__)' 2>/dev/null || echo "absent")

{
  echo "# Performance anchors"
  echo
  echo "Generated by \`bench/run.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC')."
  echo
  echo "| machine | |"
  echo "|---|---|"
  echo "| CPU | ${cpu_model:-unknown} |"
  echo "| nproc | $(nproc) |"
  echo "| memory | $(awk '/MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo) |"
  echo "| kernel | $(uname -r) |"
  echo "| OS | $( (. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME") || echo unknown) |"
  echo "| load average at end | $(cut -d' ' -f1-3 /proc/loadavg) |"
  echo "| compiler | $(g++ --version 2>/dev/null | head -n1) (-O2 -std=c++20) |"
  echo "| Boost | ${boost_ver:-?} · libuv ${uv_ver:-?} · node $("$NODE" --version 2>/dev/null || echo absent) · Python ${py_ver:-?} (uvloop $uvloop_ver) · $("$NGINX" -v 2>&1 | sed 's/.*: //') · $(wrk --version 2>&1 | head -n1 | awk '{print "wrk " $2}') |"
  echo
  echo "## HTTP/1.1 plaintext, keep-alive"
  echo
  echo "Server pinned to CPU $SERVER_CPU, \`wrk -t1 -d$DURATION --latency\` pinned to CPU $CLIENT_CPU; median of $REPS runs"
  echo "after a 1 s warm-up. *server CPU* is the server's user+system time (all threads, plus"
  echo "direct children) during the run: *%* of one core, and *µs/req* = CPU time / requests"
  echo "answered; *user µs/req* counts user time only (the runtime's own work, without the"
  echo "kernel's socket and loopback TCP work). With 2 cores wrk itself can be the bottleneck:"
  echo "where server CPU is well below 100 %, req/s is a floor on the server's capacity and"
  echo "µs/req is the figure that ranks servers. *vs raw* = this server / raw_epoll (req/s:"
  echo "higher is better; CPU/req: lower is better). Server CPU comes from 100 Hz tick counts;"
  if [ "$USER_METHOD" = perf ]; then
    echo "user µs/req from perf samples, one every 100 µs of the server's CPU time (\`perf record"
    echo "-e cpu-clock:u -c 100000\`), in a second run of each load with perf attached (which"
    echo "makes the kernel's side dearer, so the other columns come from the run without it):"
    echo "±2 % where ticks give ±10–15 %."
  else
    echo "user µs/req from the same ticks (perf could not sample here: ±10–15 % per figure)."
  fi
  echo
  for load in $LOADS; do
    c=$(load_conns "$load"); d=$(load_depth "$load")
    if [ "$d" -gt 1 ]; then echo "### $load: $c connections, $d requests pipelined"; else echo "### $load: $c connections"; fi
    echo
    echo "| server | req/s | vs raw | p99 µs | server CPU % | server CPU µs/req | CPU/req vs raw | user µs/req | notes |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---|"
    raw_rps=$(get raw_epoll "rps_$load"); raw_cpu=$(get raw_epoll "cpu_us_per_req_$load")
    for n in "${HTTP_ORDER[@]}"; do
      v=$(get "$n" "rps_$load"); cpu=$(get "$n" "cpu_us_per_req_$load")
      echo "| $n | $(fmt_int "$v") | $(ratio "$v" "$raw_rps") | $(fmt_int "$(get "$n" "p99_us_$load")") | $(fmt_int "$(get "$n" "cpu_util_pct_$load")") | ${cpu:-—} | $(times "$cpu" "$raw_cpu") | $(get "$n" "user_us_per_req_$load") | $(md_note "$n") |"
    done
    echo
  done
  echo "## Coroutine switch"
  echo
  echo "One switch = the coroutine suspends and is resumed once. Median of $REPS runs, pinned to CPU $SERVER_CPU."
  echo
  echo "| benchmark | ns/switch | vs switch_raw | samples | notes |"
  echo "|---|---:|---:|---|---|"
  raw_sw=$(get switch_raw ns_per_switch)
  for n in "${KV_ORDER[@]}"; do
    if awk -F'|' -v n="$n" '$1=="switch" && $2==n {f=1} END{exit !f}' "$ROWS_FILE" || [[ "$n" == *switch* ]]; then
      v=$(get "$n" ns_per_switch)
      s=$(awk -F'|' -v n="$n" '$2==n && $3=="ns_per_switch"{print $6; exit}' "$ROWS_FILE")
      echo "| $n | ${v:-—} | $(times "$v" "$raw_sw") | ${s//;/, } | $(md_note "$n") |"
    fi
  done
  echo
  echo "## Timers"
  echo
  echo "$TIMERS_N timers, random deadlines over 1 s; median of $REPS runs."
  echo
  echo "| benchmark | insert ns/timer | late p50 µs | late p99 µs | late max µs | RSS B/timer | notes |"
  echo "|---|---:|---:|---:|---:|---:|---|"
  for n in "${KV_ORDER[@]}"; do
    if awk -F'|' -v n="$n" '$1=="timers" && $2==n {f=1} END{exit !f}' "$ROWS_FILE" || [[ "$n" == *timer* ]]; then
      echo "| $n | $(get "$n" insert_ns_per_timer) | $(get "$n" late_p50_us) | $(get "$n" late_p99_us) | $(get "$n" late_max_us) | $(get "$n" rss_bytes_per_timer) | $(md_note "$n") |"
    fi
  done
  echo
  if [ -n "$COGEN_DIR" ] || [ -n "$COGEN_NOTE" ]; then
    echo "cogen: ${COGEN_DIR:+measured from the given build directory. }${COGEN_NOTE}"
  else
    echo "cogen: not measured (pass a cogen build directory as the first argument)."
  fi
  echo
  echo "Raw samples: results.csv; wrk and program outputs: build/logs/."
} >"$RESULTS_MD"

csv_note() { local v=${NOTE[$1]:-}; v=${v//\"/\'}; echo "${v//$'\n'/ }"; }
{
  echo "category,name,metric,median,unit,samples,notes"
  while IFS='|' read -r cat name metric med unit samples note; do
    echo "$cat,$name,$metric,$med,$unit,$samples,\"$(csv_note "$name")\""
  done <"$ROWS_FILE"
  for n in "${HTTP_ORDER[@]}" "${KV_ORDER[@]}"; do
    if ! awk -F'|' -v n="$n" '$2==n {f=1} END{exit !f}' "$ROWS_FILE"; then
      echo "none,$n,,,,,\"$(csv_note "$n")\""
    fi
  done
} >"$RESULTS_CSV"

log "wrote $(basename "$RESULTS_MD") and $(basename "$RESULTS_CSV")"
cat "$RESULTS_MD"
