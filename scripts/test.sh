#!/usr/bin/env bash
# Runs the whole test suite and prints the totals as one plain line: "N passed, N failed, N skipped".
# Usage: scripts/test.sh [extra dotnet test arguments, e.g. --filter "FullyQualifiedName~Hdf5"]
set -uo pipefail
cd "$(dirname "$0")/.."
# Prerequisites are idempotent and quick once met; when they cannot be met (not root) the script
# explains why and the tests that need them report it.
bash scripts/prereq.sh || true
results=TestResults
rm -rf "$results"
dotnet test Zoo.sln -c Release --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results" "$@"
rc=$?
passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  get() { printf '%s' "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
  p=$(get passed); f=$(get failed); e=$(get error); t=$(get total); x=$(get executed)
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0} + ${e:-0}))
  skipped=$((skipped + ${t:-0} - ${x:-0}))
done
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$rc" -eq 0 ] && [ "$failed" -gt 0 ]; then rc=1; fi
if [ "$passed" -eq 0 ] && [ "$rc" -eq 0 ]; then echo "no test passed" >&2; rc=1; fi
exit "$rc"
