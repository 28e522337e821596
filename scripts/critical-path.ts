/**
 * Acceptance check for parallelism: with every ARM write taking `--latency` ms
 * (default 3000), run a full `azure` setup against an in-process sandbox, then compare
 *   wall        first step start -> last step end of the apply phase (planning and the
 *               stale-plan re-read happen before and are reads only)
 *   critical    the longest dependency chain, weighted by each step's measured duration
 *   sequential  the sum of all step durations (running them one after another)
 * Passes when wall <= 1.25 x critical and sequential >= 2 x wall.
 *
 *   npx tsx scripts/critical-path.ts [--latency 3000] [--json]
 */
import { pathToFileURL } from 'node:url';
import { startSandbox } from '../source/sandbox/start.js';
import { credentialFor } from '../source/connect/sandbox-client.js';
import { sandboxAzureConnection } from '../source/azure/connection.js';
import { runSetup } from '../source/use-cases/setup/run-setup.js';
import type { StepTiming } from '../source/kernel/executor.js';
import { AZURE_STEPS, selectSteps } from '../source/steps/index.js';
import type { SetupConfig } from '../source/config/setup-config.js';

const config: SetupConfig = {
  target: 'azure',
  azure: { subscriptionId: '00000000-0000-0000-0000-00000000feed', resourceGroup: 'feathr-rg', location: 'eastus' },
  vault: { name: 'feathr-kv-demo', create: true, permissionModel: 'rbac', purgeProtection: true },
  network: { privateEndpoint: { vnet: 'shared-vnet', subnet: 'kv-endpoints', addressPrefix: '10.20.1.0/24' } },
  cluster: { kubeContext: 'feathr-aks', aks: { resourceGroup: 'feathr-rg', name: 'feathr-aks' } },
  csi: { install: 'aks-addon', rotation: { enabled: true, pollInterval: '2m' } },
  identity: { mode: 'aks-addon' },
};

/** Longest chain ending at each step = its duration + the longest chain among its dependencies. */
export function criticalPath(timings: readonly StepTiming[]): { ms: number; chain: string[] } {
  const byId = new Map(timings.map((t) => [t.stepId, t]));
  const memo = new Map<string, { ms: number; chain: string[] }>();
  const longest = (id: string): { ms: number; chain: string[] } => {
    const known = memo.get(id);
    if (known) return known;
    const t = byId.get(id)!;
    const before = t.dependsOn
      .filter((d) => byId.has(d))
      .map(longest)
      .sort((a, b) => b.ms - a.ms)[0] ?? { ms: 0, chain: [] };
    const result = { ms: before.ms + (t.endedAt - t.startedAt), chain: [...before.chain, id] };
    memo.set(id, result);
    return result;
  };
  return timings.map((t) => longest(t.stepId)).sort((a, b) => b.ms - a.ms)[0] ?? { ms: 0, chain: [] };
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const latency = Number(args[args.indexOf('--latency') + 1] ?? 3000) || 3000;
  const json = args.includes('--json');
  const sandbox = await startSandbox({ latency: `arm-write=${latency}`, rbacPropagationSeconds: 0 });
  try {
    const operator = sandbox.state.principals.get(sandbox.state.operatorId)!;
    const connection = sandboxAzureConnection(
      {
        url: sandbox.url,
        caPem: sandbox.caPem,
        subscriptionId: sandbox.subscriptionId,
        tenantId: sandbox.tenantId,
        credential: credentialFor(operator.token, {
          url: sandbox.url,
          caPem: sandbox.caPem,
          principal: operator.objectId,
        }),
        operator: { objectId: operator.objectId, principalType: operator.type },
      },
      { lroIntervalMs: 5 },
    );
    const steps = selectSteps(config, AZURE_STEPS);
    const outcome = await runSetup({
      config,
      mode: 'apply',
      yes: true,
      hasTTY: false,
      signal: new AbortController().signal,
      emit: () => {},
      connection,
      steps,
      pollIntervalMs: 20,
    });
    const timings = outcome.applied!.timings;
    const wall = Math.max(...timings.map((t) => t.endedAt)) - Math.min(...timings.map((t) => t.startedAt));
    const sequential = timings.reduce((sum, t) => sum + (t.endedAt - t.startedAt), 0);
    const critical = criticalPath(timings);
    const wallOverCritical = wall / critical.ms;
    const sequentialOverWall = sequential / wall;
    const ok = wallOverCritical <= 1.25 && sequentialOverWall >= 2;
    const report = {
      latencyMs: latency,
      steps: timings.map((t) => ({ step: t.stepId, ms: Math.round(t.endedAt - t.startedAt), applied: t.applied })),
      wallMs: Math.round(wall),
      criticalPathMs: Math.round(critical.ms),
      criticalPath: critical.chain,
      sequentialMs: Math.round(sequential),
      wallOverCritical: Number(wallOverCritical.toFixed(3)),
      sequentialOverWall: Number(sequentialOverWall.toFixed(2)),
      ok,
    };
    if (json) console.log(JSON.stringify(report));
    else {
      for (const s of report.steps)
        console.log(`${s.step.padEnd(18)} ${String(s.ms).padStart(6)} ms${s.applied ? '' : ' (no-op)'}`);
      console.log(`critical path  ${report.criticalPathMs} ms: ${critical.chain.join(' -> ')}`);
      console.log(`wall time      ${report.wallMs} ms  = ${report.wallOverCritical} x critical path (must be <= 1.25)`);
      console.log(`sequential sum ${report.sequentialMs} ms = ${report.sequentialOverWall} x wall time (must be >= 2)`);
      console.log(ok ? 'PASS' : 'FAIL');
    }
    return ok ? 0 : 1;
  } finally {
    await sandbox.close();
  }
}

// Run only as a script, so scripts/bench.ts can import criticalPath without starting a run.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = await main();
