#!/usr/bin/env bash
# live-cost.sh — what a live feed costs the traced program's feed thread and an attached
# viewer: cogen-hello-http with COGEN_TRACE=live:PORT under wrk (8 connections, 2 ms think
# time: about 3,650 requests and 100,000 events a second), `cogen-viz --headless --attach`
# attached (VIEWER=0: none), for SECONDS; then the CPU seconds of each thread, read from
# /proc/PID/task/*/stat (user + system, 100 Hz ticks).
#
# usage: bench/live-cost.sh [BUILD_DIR (build)] [SECONDS (30)]
# Prints: server_threads_cpu_s=MAIN,FEED[,...] viewer_threads_cpu_s=MAIN,READER req/s=R
#   (the server's threads in creation order: the program's, then the feed's; the viewer's:
#   its main thread, then the one that receives and decodes the feed)
# Environment: VIEWER=0 runs no viewer. Needs wrk. Alternate builds when comparing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-$here/../build}" && pwd)
secs=${2:-30}
server=$build/bin/cogen-hello-http
viz=$build/visualizer/app/cogen-viz
for f in "$server" "$viz"; do
  [ -x "$f" ] || { echo "live-cost.sh: $f not built" >&2; exit 2; }
done
command -v wrk >/dev/null || { echo "live-cost.sh: wrk not found" >&2; exit 2; }
feed=$((20000 + RANDOM % 10000))
http=$((feed + 1))
work=$(mktemp -d)
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
printf 'function delay()\n  return 2\nend\n' > "$work/delay.lua"

COGEN_TRACE=live:$feed "$server" --port "$http" > "$work/server.log" 2>&1 &
srv=$!; pids+=("$srv")
sleep 0.5
vpid=
if [ "${VIEWER:-1}" != 0 ]; then
  "$viz" --headless --png "$work/attach.png" --attach "$feed" --for $((secs + 20)) \
    > "$work/viz.log" 2>&1 &
  vpid=$!; pids+=("$vpid")
fi
sleep 2
wrk -t1 -c8 -d"${secs}s" -s "$work/delay.lua" "http://127.0.0.1:$http/" > "$work/wrk.log" 2>&1

threads() {
  local out=
  for t in $(ls /proc/"$1"/task | sort -n); do
    out+=$(awk '{printf "%.2f,", ($14 + $15) / 100}' "/proc/$1/task/$t/stat")
  done
  echo "${out%,}"
}
line="server_threads_cpu_s=$(threads "$srv")"
[ -n "$vpid" ] && line+=" viewer_threads_cpu_s=$(threads "$vpid")"
line+=" req/s=$(awk '/Requests\/sec/{print $2}' "$work/wrk.log")"
echo "$line"
