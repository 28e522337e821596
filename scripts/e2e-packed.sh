#!/usr/bin/env bash
# Fresh-machine end-to-end: pack the package, install the tarball into an empty
# folder, serve the sandbox from the installed bin, and run every shipped preset against it
# with --yes. Proves the published package works (dist, charts and presets found relative to
# the installed package, not to this checkout), not just the source tree.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/feathr-kv-e2e-XXXXXX")"
sandbox_pid=""
cleanup() {
  if [ -n "$sandbox_pid" ]; then kill -TERM "$sandbox_pid" 2>/dev/null || true; wait "$sandbox_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "e2e-packed: $*" >&2; exit 1; }

echo "e2e-packed: packing $repo"
(cd "$repo" && npm pack --silent --pack-destination "$work" >/dev/null)
tarball="$(ls "$work"/feathr-kv-setup-*.tgz)"
# What a user gets: the tarball must carry the built CLI, the chart and the presets.
tar -tzf "$tarball" >"$work/contents.txt"
for entry in package/dist/cli.js package/charts/feathr-online/Chart.yaml package/charts/feathr-online/values.schema.json package/charts/feathr-online/files/kv-probe.sh package/charts/feathr-online/files/kv-monitor.sh package/presets/schema.json package/README.md; do
  grep -qx "$entry" "$work/contents.txt" || fail "the tarball has no $entry"
done

# An empty folder with nothing of the checkout in reach: a cwd far from the repo and the package.
mkdir -p "$work/app" "$work/run/presets"
(cd "$work/app" && npm init -y >/dev/null && npm install --no-audit --no-fund --loglevel=error "$tarball" >/dev/null)
bin="$work/app/node_modules/.bin/feathr-kv-setup"
[ -x "$bin" ] || fail "npm install didn't create $bin"
cp "$repo"/presets/*.yaml "$work/run/presets/"
# The tool drives the user's own kubectl and helm, found on PATH; here, the real binaries the
# test suite unpacks (helm 4.1 and kubectl 1.34), as a user would have installed them.
tools="$repo/.tools/helm4"
if [ ! -x "$tools/kubectl" ] || [ ! -x "$tools/helm" ]; then (cd "$repo" && npx tsx scripts/setup-test-tools.ts >/dev/null); fi
export PATH="$tools:$PATH"
cd "$work/run"
"$bin" --version

ready="$work/ready.json"
"$bin" sandbox serve --port 0 >"$ready" 2>"$work/sandbox.err" &
sandbox_pid=$!
for _ in $(seq 1 300); do
  [ -s "$ready" ] && break
  kill -0 "$sandbox_pid" 2>/dev/null || fail "sandbox serve exited: $(cat "$work/sandbox.err")"
  sleep 0.1
done
[ -s "$ready" ] || fail "sandbox serve printed no ready line in 30 s"
field() { node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8").split("\n")[0]); process.stdout.write(String(r[process.argv[2]]));' "$ready" "$1"; }
url="$(field url)"; ca="$(field caFile)"; token="$(field token)"; sub="$(field subscriptionId)"
echo "e2e-packed: sandbox at $url"

# Bearer token through a curl config on stdin, so it isn't on curl's argv.
get() { printf 'header = "Authorization: Bearer %s"\n' "$token" | curl --silent --show-error --fail --cacert "$ca" --config - "$url$1"; }
# The default world's service principal accepts this sandbox value (source/sandbox/world/default-world.ts).
export FEATHR_SP_SECRET="sandbox-feathr-sp-secret"

for preset in presets/*.yaml; do
  name="$(basename "$preset" .yaml)"
  echo "e2e-packed: $name"
  curl --silent --fail --cacert "$ca" -X POST "$url/_sandbox/reset" >/dev/null
  out="$work/$name.ndjson"
  if ! "$bin" --preset "$preset" --yes --sandbox-url "$url" --sandbox-ca "$ca" --output json >"$out" 2>"$work/$name.err"; then
    tail -n 5 "$out" "$work/$name.err" >&2
    fail "$name: feathr-kv-setup exited non-zero"
  fi
  vault="$(node -e 'const y = require("fs").readFileSync(process.argv[1], "utf8"); process.stdout.write(/^vault:\n(?:.*\n)*?\s+name:\s*(\S+)/m.exec(y)[1]);' "$preset")"
  context="$(node -e 'const y = require("fs").readFileSync(process.argv[1], "utf8"); process.stdout.write(/^\s+kubeContext:\s*(\S+)/m.exec(y)[1]);' "$preset")"
  # End state through ARM (as az would read it), the cluster view and the request log.
  get "/subscriptions/$sub/resourceGroups/feathr-rg/providers/Microsoft.KeyVault/vaults/$vault?api-version=2026-02-01" >"$work/vault.json" || fail "$name: vault $vault isn't there"
  get "/_sandbox/cluster" >"$work/cluster.json"
  get "/_sandbox/requests" >"$work/requests.json"
  node - "$work" "$name" "$vault" "$context" <<'NODE' || fail "$name: end state check failed"
const fs = require('fs');
const [work, name, vault, context] = process.argv.slice(2);
const read = (f) => JSON.parse(fs.readFileSync(`${work}/${f}`, 'utf8'));
const problems = [];
const v = read('vault.json');
if (v.properties?.provisioningState !== 'Succeeded') problems.push(`vault ${vault} is ${v.properties?.provisioningState}`);
const cluster = read('cluster.json').clusters.find((c) => c.context === context);
const release = cluster?.helmReleases.find((r) => r.name === 'feathr-online' && r.namespace === 'feathr');
if (release?.status !== 'deployed') problems.push(`release feathr/feathr-online is ${release?.status ?? 'missing'} in ${context}`);
const spc = cluster?.namespaces.find((n) => n.name === 'feathr')?.secretProviderClasses ?? [];
if (spc.length === 0) problems.push('no SecretProviderClass in namespace feathr');
const requests = read('requests.json').requests;
const failedWrites = requests.filter((r) => r.write && r.status >= 400 && r.status !== 404);
if (!requests.some((r) => r.write && r.plane === 'arm')) problems.push('no ARM write reached the sandbox');
const result = fs.readFileSync(`${work}/${name}.ndjson`, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((e) => e.type === 'result').pop();
if (!result?.ok) problems.push(`the last event isn't an ok result: ${JSON.stringify(result)}`);
if (problems.length) { console.error(problems.join('\n')); process.exit(1); }
console.log(`  ok: vault ${vault}, release ${release.status} rev ${release.revision}, ${requests.filter((r) => r.write).length} writes (${failedWrites.length} refused and retried)`);
NODE
  # A re-run of the same preset changes nothing: not one write request.
  before="$(get /_sandbox/requests | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).requests.length))')"
  "$bin" --preset "$preset" --yes --sandbox-url "$url" --sandbox-ca "$ca" --output json >"$out" 2>>"$work/$name.err" || fail "$name: the re-run exited non-zero"
  writes="$(get /_sandbox/requests | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).requests.slice(Number(process.argv[1])).filter(r=>r.write).length))' "$before")"
  [ "$writes" = "0" ] || fail "$name: the re-run made $writes write requests"
  echo "  ok: re-run made no writes"
done
echo "e2e-packed: every preset installed from the packed tarball"
