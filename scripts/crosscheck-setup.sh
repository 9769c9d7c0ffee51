#!/usr/bin/env bash
# Installs the independent Keras implementation the cross-check tests compare Zoo against:
# npm's @tensorflow/tfjs-layers (pure-JS CPU backend) and h5wasm (libhdf5 compiled to WebAssembly),
# pinned by tests/crosscheck/package-lock.json. Without Node.js the cross-check tests skip.
#
# Usage: scripts/crosscheck-setup.sh      (idempotent; quick when node_modules matches the lock file)
set -euo pipefail

dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/../tests/crosscheck" && pwd)"
say() { printf 'crosscheck-setup: %s\n' "$*"; }

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  say "node/npm not found: the cross-implementation tests (tfjs-layers, h5wasm) will skip. Install Node.js 18+ to run them."
  exit 0
fi

# npm writes node_modules/.package-lock.json on install; when it is newer than the lock file and
# every pinned package is present, the tree is current and a reinstall would only cost time.
stamp="$dir/node_modules/.package-lock.json"
if [ -f "$stamp" ] && [ "$stamp" -nt "$dir/package-lock.json" ] \
   && [ -d "$dir/node_modules/@tensorflow/tfjs-layers" ] && [ -d "$dir/node_modules/h5wasm" ]; then
  say "tests/crosscheck/node_modules is current ($(node --version))"
  exit 0
fi

say "installing tfjs-layers and h5wasm into tests/crosscheck/node_modules (npm ci)"
(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
say "done ($(node --version))"
