/**
 * Runs probe pods side by side: one apply for all of them, one watch-by-polling of their phases
 * (which also brings the result of each probe that mounts no secrets, its termination message),
 * the other pods' logs in one call, and always one delete for all (try/finally), even when any
 * of that fails. A log is also read when a termination message holds no whole result
 * (Kubernetes keeps at most 4096 bytes of it).
 * A kubectl start costs tens of milliseconds of CPU and a TLS handshake, and a probe per node
 * one after another would make a many-node cluster's check slow; a batch costs about as much
 * as a single probe.
 */
import { randomBytes } from 'node:crypto';
import type { ProbeResult, ProbeSpec } from './port.js';
import type { BoundTools } from './tool-context.js';
import { UserError } from '../kernel/errors.js';
import {
  buildProbePod,
  parseProbeOutput,
  PROBE_POD_LABEL,
  PROBE_RUN_LABEL,
  type ProbePodOptions,
} from './probe-pod.js';

export interface ProbeTiming {
  timeoutMs: number;
  pollIntervalMs: number;
}

interface PodListJson {
  items?: {
    metadata: { name: string };
    status?: { phase?: string; containerStatuses?: { state?: { terminated?: { message?: string } } }[] };
  }[];
}

interface EventListJson {
  items?: { involvedObject?: { name?: string }; message?: string }[];
}

/** One probe pod of a batch and what became of it. */
interface Probe {
  spec: ProbeSpec;
  podName: string;
  phase: string;
  mountError?: string;
  /** The container's termination message, once it ended. */
  message?: string;
}

/** Each spec's result, or why it has none, in the order given. */
export async function runProbePods(
  tools: BoundTools,
  specs: readonly ProbeSpec[],
  timing: ProbeTiming,
  podOptions: ProbePodOptions = {},
): Promise<PromiseSettledResult<ProbeResult>[]> {
  const byNamespace = new Map<string, number[]>();
  specs.forEach((spec, i) => byNamespace.set(spec.namespace, [...(byNamespace.get(spec.namespace) ?? []), i]));
  const settled: PromiseSettledResult<ProbeResult>[] = new Array(specs.length);
  await Promise.all(
    [...byNamespace].map(async ([ns, indexes]) => {
      const results = await runBatch(
        tools,
        ns,
        indexes.map((i) => specs[i]!),
        timing,
        podOptions,
      );
      indexes.forEach((specIndex, j) => (settled[specIndex] = results[j]!));
    }),
  );
  return settled;
}

async function runBatch(
  tools: BoundTools,
  ns: string,
  specs: readonly ProbeSpec[],
  timing: ProbeTiming,
  podOptions: ProbePodOptions,
): Promise<PromiseSettledResult<ProbeResult>[]> {
  const run = randomBytes(4).toString('hex');
  const probes: Probe[] = specs.map((spec) => {
    const podName = `feathr-kv-probe-${randomBytes(3).toString('hex')}`;
    return {
      spec: { ...spec, labels: { ...(spec.labels ?? {}), [PROBE_RUN_LABEL]: run, [PROBE_POD_LABEL]: podName } },
      podName,
      phase: 'Pending',
    };
  });
  let settled: PromiseSettledResult<ProbeResult>[];
  let cleanedUp: boolean;
  try {
    const pods = probes.map((p) => buildProbePod(p.spec, p.podName, podOptions));
    await tools.kubectl(['apply', '-f', '-'], {
      input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: pods }),
      // Probe pods change nothing the adapter's readings hold (no namespace, release, Secret it
      // keeps; none of the labels the CSI reading selects pods by).
      touches: [],
    });
    await waitForPods(tools, ns, run, probes, timing);
    const logs = await logsOf(
      tools,
      ns,
      probes.filter((p) => p.phase !== 'Pending' && !parseWhole(p.message)),
    );
    settled = await Promise.all(
      probes.map((probe) =>
        resultOf(tools, ns, probe, timing, logs.get(probe.podName)).then(
          (value): PromiseSettledResult<ProbeResult> => ({ status: 'fulfilled', value }),
          (reason: unknown): PromiseSettledResult<ProbeResult> => ({ status: 'rejected', reason }),
        ),
      ),
    );
  } catch (reason) {
    settled = probes.map(() => ({ status: 'rejected', reason }));
  } finally {
    cleanedUp = await deletePods(tools, ns, run);
  }
  for (const outcome of settled) if (outcome.status === 'fulfilled') outcome.value.cleanedUp = cleanedUp;
  return settled;
}

/** Until every pod has finished or is stuck on a failed mount, or the time is up. */
async function waitForPods(tools: BoundTools, ns: string, run: string, probes: Probe[], timing: ProbeTiming) {
  const deadline = Date.now() + timing.timeoutMs;
  for (;;) {
    const list = await tools.kubectl([
      'get',
      'pods',
      '--namespace',
      ns,
      '--selector',
      `${PROBE_RUN_LABEL}=${run}`,
      '--output',
      'json',
    ]);
    const pods = new Map(
      ((JSON.parse(list.stdout || '{}') as PodListJson).items ?? []).map((p) => [p.metadata.name, p]),
    );
    for (const probe of probes) {
      const pod = pods.get(probe.podName);
      probe.phase = pod?.status?.phase ?? probe.phase;
      const message = pod?.status?.containerStatuses?.[0]?.state?.terminated?.message;
      if (message) probe.message = message;
    }
    // A pod whose CSI mount fails stays Pending (ContainerCreating): stop waiting for it on FailedMount.
    const pending = probes.filter((p) => p.phase === 'Pending' && p.mountError === undefined);
    if (pending.length > 0) {
      const mountErrors = await failedMounts(tools, ns);
      for (const probe of pending) probe.mountError = mountErrors.get(probe.podName);
    }
    const waiting = probes.some((p) => (p.phase === 'Pending' && p.mountError === undefined) || p.phase === 'Running');
    if (!waiting || Date.now() >= deadline) return;
    await new Promise((resolve) => setTimeout(resolve, timing.pollIntervalMs));
  }
}

/** The last FailedMount message of each pod in the namespace that has one. */
async function failedMounts(tools: BoundTools, ns: string): Promise<Map<string, string>> {
  const run = await tools.kubectl([
    'get',
    'events',
    '--namespace',
    ns,
    '--field-selector',
    'reason=FailedMount',
    '--output',
    'json',
  ]);
  const messages = new Map<string, string>();
  for (const event of (JSON.parse(run.stdout || '{}') as EventListJson).items ?? []) {
    const pod = event.involvedObject?.name;
    if (pod && event.message) messages.set(pod, event.message);
  }
  return messages;
}

/**
 * The logs of several ended pods from one kubectl (`--prefix` names each line's pod), by pod
 * name. Empty when at most one pod needs its log, or when that call fails: each pod's log is
 * then read on its own, so a failure names its pod.
 */
async function logsOf(tools: BoundTools, ns: string, ended: readonly Probe[]): Promise<Map<string, string>> {
  const logs = new Map<string, string>();
  if (ended.length < 2) return logs;
  const run = await tools.kubectl(
    [
      'logs',
      '--namespace',
      ns,
      '--selector',
      `${PROBE_POD_LABEL} in (${ended.map((p) => p.podName).join(',')})`,
      '--prefix',
      // With a selector, kubectl shows only the last 10 lines of each log unless told otherwise.
      '--tail=-1',
    ],
    { allowFailure: true },
  );
  if (run.exitCode !== 0) return logs;
  for (const line of run.stdout.split('\n')) {
    // `[pod/<name>/<container>] <line>`
    const match = /^\[pod\/([^/\]]+)\/[^\]]*\] ?(.*)$/.exec(line);
    if (match) logs.set(match[1]!, `${logs.get(match[1]!) ?? ''}${match[2]}\n`);
  }
  return logs;
}

async function resultOf(
  tools: BoundTools,
  ns: string,
  probe: Probe,
  timing: ProbeTiming,
  log: string | undefined,
): Promise<ProbeResult> {
  const { podName, spec } = probe;
  if (probe.phase === 'Pending') {
    const error = probe.mountError ?? `pod ${podName} stayed Pending for ${timing.timeoutMs / 1000}s`;
    const result: ProbeResult = {
      podName,
      cleanedUp: false,
      dns: {
        host: `${spec.vaultName}.vault.azure.net`,
        addresses: [],
        error: 'not measured: the probe pod never started',
      },
      tcp443: false,
      tls: false,
      mount: { ok: false, error, objects: [] },
    };
    // The provider's failure carries Key Vault's answer: a 403 names the address it saw.
    const seen = probe.mountError
      ? /Client address: ([0-9a-fA-F.:]*[0-9a-fA-F])/.exec(probe.mountError)?.[1]
      : undefined;
    if (seen) result.clientAddress = seen;
    return result;
  }
  const parsed =
    parseWhole(probe.message) ??
    parseProbeOutput(log ?? (await tools.kubectl(['logs', podName, '--namespace', ns])).stdout);
  if (!parsed)
    throw new UserError(
      `The probe pod ${podName} ended (${probe.phase}) without a result line.`,
      `Check that the image has /bin/sh, or set another probe image; its log: kubectl logs ${podName} -n ${ns}`,
    );
  return { ...parsed, podName, cleanedUp: false };
}

async function deletePods(tools: BoundTools, ns: string, run: string): Promise<boolean> {
  try {
    await tools.kubectl(
      [
        'delete',
        'pods',
        '--namespace',
        ns,
        '--selector',
        `${PROBE_RUN_LABEL}=${run}`,
        '--ignore-not-found',
        '--wait=false',
      ],
      { touches: [] },
    );
    return true;
  } catch {
    // Reported through cleanedUp=false; activeDeadlineSeconds still ends the pods.
    return false;
  }
}

/** The result in a termination message, or null when it has none or only a cut-off part of one. */
function parseWhole(message: string | undefined): ReturnType<typeof parseProbeOutput> {
  if (!message) return null;
  try {
    return parseProbeOutput(message);
  } catch {
    return null;
  }
}
