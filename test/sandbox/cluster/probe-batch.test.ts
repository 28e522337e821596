/**
 * Probe pods run as a batch: one per node at once, results in the order asked, a pod stuck on
 * a failed mount reported beside the ones that ran, and every pod of the batch removed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../../source/sandbox/start.js';
import { startWorld } from '../keyvault/world.js';
import { port } from './fixtures.js';

describe('a batch of probe pods', () => {
  let sandbox: RunningSandbox | undefined;
  afterEach(async () => {
    await sandbox?.close();
    sandbox = undefined;
  });

  it('probes every node at once, reports a failed mount beside them, and removes every pod', async () => {
    sandbox = await startWorld({ vaults: [{ name: 'feathr-kv-batch', resourceGroup: 'feathr-rg' }] });
    const kube = port(sandbox, 'feathr-eks');
    const nodes = (await kube.csiDriverState()).nodes.map((n) => n.name);
    expect(nodes.length).toBeGreaterThan(1);
    const network = { namespace: 'legacy', hostNetwork: true, vaultName: 'feathr-kv-batch' };
    const outcomes = await kube.runProbes([
      ...nodes.map((nodeName) => ({ ...network, nodeName })),
      // No such SecretProviderClass: the pod never starts, and the kubelet says why.
      { ...network, secretProviderClass: 'absent', expectedObjects: ['CONN_STR'] },
    ]);
    expect(outcomes.map((o) => o.status)).toEqual([...nodes.map(() => 'fulfilled'), 'fulfilled']);
    const results = outcomes.map((o) => (o.status === 'fulfilled' ? o.value : undefined)!);
    // Each node reached the vault, which answers an unauthenticated GET with its 401 challenge.
    expect(results.slice(0, nodes.length).map((r) => [r.tcp443, r.tls, r.vaultStatus])).toEqual(
      nodes.map(() => [true, true, 401]),
    );
    const stuck = results.at(-1)!;
    expect(stuck.mount?.ok).toBe(false);
    expect(stuck.mount?.error).toContain('MountVolume.SetUp failed for volume "secrets-store"');
    expect(results.every((r) => r.cleanedUp)).toBe(true);
    expect(new Set(results.map((r) => r.podName)).size).toBe(results.length);
    expect(await kube.listLabelled('pod', 'app.kubernetes.io/name=feathr-kv-setup-probe', 'legacy')).toEqual([]);
  });
});
