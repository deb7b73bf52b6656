#!/usr/bin/env bash
# The main demo: installs what is missing, builds, and runs cogen-demo — a chat room with
# four scripted members and a stall planted later in the run (examples/live_demo).
#   ./scripts/demo.sh
# With a display: the visualizer opens and runs the scheduler at a gentle pace (pause, step,
# click a token; the "stalls" tab names the stuck pair). Without one: the demo runs to the
# end and writes the trace, a Perfetto export and PNG pictures, and says where they are.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
build="$root/build-demo"
out="$build/demo-out"
"$root/scripts/install-deps.sh"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCOGEN_BUILD_TESTS=OFF -DCOGEN_BUILD_BENCH=OFF -DCOGEN_BUILD_TUTORIALS=OFF >/dev/null
cmake --build "$build" -j "$(nproc)" --target cogen-demo cogen-viz cogen-trace
mkdir -p "$out"
demo="$build/bin/cogen-demo"
viz="$build/visualizer/app/cogen-viz"
trace_tool="$build/tools/cogen-trace"
trace="$out/chat.jsonl"

if [[ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]]; then
    echo "cogen: opening the visualizer (close the window to end; the trace goes to $trace)"
    "$demo" --trace "$trace"
    echo "cogen: replay it with: $viz $trace"
    exit 0
fi

echo "cogen: no display — running the demo headless"
"$demo" --headless --trace "$trace"
"$trace_tool" export --format perfetto -o "$out/chat.perfetto.json" "$trace"
pictures=()
render() {  # render VIEW WHEN FILE
    if "$viz" --headless --size 1440x900 \
        --png "$out/$3" --view "$1" --at "$2" "$trace" >/dev/null; then
        pictures+=("$out/$3")
    else
        echo "cogen: could not render $3 (see the message above)" >&2
    fi
}
# Offscreen rendering (surfaceless EGL): no display or X server needed.
render diagram busiest diagram.png
render stalls run-end stalls.png
render waitgraph run-end waitgraph.png
echo
echo "cogen: what the stall detector found:"
"$trace_tool" stalls "$trace" || true
echo
echo "cogen: why the archiver is stuck ($trace_tool why --coro archiver $trace):"
"$trace_tool" why --coro archiver "$trace" || true
echo
echo "cogen: the demo wrote"
echo "  trace (JSON Lines)      $trace"
echo "  Perfetto export         $out/chat.perfetto.json   (open in https://ui.perfetto.dev)"
for p in "${pictures[@]}"; do
    echo "  picture                 $p"
done
echo "  open the trace with:    $viz $trace   (needs a display)"
