#!/usr/bin/env bash
# callgrind-http.sh — user-space instructions per HTTP request of a bench server,
# measured the way bench/RESULTS.md's hot-path rounds are: the server under
# valgrind --tool=callgrind pinned to CPU 0, wrk -t1 on CPU 1, a 2 s warm-up,
# the counters zeroed (callgrind_control -z), then a 6 s run; instructions
# counted from the zeroing to the server's exit, divided by the requests wrk
# saw answered. Instruction counts do not depend on the machine's load.
#
# usage: bench/callgrind-http.sh SERVER PROACTOR LOAD [OUT]
#   SERVER    a server taking --port P --proactor K (build/bench/cogen-bench-http)
#   PROACTOR  select | poll | epoll | uring
#   LOAD      cN (N connections) or cNpD (N connections, D requests pipelined)
#   OUT       callgrind output file (default: callgrind.PROACTOR.LOAD.out)
# Prints: PROACTOR LOAD requests=R instructions=I per_request=I/R
# Environment: SERVER_ARGS (more server arguments, e.g. "--trace stalls"); MAIN_THREAD=1
# counts the server's first thread only (the program's; a sink's own thread left out);
# VALGRIND_ARGS (more callgrind options, e.g. "--cache-sim=yes": the misses per request
# are then printed too).
# Needs valgrind (callgrind_control) and wrk.
set -euo pipefail

if [ $# -lt 3 ]; then
  sed -n '2,18p' "$0" >&2
  exit 2
fi
server=$1 proactor=$2 load=$3
out=${4:-callgrind.$proactor.$load.out}
here=$(cd "$(dirname "$0")" && pwd)
for tool in valgrind callgrind_control wrk taskset; do
  command -v "$tool" >/dev/null || { echo "callgrind-http.sh: $tool not found" >&2; exit 2; }
done
# shellcheck source=bench/http-load.sh
. "$here/http-load.sh"
http_load callgrind-http.sh "$load"

ulimit -n 4096 2>/dev/null || true
port=$((20000 + RANDOM % 20000))
log=$(mktemp) wrk_out=$(mktemp)
read -r -a server_args <<<"${SERVER_ARGS:-}"
read -r -a valgrind_args <<<"${VALGRIND_ARGS:-}"
threads=()
counted=$out
if [ "${MAIN_THREAD:-0}" = 1 ]; then threads=(--separate-threads=yes); counted=$out-01; fi
taskset -c 0 valgrind --tool=callgrind "${threads[@]}" "${valgrind_args[@]}" --callgrind-out-file="$out" \
  "$server" --port "$port" --proactor "$proactor" "${server_args[@]}" >"$log" 2>&1 &
vg=$!
trap 'kill -TERM $vg 2>/dev/null || true; rm -f "$log" "$wrk_out"' EXIT
if ! wait_listening "$vg" "$port" 150 && ! kill -0 "$vg" 2>/dev/null; then
  cat "$log" >&2  # the server exited
  exit 1
fi
url=http://127.0.0.1:$port/
taskset -c 1 wrk -t1 -c"$conns" -d2s "${pipeline[@]}" "$url" "${post[@]}" >/dev/null
callgrind_control -z $vg >/dev/null 2>&1
taskset -c 1 wrk -t1 -c"$conns" -d6s "${pipeline[@]}" "$url" "${post[@]}" >"$wrk_out"
kill -TERM $vg
wait $vg || true
requests=$(awk '/ requests in /{print $1}' "$wrk_out")
instructions=$(awk '/^(summary|totals):/{v=$2} END{print v}' "$counted")
if [ -z "$requests" ] || [ "$requests" -eq 0 ]; then
  echo "callgrind-http.sh: wrk answered nothing" >&2
  cat "$wrk_out" >&2
  exit 1
fi
echo "$proactor $load requests=$requests instructions=$instructions" \
  "per_request=$(awk -v i="$instructions" -v r="$requests" 'BEGIN{printf "%.1f", i/r}')"
# With --cache-sim=yes: the events line names the counters, the totals line holds them.
if grep -q '^events:.*D1mr' "$counted"; then
  awk -v r="$requests" '/^events:/{for(i=2;i<=NF;i++)name[i]=$i}
    /^(summary|totals):/{for(i=2;i<=NF;i++)v[i]=$i}
    END{line="misses per request:";for(i in name)if(name[i]~/^(I1mr|D1mr|D1mw|ILmr|DLmr|DLmw)$/)line=line" "name[i]"="sprintf("%.2f",v[i]/r);print line}' "$counted"
fi
