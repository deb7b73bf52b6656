#!/usr/bin/env bash
# Installs the Debian 12 packages cogen needs to build, test and run the demo.
# Idempotent: installs only what is missing. Needs root (or sudo) to install.
# usage: scripts/install-deps.sh [--bench]   (--bench: also the benchmark peers' packages,
#                                             bench/README.md)
set -euo pipefail

packages=(
    cmake ninja-build g++ pkg-config git
    catch2 nlohmann-json3-dev liburing-dev libcli11-dev
    libimgui-dev libglfw3-dev libstb-dev
    # Headless rendering without an X server: Mesa's EGL (surfaceless) and llvmpipe.
    libegl-dev libegl-mesa0 libgl1-mesa-dri
    # The sanitizer build (scripts/test.sh).
    clang libclang-rt-14-dev
)
case "${1:-}" in
    "") ;;
    --bench) packages+=(wrk python3 iproute2 util-linux make libboost-dev libuv1-dev nodejs
                        python3-uvloop nginx-light linux-perf) ;;
    -h | --help)
        sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'
        exit 0
        ;;
    *)
        echo "install-deps.sh: unknown option $1 (--bench or nothing)" >&2
        exit 2
        ;;
esac

missing=()
for p in "${packages[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
    exit 0
fi

echo "cogen: installing ${missing[*]}" >&2
if [[ $(id -u) -eq 0 ]]; then
    apt_get=(apt-get)
elif command -v sudo >/dev/null 2>&1; then
    apt_get=(sudo apt-get)
else
    echo "cogen: these packages are missing and I am not root: ${missing[*]}" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${apt_get[@]}" update -qq
"${apt_get[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
