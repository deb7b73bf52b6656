#!/usr/bin/env bash
# The whole test suite: installs what is missing, then builds and runs every
# test twice — a normal build and an ASan+UBSan build — plus the bounded fuzz
# runs. Exit status 0 means everything passed.
#   ./scripts/test.sh            (JOBS=N to set build parallelism)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
jobs=${JOBS:-$(nproc)}

"$root/scripts/install-deps.sh"

# run_suite DIR LABEL "CTEST ARGS" CMAKE-ARGS...
run_suite() {
    local dir=$1 label=$2 ctest_args=$3
    shift 3
    echo "=== cogen: $label build ($dir) ==="
    cmake -S "$root" -B "$dir" -G Ninja "$@" >/dev/null
    cmake --build "$dir" -j "$jobs"
    echo "=== cogen: $label tests ==="
    # shellcheck disable=SC2086
    (cd "$dir" && ctest --output-on-failure -j "$jobs" --timeout 900 $ctest_args)
}

run_suite "$root/build" "release" "" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCOGEN_WERROR=ON
# The sanitizer build runs the same suite under ASan + UBSan (LeakSanitizer
# included); the soak test runs once, in the normal build.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
run_suite "$root/build-asan" "sanitizer" "-LE soak -E viz_gui.display|tutorial\\..*\\.png" -DCMAKE_BUILD_TYPE=Debug \
        -DCOGEN_SANITIZE='address;undefined' -DCOGEN_BUILD_BENCH=OFF
# The tests that render (the GUI's PNG tests, every tutorial's --png) load Mesa's
# GL driver, which leaks from modules it unloads again (LeakSanitizer cannot even
# name them, and was seen to crash in its own scan with the driver's threads): run
# those without leak detection, everything else above with it.
echo "=== cogen: sanitizer tests of the GUI, offscreen (leak detection off: GL driver) ==="
(cd "$root/build-asan" && ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 \
    ctest --output-on-failure -j "$jobs" --timeout 900 -R "viz_gui.display|tutorial\\..*\\.png")

if [[ -f "$root/fuzz/run.sh" ]]; then
    echo "=== cogen: fuzzers (bounded) ==="
    # Each fuzzer runs a million inputs, or five minutes at most (FUZZ_SECONDS).
    bash "$root/fuzz/run.sh" "${FUZZ_SECONDS:-300}"
fi
echo "=== cogen: all tests passed ==="
