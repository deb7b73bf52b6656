#!/usr/bin/env bash
# Builds every fuzzer under fuzz/ with clang (libFuzzer, ASan, UBSan) and runs each until it
# has executed FUZZ_RUNS inputs (default 1000000) or SECONDS_PER_FUZZER passed (default 300),
# whichever comes first. Usage: fuzz/run.sh [SECONDS_PER_FUZZER]. Exit status is non-zero
# when a fuzzer finds a crash; its reproducer is left in build-fuzz/<name>/artifacts/.
set -euo pipefail
seconds=${1:-300}
runs=${FUZZ_RUNS:-1000000}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build=${COGEN_FUZZ_BUILD:-$root/build-fuzz}
cxx=${COGEN_FUZZ_CXX:-$(command -v clang++-14 || command -v clang++)}

status=0
for dir in "$here"/*/; do
    name=$(basename "$dir")
    [[ -f "$dir/CMakeLists.txt" ]] || continue
    echo "== fuzz/$name: build"
    cmake -S "$dir" -B "$build/$name" -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_BUILD_TYPE=Debug >/dev/null
    cmake --build "$build/$name" -j2 >/dev/null
    for fuzzer in "$build/$name"/*_fuzzer; do
        [[ -x "$fuzzer" ]] || continue
        work="$build/$name/$(basename "$fuzzer")"
        mkdir -p "$work.corpus" "$work.artifacts"
        echo "== fuzz/$name: $(basename "$fuzzer"): $runs inputs or ${seconds}s"
        # Inputs up to 8 KiB: every structure the targets parse fits (the harnesses lower
        # their size caps to match), and small inputs keep each run cheap enough for a
        # million executions in a minute.
        if ! "$fuzzer" "$work.corpus" "$dir/corpus" -runs="$runs" -max_total_time="$seconds" -max_len=8192 \
                -rss_limit_mb=2048 -timeout=10 -artifact_prefix="$work.artifacts/" \
                -print_final_stats=1 2>"$work.log"; then
            echo "!! $(basename "$fuzzer") found a problem; see $work.log and $work.artifacts/"
            tail -n 40 "$work.log"
            status=1
        else
            grep -E "stat::number_of_executed_units|Done" "$work.log" | tail -n 2 || true
        fi
    done
done
exit $status
