#!/usr/bin/env bash
# The AKS preset through the CLI against `sandbox serve` whose every ARM write and LRO takes
# 1.5 s (override with LATENCY=...): with ARM's one-operation-per-VNet rule in force, the run must
# succeed at the first try. Prints rc and seconds; exits with the run's exit code.
set -u
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'kill "$serve" 2>/dev/null; rm -rf "$out"' EXIT
npx tsx source/cli.ts sandbox serve --port 0 --latency "${LATENCY:-arm-write=1500,lro=1500}" >"$out/ready" 2>"$out/serve.err" &
serve=$!
for _ in $(seq 1 100); do [ -s "$out/ready" ] && break; sleep 0.3; done
field() { node -e "console.log(JSON.parse(require('fs').readFileSync('$out/ready','utf8')).$1)"; }
start=$(date +%s)
npx tsx source/cli.ts --preset presets/aks-private-endpoint.yaml --yes \
  --sandbox-url "$(field url)" --sandbox-ca "$(field caFile)" --output json >"$out/run.ndjson" 2>"$out/run.err"
rc=$?
echo "rc=$rc seconds=$(($(date +%s) - start))"
tail -n 1 "$out/run.ndjson"
exit "$rc"
