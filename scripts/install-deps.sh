#!/usr/bin/env bash
# Installs the Debian 12 packages cogen needs to build, test and run the demo.
# Idempotent: installs only what is missing. Needs root (or sudo) to install.
set -euo pipefail

packages=(
    cmake ninja-build g++ pkg-config git
    catch2 nlohmann-json3-dev liburing-dev libcli11-dev
    libimgui-dev libglfw3-dev libstb-dev libgl1-mesa-dri
    xvfb xauth clang libclang-rt-14-dev
)

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
