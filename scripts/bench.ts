/**
 * `npm run bench [-- --json] [--runs 3] [--migration-runs 3] [--secrets 1000] [--latency 1000] [--frames 7]`
 *
 * The performance figures, each the median of several runs, measured the same way every time:
 *   first frame      built CLI's first stdout byte vs `node -e 0`
 *   azure / other-cloud   full preset runs with every ARM write and LRO taking --latency ms:
 *                    wall vs the step DAG's critical path, and vs the steps run one by one
 *   no-op re-run     ARM and data-plane requests of a second run (writes must be 0)
 *   migration        --secrets through the CLI (child process) vs Key Vault's throttle floor,
 *                    secrets/s, and the CLI's peak RSS (VmHWM)
 *   sandbox ready    `sandbox serve --port 0` to its ready line, median of 5 starts
 * Not part of npm test: it takes minutes. Exit 1 when a run failed or a re-run wrote anything.
 */
import { cpus } from 'node:os';
import { measureFirstFrame } from './bench-first-frame.js';
import { measureMigration } from './bench-migration-cli.js';
import { measureSandboxReady } from './bench-sandbox-ready.js';
import { measureSetupRun, type SetupRun } from './bench-setup-runs.js';
import { median, ratio, repeat, round } from './bench-stats.js';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i > 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} takes a positive number`);
  return value;
}

function summariseSetup(runs: SetupRun[]) {
  const wall = median(runs.map((r) => r.wallMs));
  const critical = median(runs.map((r) => r.criticalPathMs));
  const sequential = median(runs.map((r) => r.sequentialMs));
  const noop = runs.at(-1)!.noop;
  return {
    ok: runs.every((r) => r.ok),
    runs: runs.length,
    wallMs: round(wall),
    criticalPathMs: round(critical),
    sequentialMs: round(sequential),
    wallOverCriticalPath: ratio(wall, critical),
    wallOverSequential: ratio(wall, sequential),
    afterGraphMs: round(median(runs.map((r) => r.afterGraphMs))),
    azureOnlyCriticalPathMs: round(median(runs.map((r) => r.azureOnlyCriticalPathMs))),
    finalizersMs: round(median(runs.map((r) => r.finalizersMs))),
    // What the cluster part (real kubectl/helm: the cluster steps on the critical path, and the
    // in-cluster verify after the graph) adds to the same run without it: the critical path
    // with the cluster steps taking no time, plus the finalizers (Azure writes either way).
    clusterAddsPercent: round(
      (100 *
        (median(runs.map((r) => r.criticalPathMs + r.afterGraphMs)) -
          median(runs.map((r) => r.azureOnlyCriticalPathMs + r.finalizersMs)))) /
        median(runs.map((r) => r.azureOnlyCriticalPathMs + r.finalizersMs)),
    ),
    clusterRequests: median(runs.map((r) => r.clusterRequests)),
    noopRerun: {
      ok: runs.every((r) => r.noop.ok),
      armRequests: median(runs.map((r) => r.noop.armRequests)),
      armWrites: Math.max(...runs.map((r) => r.noop.armWrites)),
      dataPlaneRequests: median(runs.map((r) => r.noop.dataPlaneRequests)),
      dataPlaneWrites: Math.max(...runs.map((r) => r.noop.dataPlaneWrites)),
      clusterWrites: Math.max(...runs.map((r) => r.noop.clusterWrites)),
      lastRun: noop,
    },
    errors: [...new Set(runs.flatMap((r) => (r.error ? [r.error] : [])))],
  };
}

async function bench() {
  const json = process.argv.includes('--json');
  const runs = flag('runs', 3);
  const migrationRuns = flag('migration-runs', 3);
  const secrets = flag('secrets', 1000);
  const latencyMs = flag('latency', 1000);
  const log = (text: string) => void (json ? process.stderr : process.stdout).write(`${text}\n`);

  log('measuring first frame ...');
  const firstFrame = await measureFirstFrame(flag('frames', 7));
  // Early: a few seconds, and a sandbox that can't start fails the bench before the long runs.
  log('measuring sandbox serve start-up (5 starts) ...');
  const sandboxReady = await measureSandboxReady(5);
  log(`measuring azure and other-cloud runs (${runs} each, ARM latency ${latencyMs} ms) ...`);
  const azure = summariseSetup(await repeat(runs, () => measureSetupRun('aks-private-endpoint', latencyMs)));
  const otherCloud = summariseSetup(
    await repeat(runs, () => measureSetupRun('other-cloud-workload-identity', latencyMs)),
  );
  log(`measuring migration of ${secrets} secrets (${migrationRuns} runs) ...`);
  const migrations = await repeat(migrationRuns, () => measureMigration(secrets));
  const migrationMs = median(migrations.map((m) => m.migrationMs));
  const floorMs = migrations[0]!.floorMs;
  const migration = {
    ok: migrations.every((m) => m.ok),
    runs: migrations.length,
    secrets,
    migrated: median(migrations.map((m) => m.migrated)),
    migrationMs: round(migrationMs),
    throttleFloorMs: round(floorMs),
    overThrottleFloor: ratio(migrationMs, floorMs),
    secretsPerSecond: round(secrets / (migrationMs / 1000), 1),
    throttleLimitPerSecond: round(secrets / (floorMs / 1000), 1),
    peakRssMb: median(migrations.map((m) => m.peakRssMb)),
    planes: [...new Set(migrations.map((m) => m.plane))],
    errors: [...new Set(migrations.flatMap((m) => (m.error ? [m.error] : [])))],
  };
  const machine = {
    nproc: cpus().length,
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
  return {
    measuredAt: new Date().toISOString(),
    machine,
    settings: { runs, migrationRuns, secrets, armLatencyMs: latencyMs },
    firstFrame,
    azure,
    otherCloud,
    migration,
    sandboxReadyMs: sandboxReady.sandboxReadyMs,
  };
}

function table(report: Awaited<ReturnType<typeof bench>>): string {
  const r = report;
  const rows: [string, string, string][] = [
    [
      'first frame',
      `${r.firstFrame.firstFrameMs} ms`,
      `${r.firstFrame.ratio}x node -e 0 (${r.firstFrame.nodeBaselineMs} ms)`,
    ],
    ...(['azure', 'otherCloud'] as const).flatMap((k): [string, string, string][] => [
      [
        `${k} run${r[k].ok ? '' : ' (FAILED)'}`,
        `${r[k].wallMs} ms`,
        `${r[k].wallOverCriticalPath}x critical path (${r[k].criticalPathMs} ms), ${r[k].wallOverSequential}x sequential (${r[k].sequentialMs} ms); then ${r[k].afterGraphMs} ms after the graph (${r[k].finalizersMs} ms of finalizers, the rest in-cluster verify)`,
      ],
      [
        `${k} cluster part`,
        `+${r[k].clusterAddsPercent} %`,
        `real kubectl/helm (${r[k].clusterRequests} cluster requests): critical path + finalizers + in-cluster verify vs the Azure-only critical path (${r[k].azureOnlyCriticalPathMs} ms) + finalizers of the same run`,
      ],
      [
        `${k} no-op re-run`,
        `${r[k].noopRerun.armWrites + r[k].noopRerun.dataPlaneWrites} writes`,
        `ARM ${r[k].noopRerun.armRequests} requests / ${r[k].noopRerun.armWrites} writes, data plane ${r[k].noopRerun.dataPlaneRequests} / ${r[k].noopRerun.dataPlaneWrites}`,
      ],
    ]),
    [
      `migration${r.migration.ok ? '' : ' (FAILED)'}`,
      `${r.migration.migrationMs} ms`,
      `${r.migration.overThrottleFloor}x throttle floor (${r.migration.throttleFloorMs} ms), ${r.migration.secretsPerSecond}/s of ${r.migration.throttleLimitPerSecond}/s, ${r.migration.migrated}/${r.migration.secrets} migrated over the ${r.migration.planes.join('/')} plane`,
    ],
    ['peak RSS (migration)', `${r.migration.peakRssMb} MB`, 'VmHWM of the CLI process'],
    ['sandbox ready', `${r.sandboxReadyMs} ms`, 'sandbox serve --port 0 to its ready line, median of 5 starts'],
  ];
  const w0 = Math.max(...rows.map((x) => x[0].length));
  const w1 = Math.max(...rows.map((x) => x[1].length));
  const errors = [...r.azure.errors, ...r.otherCloud.errors, ...r.migration.errors].map((e) => `  error: ${e}`);
  return [
    `${r.machine.nproc} x ${r.machine.cpu}, Node ${r.machine.node}; medians of ${r.settings.runs} (setup) and ${r.settings.migrationRuns} (migration) runs`,
    ...rows.map(([a, b, c]) => `${a.padEnd(w0)}  ${b.padStart(w1)}  ${c}`),
    ...errors,
  ].join('\n');
}

const report = await bench();
if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(report)}\n`);
else process.stdout.write(`${table(report)}\n`);
const healthy =
  report.azure.ok &&
  report.otherCloud.ok &&
  report.migration.ok &&
  [report.azure, report.otherCloud].every((s) => s.noopRerun.armWrites === 0 && s.noopRerun.dataPlaneWrites === 0);
process.exitCode = healthy ? 0 : 1;
