#!/usr/bin/env bash
# Configures and builds plantrace. Usage: scripts/build.sh [--sanitize] [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
sanitize=OFF
if [ "${1:-}" = "--sanitize" ]; then sanitize=ON; shift; fi
dir=${1:-build}
if [ "$sanitize" = ON ] && [ -z "${1:-}" ]; then dir=build-asan; fi
cmake -S . -B "$dir" -DPLANTRACE_SANITIZE=$sanitize -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$dir" -j "$(nproc)"
