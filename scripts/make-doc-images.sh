#!/usr/bin/env bash
# Regenerates the pictures of docs/visualizer.md and the README (docs/images/*.png) from real
# traces: cogen-demo (the README's chat demo, examples/live_demo),
# cogen-viz-demo (an echo server and its clients, sleeps, a queue, a signal; source in
# tests/visualizer_gui/viz_demo.cpp) and the planted-stall programs of examples/stalls.
# Needs a build with the visualizer (cogen-viz, cogen-viz-demo, cogen-stall-*). No display:
# the pictures are rendered offscreen (a surfaceless EGL context; DISPLAY is unset here so
# that no X server is used even where one runs).
# Usage: scripts/make-doc-images.sh [BUILD_DIR]     (default: build)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
out=$root/docs/images
viz=$build/visualizer/app/cogen-viz
demo=$build/visualizer/app/visualizer_gui_tests/cogen-viz-demo
stalls=$build/examples/stalls
chat_demo=$build/bin/cogen-demo

for tool in "$viz" "$demo" "$chat_demo" "$stalls/cogen-stall-deadlock" "$stalls/cogen-stall-orphan_signal"; do
    if [[ ! -x $tool ]]; then
        echo "make-doc-images: $tool is missing; build cogen-viz, cogen-viz-demo and the" \
             "cogen-stall-* examples first" >&2
        exit 2
    fi
done
unset DISPLAY WAYLAND_DISPLAY

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"

# Real traces: the demo (with its sockets on loopback), a deadlock, an orphan signal.
COGEN_TRACE=file:$tmp/demo.jsonl "$demo" > /dev/null
COGEN_TRACE=file:$tmp/deadlock.jsonl "$stalls/cogen-stall-deadlock" > /dev/null || true
COGEN_TRACE=file:$tmp/orphan.jsonl "$stalls/cogen-stall-orphan_signal" > /dev/null || true
"$chat_demo" --headless --trace "$tmp/chat.jsonl" > /dev/null

render() {  # render OUT.png cogen-viz-arguments...
    local png=$1
    shift
    "$viz" --headless --png "$out/$png" "$@" > /dev/null
    echo "make-doc-images: docs/images/$png"
}

# The demo at its busiest moment: most coroutines parked somewhere on the diagram.
render viz-all.png --size 1440x900 --at busiest --select 3 "$tmp/demo.jsonl"
render viz-diagram.png --view diagram --at busiest "$tmp/demo.jsonl"
render viz-motion.png --view diagram --at busiest --motion 0.5 "$tmp/demo.jsonl"
render viz-table.png --view table --size 1280x560 --at busiest "$tmp/demo.jsonl"
render viz-timeline.png --view timeline --size 1280x560 --at run-end --select 3 "$tmp/demo.jsonl"
render viz-proactor.png --view proactor --size 1280x640 --at busiest "$tmp/demo.jsonl"
render viz-log.png --view log --size 1280x560 --at busiest "$tmp/demo.jsonl"
render viz-wake.png --view wake --size 1280x360 --at busiest --select 3 "$tmp/demo.jsonl"
# Stalls: a join cycle and a signal nobody can send, where run() returned.
render viz-waitgraph.png --view waitgraph --size 1280x640 --at run-end "$tmp/deadlock.jsonl"
render viz-stalls.png --view stalls --size 1280x480 --at run-end "$tmp/orphan.jsonl"

# The README's main demo (the chat room with its planted deadlock).
render demo-diagram.png --view diagram --size 1440x900 --at busiest "$tmp/chat.jsonl"
render demo-stalls.png --view stalls --size 1440x400 --at run-end "$tmp/chat.jsonl"
render demo-waitgraph.png --view waitgraph --size 1280x560 --at run-end "$tmp/chat.jsonl"

# In-process: the demo stepped from the GUI, with the "be the scheduler" panel open.
"$demo" --screenshot "$out/viz-in-process.png" \
    --steps 25 --pick
echo "make-doc-images: docs/images/viz-in-process.png"

# Attach: a viewer that connects late to a program whose coroutines deadlocked long before
# (the planted deadlock, run again and again with a live feed) still gets the past and names
# the deadlock.
live=$tmp/live.sock
(for _ in $(seq 10); do COGEN_TRACE=live:$live "$stalls/cogen-stall-deadlock" > /dev/null 2>&1 || true; done) &
feeder=$!
sleep 0.4
"$viz" --headless --png "$out/viz-attach.png" --view stalls \
    --size 1280x480 --attach "$live" --for 0.5 > /dev/null 2>&1
wait "$feeder"
echo "make-doc-images: docs/images/viz-attach.png"

# The tutorial chapters written on the chapter harness (a check.txt beside main.cpp): each
# README's picture is its key moment, drawn by the chapter itself (tutorials/AUTHORING.md).
for chapter in "$root"/tutorials/[0-9][0-9]-*/; do
    name=$(basename "$chapter")
    [[ -f $chapter/check.txt ]] || continue
    # Chapters 01 and 02 build their own loop (run_plain): no scheduler, no picture.
    grep -q 'run_plain' "$chapter/main.cpp" && continue
    exe=$build/tutorials/$name/tutorial-${name:0:2}
    if [[ ! -x $exe ]]; then
        echo "make-doc-images: $exe is missing; skipped" >&2
        continue
    fi
    xvfb-run -a -s "-screen 0 1280x800x24" "$exe" --png "$chapter/key-moment.png" > /dev/null
    echo "make-doc-images: tutorials/$name/key-moment.png"
done
