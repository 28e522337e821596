/**
 * The default world's clusters go through the same `clusters:` format and builder as a world
 * file's, and still come out as docs/sandbox-world.md describes them.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { driverRegistered } from '../../../source/sandbox/cluster/csi-driver.js';
import { secretValues, T } from '../../../source/sandbox/cluster/objects.js';
import { storedReleases } from '../../../source/sandbox/cluster/helm-storage.js';
import { oidcIssuer } from '../../../source/sandbox/cluster/aks.js';
import { legacyFeathrSecretData } from '../../../source/sandbox/cluster/default-clusters.js';
import { buildWorld } from '../../../source/sandbox/world/build.js';
import { buildDefaultWorld, DEFAULT_WORLD } from '../../../source/sandbox/world/default-world.js';
import { loadWorldFile, parseWorld } from '../../../source/sandbox/world/world-file.js';

const BASE_URL = 'https://127.0.0.1:1';

describe('the default clusters', () => {
  it('are the two clusters of the default world', () => {
    const state = buildDefaultWorld({ baseUrl: BASE_URL });
    expect([...state.clusters.keys()]).toEqual(['feathr-aks', 'feathr-eks']);
    const aks = state.clusters.get('feathr-aks')!;
    const aksVnet = `/subscriptions/${DEFAULT_WORLD.subscriptionId}/resourceGroups/feathr-rg/providers/Microsoft.Network/virtualNetworks/aks-vnet`;
    expect(aks.nodes.map((node) => node.position)).toEqual([
      { kind: 'vnet', vnetId: aksVnet, privateIp: '10.10.0.4', egressIp: '20.81.5.10' },
      { kind: 'vnet', vnetId: aksVnet, privateIp: '10.10.0.5', egressIp: '20.81.5.10' },
    ]);
    expect(oidcIssuer(state, aks)).toMatch(/^https:\/\/eastus\.oic\.prod-aks\.azure\.com\//);
    const eks = state.clusters.get('feathr-eks')!;
    expect(eks.nodes.map((node) => node.position)).toEqual([
      { kind: 'external', egressIp: '52.14.20.1' },
      { kind: 'external', egressIp: '52.14.20.2' },
    ]);
    expect(oidcIssuer(state, eks)).toBe('https://oidc.sandbox.test/feathr-eks');
    for (const cluster of [aks, eks]) {
      expect(driverRegistered(cluster)).toBe(false);
      expect(secretValues(cluster, 'legacy', 'feathr-online-secret')).toEqual(legacyFeathrSecretData());
    }
  });

  it('round-trip through a world file unchanged, so the file format can say all of it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'world-default-'));
    try {
      const file = join(dir, 'default.yaml');
      await writeFile(file, stringify(DEFAULT_WORLD));
      expect(await loadWorldFile(file)).toEqual(DEFAULT_WORLD);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("are rebuilt fresh for each world, so one run can't change the next one's", () => {
    const first = buildDefaultWorld({ baseUrl: BASE_URL });
    const eks = first.clusters.get('feathr-eks')!;
    eks.store.remove(T.secret, 'legacy', 'feathr-online-secret');
    const second = buildDefaultWorld({ baseUrl: BASE_URL });
    expect(secretValues(second.clusters.get('feathr-eks')!, 'legacy', 'feathr-online-secret')?.CONN_STR).toBe(
      legacyFeathrSecretData().CONN_STR,
    );
  });
});

describe('a driver a world file preinstalls with Helm', () => {
  it("is a real release in Helm's storage, with the chart's objects, sync as the file says", () => {
    const world = parseWorld(
      {
        ...DEFAULT_WORLD,
        clusters: [
          {
            context: 'gke',
            kind: 'external',
            nodes: [{ name: 'n1', egressIp: '34.76.1.1' }],
            csiDriver: { helm: { release: 'csi', syncSecret: true } },
          },
        ],
      },
      'inline',
    );
    const state = buildWorld(world, { baseUrl: BASE_URL });
    const cluster = state.clusters.get('gke')!;
    expect(storedReleases(cluster)).toMatchObject([
      {
        name: 'csi',
        namespace: 'kube-system',
        status: 'deployed',
        revision: 1,
        chart: 'csi-secrets-store-provider-azure-1.8.2',
      },
    ]);
    expect(driverRegistered(cluster)).toBe(true);
    const names = (plural: string, group: string) => cluster.store.list({ plural, group }).map((o) => o.metadata.name);
    expect(names('daemonsets', 'apps')).toEqual([
      'csi-csi-secrets-store-provider-azure',
      'csi-secrets-store-csi-driver',
    ]);
    expect(names('clusterroles', 'rbac.authorization.k8s.io')).toContain('secretprovidersyncing-role');
  });
});
