#!/usr/bin/env bash
# thread-cpu-http.sh — on-CPU time per HTTP request of each thread of a bench server: the
# program's thread and a trace sink's (the file writer's drain thread, for instance), so that
# a sink's own cost is read apart from the program's. The server is pinned to CPU 0 and
# wrk -t1 to CPU 1; after a 1 s warm-up each thread's on-CPU ns are read from
# /proc/PID/task/TID/schedstat (ns, not 100 Hz ticks) before and after a 4 s run.
#
# usage: bench/thread-cpu-http.sh SERVER PROACTOR LOAD
#   SERVER    build/bench/cogen-bench-http (or any server taking --port P --proactor K)
#   PROACTOR  select | poll | epoll | uring
#   LOAD      cN (N connections) or cNpD (N connections, D requests pipelined)
# Prints: SERVER PROACTOR LOAD req/s=R thread_cpu_us/req=T1,T2,... (threads in creation
#   order: the program's first)
# Environment: SERVER_ARGS, more server arguments (e.g. "--trace file --trace-file
# /tmp/t.cgt"). Needs wrk and taskset. Alternate the binaries you compare.
set -euo pipefail
if [ $# -lt 3 ]; then
  sed -n '2,15p' "$0" >&2
  exit 2
fi
server=$1 proactor=$2 load=$3
here=$(cd "$(dirname "$0")" && pwd)
for tool in wrk taskset; do
  command -v "$tool" >/dev/null || { echo "thread-cpu-http.sh: $tool not found" >&2; exit 2; }
done
# shellcheck source=bench/http-load.sh
. "$here/http-load.sh"
http_load thread-cpu-http.sh "$load"
ulimit -n 4096 2>/dev/null || true
srv=
cleanup() { [ -n "$srv" ] && kill -TERM "$srv" 2>/dev/null || true; }
trap cleanup EXIT
start_pinned_server thread-cpu-http.sh "$server" "$proactor"
url=http://127.0.0.1:$port/
taskset -c 1 wrk -t1 -c"$conns" -d1s "${pipeline[@]}" "$url" "${post[@]}" >/dev/null
# One line per thread, in creation order (task ids grow): "TID ON_CPU_NS".
snapshot() {
  for task in /proc/"$srv"/task/*; do
    echo "$(basename "$task") $(cut -d' ' -f1 "$task/schedstat")"
  done | sort -n
}
before=$(snapshot)
out=$(taskset -c 1 wrk -t1 -c"$conns" -d4s "${pipeline[@]}" "$url" "${post[@]}")
after=$(snapshot)
requests=$(awk '/ requests in /{print $1}' <<<"$out")
rps=$(awk '/Requests\/sec/{print $2}' <<<"$out")
if [ -z "$requests" ] || [ "$requests" -eq 0 ]; then
  echo "thread-cpu-http.sh: wrk answered nothing" >&2
  exit 1
fi
# (The server's threads are the same before and after: they start with it.)
per_thread=$(paste -d' ' <(echo "$before") <(echo "$after") |
  awk -v r="$requests" '$1 == $3 {printf "%s%.3f", (NR > 1 ? "," : ""), ($4 - $2) / 1000 / r}')
echo "$(basename "$server") $proactor $load req/s=${rps} thread_cpu_us/req=${per_thread}"
