#!/usr/bin/env bash
# Packs the GPU check for the device tool (carry [".gpu"], <= 64 MiB), from the repo root, after
# `pnpm install` and `pnpm turbo run build`:
#   bash tooling/gpu-check/pack.sh
# stage.mjs lays the check out as one flat tree (each package once: pnpm's links would otherwise
# become one copy per link under tar -h), then ../shared/tools/gpu-bundle.sh packs that tree with
# node and the Vulkan/GL loader .debs into .gpu/ (git-ignored). On the GPU machine:
#   bash .gpu/run.sh node tooling/gpu-check/src/suite.mjs
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bundle="$root/../shared/tools/gpu-bundle.sh"
[ -f "$bundle" ] || { echo "missing $bundle" >&2; exit 1; }
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cd "$root"
node tooling/gpu-check/stage.mjs "$stage"
# The paths: the flat node_modules and the two tooling folders (tooling/gpu-check, tooling/bench/src).
(cd "$stage" && bash "$bundle" "$root/.gpu" node_modules tooling)
