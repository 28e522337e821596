/**
 * Full preset runs through the real CLI (`main`, in-process) against an in-process sandbox
 * whose ARM writes and LROs each take `latencyMs`: wall time of the apply phase vs the
 * critical path of the step DAG (scripts/critical-path.ts) and vs running the steps one after
 * another; then a no-op re-run of the same preset, counting what it asked of ARM and the data plane.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { main } from '../source/commands/main.js';
import { startSandbox } from '../source/sandbox/start.js';
import type { StepTiming } from '../source/kernel/executor.js';
import { loadPreset } from '../source/config/load-preset.js';
import { CLUSTER_STEP_IDS, selectSteps } from '../source/steps/index.js';
import { criticalPath } from './critical-path.js';

const ROOT = resolve(import.meta.dirname, '..');

export interface SetupRun {
  ok: boolean;
  wallMs: number;
  criticalPathMs: number;
  sequentialMs: number;
  /** Finalizers and the in-cluster verify, after the step graph. */
  afterGraphMs: number;
  /** Of afterGraphMs: the finalizers' Azure writes (until the last ARM or data-plane write answered). */
  finalizersMs: number;
  /** The critical path with the cluster steps (real kubectl/helm) counted as instant: the Azure part alone. */
  azureOnlyCriticalPathMs: number;
  /** kubectl and helm processes the run started, by the sandbox's log of their user agents. */
  clusterRequests: number;
  noop: {
    ok: boolean;
    armRequests: number;
    armWrites: number;
    dataPlaneRequests: number;
    dataPlaneWrites: number;
    clusterWrites: number;
  };
  error?: string;
}

/** The shipped preset, with the service principal the sandbox world knows where one is needed. */
async function benchPreset(dir: string, name: string): Promise<string> {
  const doc = parse(await readFile(join(ROOT, 'presets', `${name}.yaml`), 'utf8'));
  if (doc.identity?.mode === 'service-principal')
    doc.identity.servicePrincipal = {
      clientId: '00000000-0000-0000-0000-00000000b002',
      objectId: '00000000-0000-0000-0000-00000000b001',
      clientSecretEnv: 'FEATHR_SP_SECRET',
    };
  const file = join(dir, `${name}.yaml`);
  await writeFile(file, stringify(doc));
  return file;
}

async function runCli(
  argv: string[],
  cwd: string,
): Promise<{ code: number; events: { at: number; event: Record<string, unknown> }[] }> {
  const events: { at: number; event: Record<string, unknown> }[] = [];
  let buffer = '';
  const stdout = {
    write: (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line.startsWith('{'))
          // Epoch milliseconds, as the sandbox's request log records them.
          events.push({
            at: performance.timeOrigin + performance.now(),
            event: JSON.parse(line) as Record<string, unknown>,
          });
      }
      return true;
    },
  };
  const code = await main(argv, { stdout, stderr: { write: () => true }, stdinIsTTY: false, env: process.env, cwd });
  return { code, events };
}

export async function measureSetupRun(presetName: string, latencyMs: number): Promise<SetupRun> {
  const dir = await mkdtemp(join(tmpdir(), 'kv-bench-setup-'));
  const sandbox = await startSandbox({ rbacPropagationSeconds: 0, latency: `arm-write=${latencyMs},lro=${latencyMs}` });
  const sp = [...sandbox.state.principals.values()].find((p) => p.clientId === '00000000-0000-0000-0000-00000000b002');
  process.env.FEATHR_SP_SECRET = sp?.clientSecret ?? 'bench';
  process.env.FEATHR_KV_SETUP_STATE_DIR = join(dir, 'state');
  try {
    const caFile = join(dir, 'ca.pem');
    await writeFile(caFile, sandbox.caPem);
    const preset = await benchPreset(dir, presetName);
    const argv = [
      '--preset',
      preset,
      '--yes',
      '--output',
      'json',
      '--sandbox-url',
      sandbox.url,
      '--sandbox-ca',
      caFile,
    ];
    const first = await runCli(argv, dir);
    const steps = new Map(selectSteps(await loadPreset(preset)).map((s) => [s.id, s.dependsOn]));
    const started = new Map<string, number>();
    const timings: StepTiming[] = [];
    for (const { at, event } of first.events) {
      const id = String(event.stepId ?? '');
      if (event.type === 'step.started') started.set(id, at);
      if ((event.type === 'step.done' || event.type === 'step.failed') && started.has(id))
        timings.push({
          stepId: id,
          dependsOn: steps.get(id) ?? [],
          startedAt: started.get(id)!,
          endedAt: at,
          applied: true,
        });
    }
    // Wall and critical path are the step graph's own; what runs after it, one thing at a
    // time (finalizers such as the uninstall ledger's vault tags, then the in-cluster
    // verify), is reported on its own as afterGraphMs rather than hidden in either figure.
    const graph = timings.filter((t) => steps.has(t.stepId));
    const graphEnd = graph.length ? Math.max(...graph.map((t) => t.endedAt)) : Number.NaN;
    const wall = graph.length ? graphEnd - Math.min(...graph.map((t) => t.startedAt)) : Number.NaN;
    const lastEvent = first.events.at(-1)?.at ?? graphEnd;
    // The finalizers are Azure writes (the ledger's vault tags); what follows them is the
    // in-cluster verify. The log records a request when it is answered.
    const finalizersEnd = Math.max(
      graphEnd,
      ...sandbox.state.requestLog
        .filter((r) => r.write && (r.plane === 'arm' || r.plane === 'dataplane') && r.at > graphEnd)
        .map((r) => r.at),
    );
    // The same graph with the cluster steps taking no time: what the run costs without its
    // cluster part, measured in this very run.
    const azureOnly = criticalPath(
      graph.map((t) => (CLUSTER_STEP_IDS.has(t.stepId) ? { ...t, endedAt: t.startedAt } : t)),
    ).ms;
    const clusterRequests = sandbox.state.requestLog.filter((r) => r.plane === 'cluster').length;
    const result = [...first.events].reverse().find((e) => e.event.type === 'result')?.event as
      { ok?: boolean; error?: { message?: string } } | undefined;

    sandbox.state.faults = undefined; // the no-op re-run is about counts, not latency
    const before = sandbox.state.requestLog.length;
    const again = await runCli(argv, dir);
    const log = sandbox.state.requestLog.slice(before);
    const count = (plane: string, writes: boolean) =>
      log.filter((r) => r.plane === plane && (!writes || r.write)).length;
    return {
      ok: first.code === 0,
      wallMs: wall,
      criticalPathMs: criticalPath(graph).ms,
      sequentialMs: graph.reduce((sum, t) => sum + (t.endedAt - t.startedAt), 0),
      afterGraphMs: lastEvent - graphEnd,
      finalizersMs: Math.min(finalizersEnd, lastEvent) - graphEnd,
      azureOnlyCriticalPathMs: azureOnly,
      clusterRequests,
      noop: {
        ok: again.code === 0,
        armRequests: count('arm', false),
        armWrites: count('arm', true),
        dataPlaneRequests: count('dataplane', false),
        dataPlaneWrites: count('dataplane', true),
        clusterWrites: count('cluster', true),
      },
      ...(first.code === 0 ? {} : { error: result?.error?.message?.split('\n')[0]?.slice(0, 160) }),
    };
  } finally {
    await sandbox.close();
    await rm(dir, { recursive: true, force: true });
  }
}
