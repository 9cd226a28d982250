#!/usr/bin/env bash
# Ships a 1 GiB synthetic build log into the Elasticsearch double on one core and records the
# figures in RESULTS.md. The shipper runs pinned to core 0 (taskset -c 0), the double to core 1.
#   npm run build && bash bench/elk-log-shipper/run.sh [MiB]
# ELK_BENCH_RUNS=N (default 3) runs every measured command N times, interleaved round by round, and
# reports the median of each: this VM's speed drifts by a fifth or more within minutes.
# The log is generated into /tmp/elk-bench (never committed). Peer figures (Vector 76.7 MiB/s,
# Filebeat 7.8 MiB/s, file to TCP) are their published numbers on their hardware; neither can
# run here, so no same-machine ratio is possible for them.
set -euo pipefail
cd "$(dirname "$0")/../.."
MIB=${1:-1024}
RUNS=${ELK_BENCH_RUNS:-3}
DIR=/tmp/elk-bench
LOG=${ELK_BENCH_LOG:-$DIR/build.log}
BUNDLE=dist/elk-log-shipper.mjs
# The shipper runs on the Node the step image ships (the official Node 22 build, fetched into
# .cache by scripts/test-node-versions.sh 22); ELK_BENCH_NODE picks another. Debian's own
# node package is markedly slower (its zlib and start-up), so it would not say what the image does.
NODE=${ELK_BENCH_NODE:-}
if [ -z "$NODE" ]; then
  if [ -x .cache/node-22/package/bin/node ]; then NODE=.cache/node-22/package/bin/node; else NODE=$(command -v node); fi
fi
mkdir -p "$DIR/ws"
[ -f "$BUNDLE" ] || node scripts/build.mjs elk-log-shipper
if [ ! -f "$LOG" ] || [ "$(stat -c %s "$LOG")" -lt $((MIB * 1024 * 1024)) ]; then
  node bench/elk-log-shipper/gen-log.mjs "$LOG" "$MIB" > "$DIR/gen.out"
fi
ln -sf "$LOG" "$DIR/ws/build.log"
BYTES=$(stat -c %s "$LOG")
LINES=$(wc -l < "$LOG")
# The Task and StepAction run node with this (a smaller young generation: about 110 MiB resident
# instead of 165); ELK_BENCH_NODE_OPTIONS= (empty) measures Node's defaults.
export NODE_OPTIONS=${ELK_BENCH_NODE_OPTIONS---max-semi-space-size=4}
CTX=(--pipeline-name build-app --pipeline-run bench-run-1 --task-name build --task-run bench-run-1-build --step-name mvn
     --vcs-repository https://gitlab.example.com/team/step-counter --vcs-revision 0123456789abcdef0123456789abcdef01234567 --vcs-ref main)

# measure NAME CMD...: runs CMD under /usr/bin/time -v on core 0; prints wall, cpu (user+sys), max RSS.
measure() {
  local name=$1; shift
  rm -rf "$DIR/ws/.elk-spool"
  /usr/bin/time -v -o "$DIR/$name.time" taskset -c 0 "$@" < "${IN:-/dev/null}" > "$DIR/$name.out" 2> "$DIR/$name.err" || true
  local wall user sys rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$DIR/$name.time")
  user=$(awk -F': ' '/User time/ {print $2}' "$DIR/$name.time")
  sys=$(awk -F': ' '/System time/ {print $2}' "$DIR/$name.time")
  rss=$(awk -F': ' '/Maximum resident/ {print $2}' "$DIR/$name.time")
  node -e '
    const [name, bytes, lines, wall, user, sys, rss] = process.argv.slice(1);
    const mib = bytes / 1048576, cpu = Number(user) + Number(sys);
    console.log(`| ${name} | ${(mib / wall).toFixed(1)} | ${(lines / wall / 1000).toFixed(0)}k | ${(mib / cpu).toFixed(1)} | ${wall} | ${cpu.toFixed(1)} | ${(rss / 1024).toFixed(0)} |`);
  ' "$name" "$BYTES" "$LINES" "$wall" "$user" "$sys" "$rss"
}

ROWS=()
ROWS+=("$(measure read-only "$NODE" -e "let n=0;require('fs').createReadStream('$LOG',{highWaterMark:1<<20}).on('data',c=>n+=c.length).on('end',()=>console.log(n))")")

PORT=19211
# The double runs bundled, as the shipper does (under tsx every closure it makes goes through a
# naming helper, which made it slower than the shipper it measures), with Node's default heap
# settings: it stands in for a cluster, not for the step.
npx esbuild bench/elk-log-shipper/es-double-server.ts --bundle --platform=node --format=esm --log-level=warning --outfile="$DIR/es-double.mjs"
NODE_OPTIONS= taskset -c 1 "$NODE" "$DIR/es-double.mjs" $PORT > "$DIR/double.out" 2>&1 &
DOUBLE=$!
trap 'kill $DOUBLE 2>/dev/null || true' EXIT
for _ in $(seq 50); do grep -q http "$DIR/double.out" 2>/dev/null && break; sleep 0.2; done
# Another process on the port would take the requests and its figures would be measured instead.
if ! kill -0 $DOUBLE 2>/dev/null; then
  echo "the Elasticsearch double did not start (is port $PORT in use?):" >&2
  cat "$DIR/double.out" >&2
  exit 1
fi
for _ in $(seq "$RUNS"); do
  ROWS+=("$(measure read+encode "$NODE" "$BUNDLE" --workspace "$DIR/ws" --files build.log --output file --output-file /dev/null "${CTX[@]}")")
  ROWS+=("$(measure ship-gzip "$NODE" "$BUNDLE" --workspace "$DIR/ws" --files build.log --url http://127.0.0.1:$PORT --index logs-steg.bench-gzip "${CTX[@]}")")
  ROWS+=("$(measure ship-plain "$NODE" "$BUNDLE" --workspace "$DIR/ws" --files build.log --url http://127.0.0.1:$PORT --index logs-steg.bench-plain --compress=false "${CTX[@]}")")
  ROWS+=("$(measure ship-plain-ids "$NODE" "$BUNDLE" --workspace "$DIR/ws" --files build.log --url http://127.0.0.1:$PORT --index logs-steg.bench-plain-ids --compress=false --line-context ids "${CTX[@]}")")
done
BUILD_INPUT="input: $BYTES bytes, $LINES lines"

# The same-machine peer: pino-elasticsearch (JSON lines through the official client's bulk
# helper) and the shipper, each reading the same pino log from stdin on core 0. The peer takes
# only JSON lines, hence a log of pino lines; it ships every field with index actions and
# generated ids, the shipper ships message, level, time, error fields and the run's context
# with create actions and deterministic ids.
PEER=bench/elk-log-shipper/peer/node_modules/pino-elasticsearch/cli.js
PEER_ROWS=()
if [ -f "$PEER" ]; then
  PINO=$DIR/pino.log
  if [ ! -f "$PINO" ] || [ "$(stat -c %s "$PINO")" -lt $((MIB * 1024 * 1024)) ]; then
    node bench/elk-log-shipper/gen-log.mjs "$PINO" "$MIB" pino > "$DIR/gen-pino.out"
  fi
  BYTES=$(stat -c %s "$PINO")
  LINES=$(wc -l < "$PINO")
  PEER_INPUT="input: $BYTES bytes, $LINES pino lines"
  export IN=$PINO
  for _ in $(seq "$RUNS"); do
    PEER_ROWS+=("$(NODE_OPTIONS= measure pino-elasticsearch "$NODE" "$PEER" --node http://127.0.0.1:$PORT --index pino-bench --flush-bytes 2097152)")
    PEER_ROWS+=("$(measure steg-pino-plain "$NODE" "$BUNDLE" --workspace "$DIR/ws" --files - --url http://127.0.0.1:$PORT --index logs-steg.pino-plain --compress=false "${CTX[@]}")")
    PEER_ROWS+=("$(measure steg-pino-gzip "$NODE" "$BUNDLE" --workspace "$DIR/ws" --files - --url http://127.0.0.1:$PORT --index logs-steg.pino-gzip "${CTX[@]}")")
  done
  unset IN
else
  PEER_INPUT="pino-elasticsearch not installed: npm install --no-workspaces --prefix bench/elk-log-shipper/peer"
fi
kill -TERM $DOUBLE; wait $DOUBLE 2>/dev/null || true
trap - EXIT

HEAD="| run | MiB/s (wall) | lines/s (wall) | MiB/s per CPU-second | wall s | CPU s (user+sys) | max RSS MiB |
| --- | --- | --- | --- | --- | --- | --- |"
{
  echo "$HEAD"
  printf '%s\n' "${ROWS[@]}"
} > "$DIR/table.md"
echo "shipper on $("$NODE" --version) ($NODE), NODE_OPTIONS=$NODE_OPTIONS ($(date -u +%Y-%m-%dT%H:%MZ), load average $(cut -d' ' -f1-3 /proc/loadavg))"
echo "$BUILD_INPUT"
cat "$DIR/table.md"
echo
echo "peer: $PEER_INPUT"
if [ ${#PEER_ROWS[@]} -gt 0 ]; then
  echo "$HEAD"
  printf '%s\n' "${PEER_ROWS[@]}"
fi
echo
echo "medians over $RUNS run(s) of each:"
printf '%s\n' "${ROWS[@]}" "${PEER_ROWS[@]}" | node bench/elk-log-shipper/medians.mjs
echo
echo "documents in the double per index: $(tail -1 "$DIR/double.out")"
for f in ship-gzip ship-plain ship-plain-ids steg-pino-plain steg-pino-gzip; do
  [ -f "$DIR/$f.out" ] && echo "$f: $(grep -h "^  shipped\|^  failed\|^  degraded" "$DIR/$f.out" | tr -s ' ' | tr '\n' ' ')"
done
true
