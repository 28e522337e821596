/**
 * Runs the probe pod: apply, wait until it finishes (or is stuck on a failed mount), read
 * its log, and always delete it (try/finally), even when any of that fails.
 */
import { randomBytes } from 'node:crypto';
import type { ProbeResult, ProbeSpec } from './port.js';
import type { BoundTools } from './tool-context.js';
import { UserError } from '../kernel/errors.js';
import { buildProbePod, parseProbeOutput, type ProbePodOptions } from './probe-pod.js';

export interface ProbeTiming {
  timeoutMs: number;
  pollIntervalMs: number;
}

interface PodStatusJson {
  status?: { phase?: string };
}

interface EventListJson {
  items?: { reason?: string; message?: string }[];
}

export async function runProbePod(
  tools: BoundTools,
  spec: ProbeSpec,
  timing: ProbeTiming,
  podOptions: ProbePodOptions = {},
): Promise<ProbeResult> {
  const podName = `feathr-kv-probe-${randomBytes(3).toString('hex')}`;
  const ns = spec.namespace;
  let failure: unknown;
  let result: ProbeResult | undefined;
  try {
    await tools.kubectl(['apply', '-f', '-'], { input: JSON.stringify(buildProbePod(spec, podName, podOptions)) });
    const phase = await waitForPod(tools, podName, ns, timing);
    const mountError = phase === 'Pending' ? await failedMountMessage(tools, podName, ns) : undefined;
    if (phase === 'Pending') {
      result = {
        podName,
        cleanedUp: false,
        dns: {
          host: `${spec.vaultName}.vault.azure.net`,
          addresses: [],
          error: 'not measured: the probe pod never started',
        },
        tcp443: false,
        tls: false,
        mount: {
          ok: false,
          error: mountError ?? `pod ${podName} stayed Pending for ${timing.timeoutMs / 1000}s`,
          objects: [],
        },
      };
      // The provider's failure carries Key Vault's answer: a 403 names the address it saw.
      const seen = mountError ? /Client address: ([0-9a-fA-F.:]*[0-9a-fA-F])/.exec(mountError)?.[1] : undefined;
      if (seen) result.clientAddress = seen;
    } else {
      const logs = await tools.kubectl(['logs', podName, '--namespace', ns]);
      const parsed = parseProbeOutput(logs.stdout);
      if (!parsed)
        throw new UserError(
          `The probe pod ${podName} ended (${phase}) without a result line.`,
          `Check that the image has /bin/sh, or set another probe image; its log: kubectl logs ${podName} -n ${ns}`,
        );
      result = { ...parsed, podName, cleanedUp: false };
    }
  } catch (error) {
    failure = error;
  } finally {
    const cleanedUp = await deletePod(tools, podName, ns);
    if (result) result.cleanedUp = cleanedUp;
  }
  if (failure !== undefined) throw failure;
  return result!;
}

async function waitForPod(tools: BoundTools, podName: string, ns: string, timing: ProbeTiming): Promise<string> {
  const deadline = Date.now() + timing.timeoutMs;
  let phase: string;
  for (;;) {
    const run = await tools.kubectl(['get', 'pod', podName, '--namespace', ns, '--output', 'json']);
    phase = (JSON.parse(run.stdout) as PodStatusJson).status?.phase ?? 'Pending';
    if (phase === 'Succeeded' || phase === 'Failed') return phase;
    // A pod whose CSI mount fails stays Pending (ContainerCreating): stop early on FailedMount.
    if (phase === 'Pending' && (await failedMountMessage(tools, podName, ns)) !== undefined) return phase;
    if (Date.now() >= deadline) return phase;
    await new Promise((resolve) => setTimeout(resolve, timing.pollIntervalMs));
  }
}

async function failedMountMessage(tools: BoundTools, podName: string, ns: string): Promise<string | undefined> {
  const run = await tools.kubectl([
    'get',
    'events',
    '--namespace',
    ns,
    '--field-selector',
    `involvedObject.name=${podName},reason=FailedMount`,
    '--output',
    'json',
  ]);
  const items = (JSON.parse(run.stdout || '{}') as EventListJson).items ?? [];
  return items.at(-1)?.message;
}

async function deletePod(tools: BoundTools, podName: string, ns: string): Promise<boolean> {
  try {
    await tools.kubectl(['delete', 'pod', podName, '--namespace', ns, '--ignore-not-found', '--wait=false']);
    return true;
  } catch {
    // Reported through cleanedUp=false; activeDeadlineSeconds still ends the pod.
    return false;
  }
}
