/**
 * Uninstall test helpers: run the removal use case against the kube harness's sandbox, and
 * snapshot what "as before the install" is compared on: the ARM resources (minus the vault and
 * its secrets, which uninstall keeps) and the simulated cluster's description.
 */
import {
  runUninstall,
  type RunUninstallOptions,
  type UninstallOutcome,
} from '../../source/use-cases/uninstall/run-uninstall.js';
import type { EngineEvent } from '../../source/kernel/events.js';
import type { SetupConfig } from '../../source/config/setup-config.js';
import { describeClusters } from '../../source/sandbox/cluster/describe.js';
import type { KubeHarness } from '../steps/kube-harness.js';

export async function uninstall(
  h: KubeHarness,
  config: SetupConfig,
  extra: Partial<RunUninstallOptions> = {},
): Promise<{ outcome: UninstallOutcome; events: EngineEvent[] }> {
  const events: EngineEvent[] = [];
  const outcome = await runUninstall({
    config,
    mode: 'apply',
    yes: true,
    hasTTY: false,
    signal: new AbortController().signal,
    emit: (e) => events.push(e),
    connection: h.connection,
    kube: h.kube(config.cluster?.kubeContext ?? ''),
    deleteVault: false,
    purge: false,
    pollIntervalMs: 2,
    waitTimeoutMs: 10_000,
    ...extra,
  });
  return { outcome, events };
}

/** Every write the sandbox saw (ARM, data plane, cluster). */
export function writes(h: KubeHarness): string[] {
  return h.sandbox.state.requestLog.filter((r) => r.write).map((r) => `${r.method} ${r.path}`);
}

/** Fields that change on any write without meaning a different resource (etags, ARM's own timestamps). */
const VOLATILE = new Set(['etag', 'eTag', 'systemData', 'provisioningState', 'resourceGuid']);

function normalise(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalise);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => !VOLATILE.has(k))
        .map(([k, v]) => [k, normalise(v)]),
    );
  return value;
}

/**
 * ARM state minus the vault subtree. One documented equivalence: an AKS add-on profile with
 * enabled false equals no profile (AKS keeps the disabled profile, as `az aks disable-addons` does).
 */
export function armSnapshot(h: KubeHarness, vaultName: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [id, resource] of h.sandbox.state.resources) {
    if (id.includes(`/providers/microsoft.keyvault/vaults/${vaultName.toLowerCase()}`)) continue;
    const copy = normalise(structuredClone(resource)) as Record<string, any>;
    const addons = copy.properties?.addonProfiles;
    if (addons?.azureKeyvaultSecretsProvider?.enabled === false) delete addons.azureKeyvaultSecretsProvider;
    out[id] = copy;
  }
  return out;
}

/** The cluster as `/_sandbox/cluster` shows it, minus its event log (events are history, not state). */
export function clusterSnapshot(h: KubeHarness, context: string): unknown {
  const cluster = describeClusters(h.sandbox.state).clusters.find((c) => c.context === context) as Record<
    string,
    unknown
  >;
  const { events: _events, ...rest } = cluster;
  return JSON.parse(JSON.stringify(rest));
}

/** The vault's secrets as stored (values included), to prove uninstall left them untouched. */
export function vaultSecrets(h: KubeHarness, vaultName: string): unknown {
  const secrets = h.sandbox.state.vaultSecrets.get(vaultName.toLowerCase());
  return secrets ? JSON.parse(JSON.stringify([...secrets.entries()])) : null;
}

export function lines(outcome: UninstallOutcome): string[] {
  return outcome.plan.steps.flatMap((s) => s.changes.map((c) => `${s.stepId} ${c.mark} ${c.resource}`));
}
