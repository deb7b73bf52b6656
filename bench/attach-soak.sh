#!/usr/bin/env bash
# attach-soak.sh — does memory stay flat while a viewer is attached to a busy server?
# cogen-hello-http (a cogen::web server whose handler is a coroutine called per request)
# runs with a live feed (COGEN_TRACE=live:PORT); cogen-viz --attach watches it in its
# window under Xvfb (headless, --for, when Xvfb is missing); wrk sends about RATE requests
# a second for MINUTES minutes. Every minute it prints both processes' RSS and the viewer's
# CPU time; at the end it saves the viewer's window as attach-soak.png (Xvfb only).
#
# usage: bench/attach-soak.sh [BUILD_DIR (build)] [MINUTES (60)] [CONNECTIONS (8)]
#   Each connection waits 2 ms between requests (wrk's delay()): 8 connections ≈ 3,500
#   requests/s ≈ 50,000 events/s on this 2-core VM.
# Output: "minute viewer_rss_MB server_rss_MB viewer_cpu_s" lines, wrk's totals, the gaps
# the viewer reported (events the feed dropped for it), then the last window.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-$here/../build}" && pwd)
minutes=${2:-60}
conns=${3:-8}
server=$build/bin/cogen-hello-http
viz=$build/visualizer/app/cogen-viz
for f in "$server" "$viz"; do
  [ -x "$f" ] || { echo "attach-soak.sh: $f not built" >&2; exit 2; }
done
command -v wrk >/dev/null || { echo "attach-soak.sh: wrk not found" >&2; exit 2; }
work=$(mktemp -d)
feed=$((20000 + RANDOM % 10000))
http=$((feed + 1))
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
printf 'function delay()\n  return 2\nend\n' > "$work/delay.lua"

COGEN_TRACE=live:$feed "$server" --port "$http" > "$work/server.log" 2>&1 &
srv=$!; pids+=("$srv")
sleep 0.5
if command -v Xvfb >/dev/null; then
  display=:$((50 + RANDOM % 40))
  Xvfb "$display" -screen 0 1300x820x24 > "$work/xvfb.log" 2>&1 &
  pids+=("$!")
  sleep 1
  DISPLAY=$display "$viz" --attach "$feed" > "$work/viz.log" 2>&1 &
else
  display=
  "$viz" --headless --attach "$feed" --for $((minutes * 60 + 5)) --png attach-soak.png \
    > "$work/viz.log" 2>&1 &
fi
vpid=$!; pids+=("$vpid")
sleep 2
wrk -t1 -c"$conns" -d"${minutes}m" -s "$work/delay.lua" "http://127.0.0.1:$http/" \
  > "$work/wrk.log" 2>&1 &
wpid=$!; pids+=("$wpid")

rss() { awk '/VmRSS/{printf "%.0f", $2/1024}' "/proc/$1/status" 2>/dev/null || echo -; }
echo "minute viewer_rss_MB server_rss_MB viewer_cpu_s"
for ((m = 0; m <= minutes; ++m)); do
  cpu=$(awk '{printf "%.0f", ($14+$15)/100}' "/proc/$vpid/stat" 2>/dev/null || echo -)
  echo "$m $(rss "$vpid") $(rss "$srv") $cpu"
  ((m < minutes)) && kill -0 "$wpid" 2>/dev/null || break
  sleep 60
done
wait "$wpid" || true
grep -E "Requests/sec|requests in" "$work/wrk.log" || true
# The viewer reports each gap in what it received on stderr.
gaps=$(grep -c " are missing " "$work/viz.log" || true)
echo "gaps: ${gaps:-0} (events the feed dropped for the viewer: $(grep " are missing " "$work/viz.log" | awk '{s += $2} END {print s + 0}'))"
if [ -n "$display" ]; then
  DISPLAY=$display xwd -root -silent | xwdtopnm 2>/dev/null | pnmtopng > attach-soak.png &&
    echo "window: attach-soak.png"
fi
