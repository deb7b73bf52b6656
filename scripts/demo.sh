#!/usr/bin/env bash
# The main demo: installs what is missing, builds, and runs it.
#   ./scripts/demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
"$root/scripts/install-deps.sh"
cmake -S "$root" -B "$root/build-demo" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCOGEN_BUILD_TESTS=OFF -DCOGEN_BUILD_BENCH=OFF >/dev/null
cmake --build "$root/build-demo" -j "$(nproc)" --target cogen-demo-trace
exec "$root/build-demo/bin/cogen-demo-trace"
