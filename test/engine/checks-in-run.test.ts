/**
 * The checks inside every setup run, through runSetup over the
 * full step table in the sandbox: the preflight checks run first in every mode and only read;
 * a full azure run ends with the in-cluster checks passing (probe, mount, synced Secret, and
 * the in-pod digest of every migrated secret); a re-run stays write-free; a world broken behind
 * the tool's back between the install and the checks fails the run, naming the cause.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadPreset } from '../../source/config/load-preset.js';
import type { EngineEvent } from '../../source/kernel/events.js';
import { ChecksFailedError } from '../../source/use-cases/setup/setup-checks.js';
import type { SetupConfig } from '../../source/config/setup-config.js';
import { legacyFeathrSecretData } from '../../source/sandbox/cluster/default-clusters.js';
import { addSecretVersion } from '../../source/sandbox/keyvault/secret-store.js';
import { startKubeHarness, type KubeHarness } from '../steps/kube-harness.js';

type CheckEvent = Extract<EngineEvent, { type: 'check.result' }>;
const checkEvents = (events: EngineEvent[]) => events.filter((e): e is CheckEvent => e.type === 'check.result');
const statusOf = (events: EngineEvent[]) => Object.fromEntries(checkEvents(events).map((e) => [e.id, e.status]));
const index = (events: EngineEvent[], match: (e: EngineEvent) => boolean) => events.findIndex(match);
/** Writes on any plane but the sandbox's own control routes. */
const writesSince = (h: KubeHarness, mark: number) =>
  h.sandbox.state.requestLog
    .slice(mark)
    .filter((r) => r.write && r.plane !== 'sandbox')
    .map((r) => `${r.plane} ${r.method} ${r.path}`);
const SECRET_VALUES = Object.values(legacyFeathrSecretData());

describe('a full azure preset run', () => {
  let h: KubeHarness;
  let config: SetupConfig;
  beforeAll(async () => {
    h = await startKubeHarness();
    config = await loadPreset('presets/aks-private-endpoint.yaml');
  });
  afterAll(async () => h?.close());

  it('plan runs the preflight checks first, makes no write anywhere, and skips nothing that the install would create', async () => {
    const mark = h.sandbox.state.requestLog.length;
    const { outcome, events } = await h.run(config, 'plan');
    expect(outcome.exitCode).toBe(2);
    expect(writesSince(h, mark)).toEqual([]);
    expect(outcome.checks.local.map((r) => `${r.id} ${r.status}`)).toEqual(
      expect.arrayContaining([
        'azure.sign-in pass',
        'inputs.vault-name pass',
        'cluster.namespace-rights pass',
        'permissions.plan pass',
      ]),
    );
    expect(outcome.checks.local.filter((r) => r.status === 'fail')).toEqual([]);
    expect(outcome.checks.cluster).toBeUndefined();
    // Every preflight result comes before the first planned step.
    const lastCheck = events.map((e) => e.type).lastIndexOf('check.result');
    expect(lastCheck).toBeLessThan(index(events, (e) => e.type === 'step.planned'));
  });

  it('plan passes the preflight for what the run itself creates (a new resource group and vault), still without a write', async () => {
    const fresh: SetupConfig = {
      ...config,
      azure: { ...config.azure, resourceGroup: 'feathr-new-rg' },
      network: {
        ...config.network,
        privateEndpoint: { ...config.network!.privateEndpoint!, resourceGroup: 'feathr-rg' },
      },
    };
    const mark = h.sandbox.state.requestLog.length;
    const { outcome } = await h.run(fresh, 'plan');
    expect(outcome.exitCode).toBe(2);
    expect(outcome.checks.local.filter((r) => r.status === 'fail')).toEqual([]);
    expect(outcome.checks.local.find((r) => r.id === 'inputs.vault-name')?.message).toBe('feathr-kv-demo is available');
    expect(outcome.plan.steps.find((s) => s.stepId === 'resource-group')?.action).toBe('create');
    expect(writesSince(h, mark)).toEqual([]);
  });

  it('apply ends with the in-cluster checks passing, reported as events and in the outcome', async () => {
    const { outcome, events } = await h.run(config, 'apply');
    expect(events.filter((e) => e.type === 'step.failed')).toEqual([]);
    expect(outcome.exitCode).toBe(0);
    const cluster = Object.fromEntries((outcome.checks.cluster ?? []).map((r) => [r.id, r.status]));
    for (const id of [
      'cluster.release',
      'cluster.csi-driver',
      'identity.client-id',
      'identity.role',
      'network.dns-zone',
      'network.peering',
      'connectivity.probe',
      'connectivity.pod-network',
      'connectivity.host-network',
      'mount.objects',
      'mount.synced-secret',
      'mount.secret-digests',
    ]) {
      expect(cluster[id], id).toBe('pass');
    }
    expect(Object.values(cluster)).not.toContain('fail');
    expect(outcome.checks.cluster!.find((r) => r.id === 'mount.secret-digests')?.message).toBe(
      '8 secret(s) match their sources (sha256 computed in the pod)',
    );
    // The in-cluster checks run after the release, as one progress row.
    const releaseDone = index(events, (e) => e.type === 'step.done' && e.stepId === 'feathr-release');
    const probe = index(events, (e) => e.type === 'check.result' && e.id === 'connectivity.probe');
    const phaseDone = index(events, (e) => e.type === 'step.done' && e.stepId === 'verify-in-cluster');
    expect(releaseDone).toBeGreaterThan(0);
    expect(probe).toBeGreaterThan(releaseDone);
    expect(phaseDone).toBeGreaterThan(probe);
    expect(events[phaseDone]).toMatchObject({
      summary: expect.stringMatching(/^In-cluster checks passed: \d+ passed, 0 warnings, \d+ skipped$/),
    });
    // Neither a value nor a digest of one leaves the run.
    const dump = JSON.stringify({ events, outcome });
    for (const value of SECRET_VALUES) expect(dump).not.toContain(value);
    expect(dump).not.toMatch(/[0-9a-f]{64}/);
  });

  it('a re-run makes no write anywhere: the probe checks skip, saying why', async () => {
    const mark = h.sandbox.state.requestLog.length;
    const { outcome, events } = await h.run(config, 'apply');
    expect(outcome.exitCode).toBe(0);
    expect(outcome.plan.isEmpty).toBe(true);
    expect(writesSince(h, mark)).toEqual([]);
    const status = statusOf(events);
    expect(status).toMatchObject({
      'cluster.release': 'pass',
      'identity.role': 'pass',
      'network.dns-zone': 'pass',
      'connectivity.probe': 'skip',
      'mount.secret-digests': 'skip',
    });
    expect(checkEvents(events).find((e) => e.id === 'connectivity.probe')?.message).toBe(
      'skipped: nothing changed in this run, so no probe pod was started (feathr-kv-setup check runs it)',
    );
  });
});

describe("a world broken behind the tool's back, between the install and the checks", () => {
  let h: KubeHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  /** An apply from scratch that runs `breakWorld` as soon as the release step is done. */
  async function applyBreaking(breakWorld: (h: KubeHarness) => void) {
    h = await startKubeHarness();
    const harness = h;
    const config = await loadPreset('presets/aks-private-endpoint.yaml');
    const events: EngineEvent[] = [];
    const emit = (e: EngineEvent) => {
      events.push(e);
      if (e.type === 'step.done' && e.stepId === 'feathr-release') breakWorld(harness);
    };
    const error = await harness.run(config, 'apply', { emit }).then(
      () => undefined,
      (e: unknown) => e,
    );
    return { error, events };
  }

  it('names a secret whose vault value changed, by name only, and fails the run', async () => {
    const changed = 'changed-behind-our-back';
    const { error, events } = await applyBreaking((w) =>
      addSecretVersion(w.sandbox.state, 'feathr-kv-demo', 'CONN-STR', changed, {
        nowSeconds: Math.floor(Date.now() / 1000),
      }),
    );
    expect(error).toBeInstanceOf(ChecksFailedError);
    expect(statusOf(events)).toMatchObject({ 'mount.objects': 'pass', 'mount.secret-digests': 'fail' });
    const failure = checkEvents(events).find((e) => e.id === 'mount.secret-digests')!;
    expect(failure.message).toBe(
      "Secret CONN-STR (CONN_STR) in the pod doesn't match the source: vault feathr-kv-demo holds another value than the one this run migrated.",
    );
    expect((error as ChecksFailedError).message).toContain('CONN-STR (CONN_STR)');
    expect((error as ChecksFailedError).message).toBe(
      `The install doesn't work in the cluster (1 in-cluster check fails): ${failure.message}`,
    );
    expect(events.at(-1)).toMatchObject({ type: 'step.failed', stepId: 'verify-in-cluster' });
    const dump = JSON.stringify(events) + String((error as Error).message);
    for (const value of [...SECRET_VALUES, changed]) expect(dump).not.toContain(value);
    expect(dump).not.toMatch(/[0-9a-f]{64}/);
  });

  it('names the private DNS zone that is no longer linked to the AKS VNet, with the fix', async () => {
    const { error, events } = await applyBreaking((w) => {
      for (const id of [...w.sandbox.state.resources.keys()]) {
        if (
          id.includes('/virtualnetworklinks/') &&
          (w.sandbox.state.resources.get(id) as any)?.properties?.virtualNetwork?.id
            ?.toLowerCase()
            .endsWith('/aks-vnet')
        )
          w.sandbox.state.resources.delete(id);
      }
    });
    expect(error).toBeInstanceOf(ChecksFailedError);
    const failed = checkEvents(events).filter((e) => e.status === 'fail');
    expect(failed.map((e) => e.id)).toEqual([
      'network.dns-zone',
      'connectivity.pod-network',
      'connectivity.host-network',
      'mount.objects',
    ]);
    const dns = failed.find((e) => e.id === 'connectivity.pod-network')!;
    expect(dns.message).toMatch(
      /^Can't reach vault feathr-kv-demo from the cluster: it resolves to [\d.]+, a public address\.$/,
    );
    expect(dns.hint).toMatch(/aks-vnet/);
    const { message, hint, details } = error as ChecksFailedError;
    expect(message).toBe(
      "The install doesn't work in the cluster (4 in-cluster checks fail): Zone privatelink.vaultcore.azure.net isn't linked to VNet aks-vnet, so pods resolve vault feathr-kv-demo to its public address, which public access disabled refuses.",
    );
    expect(hint).toMatch(
      /^Link privatelink\.vaultcore\.azure\.net to VNet aks-vnet: az network private-dns link vnet create .*--name aks-vnet-link/,
    );
    // The other failures follow as details; the same fix isn't repeated.
    expect(details).toHaveLength(3);
    expect(details.join('\n')).not.toContain('Fix: ');
  });
});

describe('a fatal preflight check', () => {
  let h: KubeHarness;
  beforeAll(async () => {
    h = await startKubeHarness();
  });
  afterAll(async () => h?.close());

  it.each(['plan', 'dry-run', 'apply'] as const)('stops %s before planning and before any write', async (mode) => {
    const preset = await loadPreset('presets/aks-private-endpoint.yaml');
    // The default world's soft-deleted vault: its name can't be reused without vault.recover.
    const config: SetupConfig = { ...preset, vault: { ...preset.vault, name: 'feathr-kv-old' } };
    const mark = h.sandbox.state.requestLog.length;
    const events: EngineEvent[] = [];
    const error = await h.run(config, mode, { emit: (e) => events.push(e) }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ChecksFailedError);
    expect((error as ChecksFailedError).message).toMatch(
      /^1 preflight check fails, so nothing was changed: Vault feathr-kv-old is soft-deleted/,
    );
    expect((error as ChecksFailedError).hint).toContain('vault.recover: true');
    expect(events.some((e) => e.type === 'step.planned' || e.type === 'plan.ready')).toBe(false);
    expect(statusOf(events)['inputs.vault-name']).toBe('fail');
    expect(writesSince(h, mark)).toEqual([]);
  });
});
