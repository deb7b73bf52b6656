#!/usr/bin/env bash
# perf-user-http.sh — user CPU time per HTTP request of a bench server on the real CPU,
# from perf samples rather than the 100 Hz tick counts of /proc (which give a user share of
# tens of ticks per run: ±10–15 %). The server is pinned to CPU 0 and wrk -t1 to CPU 1;
# after a 2 s warm-up, `perf record -e cpu-clock:u -c 100000` samples the server's user
# time every 100 µs of it for the 4 s run: samples × 100 µs / requests = user µs/req.
# The server's whole CPU time (user + system) comes from /proc/PID/schedstat, and its
# system calls per request from `perf stat -e raw_syscalls:sys_enter` over the same run
# ("n/a" where the kernel's tracepoints are not readable).
#
# usage: bench/perf-user-http.sh SERVER PROACTOR LOAD [PERF_DATA]
#   SERVER     a server taking --port P --proactor K (build/bench/cogen-bench-http; the
#              peers ignore --proactor)
#   PROACTOR   select | poll | epoll | uring
#   LOAD       cN (N connections) or cNpD (N connections, D requests pipelined)
#   PERF_DATA  where perf writes its samples (default: a temporary file, removed);
#              `perf report -i PERF_DATA --sort sym` then says where the user time went
# Prints: SERVER PROACTOR LOAD req/s=R user_us/req=U (samples S) cpu_us/req=C syscalls/req=N
# Environment: SERVER_ARGS, more arguments for the server (e.g. "--trace ring").
# Needs perf (run as root, or perf_event_paranoid ≤ 1), wrk and taskset. Alternate the
# binaries you compare and take medians: other processes on CPU 0 move every figure.
set -euo pipefail

if [ $# -lt 3 ]; then
  sed -n '2,20p' "$0" >&2
  exit 2
fi
server=$1 proactor=$2 load=$3
here=$(cd "$(dirname "$0")" && pwd)
for tool in perf wrk taskset; do
  command -v "$tool" >/dev/null || { echo "perf-user-http.sh: $tool not found" >&2; exit 2; }
done
# shellcheck source=bench/http-load.sh
. "$here/http-load.sh"
http_load perf-user-http.sh "$load"
data=${4:-}
keep=1
if [ -z "$data" ]; then data=$(mktemp); keep=0; fi

ulimit -n 4096 2>/dev/null || true
wrk_out=$(mktemp)
stat_out=$(mktemp)
srv=
cleanup() {
  [ -n "$srv" ] && kill -TERM "$srv" 2>/dev/null || true
  rm -f "$wrk_out" "$stat_out"
  [ "$keep" = 1 ] || rm -f "$data"
}
trap cleanup EXIT
start_pinned_server perf-user-http.sh "$server" "$proactor"
url=http://127.0.0.1:$port/
taskset -c 1 wrk -t1 -c"$conns" -d2s "${pipeline[@]}" "$url" "${post[@]}" >/dev/null
perf record -q -e cpu-clock:u -c 100000 -p "$srv" -o "$data" -- sleep 4.2 >/dev/null 2>&1 &
rec=$!
perf stat -x, -e raw_syscalls:sys_enter -p "$srv" -o "$stat_out" -- sleep 4.2 >/dev/null 2>&1 &
st=$!
read -r t0 _ <"/proc/$srv/schedstat"
taskset -c 1 wrk -t1 -c"$conns" -d4s "${pipeline[@]}" "$url" "${post[@]}" >"$wrk_out"
read -r t1 _ <"/proc/$srv/schedstat"
wait "$rec" || true
wait "$st" || true
syscalls=$(awk -F, '/raw_syscalls:sys_enter/ && $1 ~ /^[0-9]+$/ {print $1}' "$stat_out")
requests=$(awk '/ requests in /{print $1}' "$wrk_out")
rps=$(awk '/Requests\/sec/{print $2}' "$wrk_out")
samples=$(perf script -i "$data" -F ip 2>/dev/null | wc -l)
if [ -z "$requests" ] || [ "$requests" -eq 0 ]; then
  echo "perf-user-http.sh: wrk answered nothing" >&2
  cat "$wrk_out" >&2
  exit 1
fi
awk -v r="$requests" -v s="$samples" -v rps="$rps" -v cpu=$((t1 - t0)) \
  -v b="$(basename "$server")" -v p="$proactor" -v l="$load" -v sc="${syscalls:-}" \
  'BEGIN{printf "%s %s %s req/s=%.0f user_us/req=%.3f (samples %d) cpu_us/req=%.3f syscalls/req=%s\n",
         b, p, l, rps, s * 100 / r, s, cpu / 1000 / r,
         sc == "" ? "n/a" : sprintf("%.2f", sc / r)}'
