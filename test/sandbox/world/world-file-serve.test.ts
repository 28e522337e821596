/**
 * `sandbox serve --world FILE` as a separate process: the file's clusters are the ones the
 * sandbox simulates (seen through GET /_sandbox/cluster, names and keys only) and its ARM
 * resources answer the SDKs; a file with mistakes stops the process with exit 1 and every path.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContainerServiceClient } from '@azure/arm-containerservice';
import { KeyVaultManagementClient } from '@azure/arm-keyvault';
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { connectSandboxWithCaFile } from '../../../source/connect/sandbox-client.js';

const WORLD = join('test', 'fixtures', 'worlds', 'lab-clusters.yaml');
const serve = (world: string) =>
  execa('node', ['--import', 'tsx', 'source/sandbox/serve-main.ts', '--port', '0', '--world', world], {
    reject: false,
    buffer: false,
  });

interface Ready {
  url: string;
  caFile: string;
  subscriptionId: string;
}

function readyLine(child: ResultPromise): Promise<Ready> {
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) resolve(JSON.parse(text.trim()) as Ready);
    });
    child.on('exit', () => reject(new Error('serve exited before the ready line')));
  });
}

function getText(url: string, ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
}

/** Every string value under `data:` in the file: none may leave the sandbox through /_sandbox/cluster. */
function fileSecretValues(world: any): string[] {
  return world.clusters.flatMap((cluster: any) =>
    (cluster.namespaces ?? []).flatMap((ns: any) =>
      (ns.secrets ?? []).flatMap((secret: any) => Object.values(secret.data)),
    ),
  );
}

describe('sandbox serve --world with clusters', () => {
  let child: ResultPromise;
  let ready: Ready;
  let ca: string;

  beforeAll(async () => {
    child = serve(WORLD);
    ready = await readyLine(child);
    ca = await readFile(ready.caFile, 'utf8');
  });
  afterAll(async () => {
    child.kill('SIGTERM');
    await child;
  });

  it('simulates the clusters the file describes, showing Secret names and keys but no value', async () => {
    const text = await getText(`${ready.url}/_sandbox/cluster`, ca);
    const world = parse(await readFile(WORLD, 'utf8'));
    const values = fileSecretValues(world);
    expect(values).toEqual(['lab-world-file-value-1', 'lab-world-file-value-2']);
    for (const value of values) expect(text).not.toContain(value);
    const clusters = JSON.parse(text).clusters as any[];
    expect(clusters.map((cluster) => cluster.context)).toEqual(['lab-aks-admin', 'lab-gke', 'lab-onprem']);
    const [aks, gke, onprem] = clusters;

    // AKS nodes sit in the managed cluster's subnet (10.40.8.0/22 → first usable .4) and leave
    // through its load balancer unless the node says otherwise.
    expect(aks.managedClusterId).toMatch(
      /\/resourceGroups\/lab-rg\/providers\/Microsoft\.ContainerService\/managedClusters\/lab-aks$/,
    );
    expect(aks.nodes).toEqual([
      {
        name: 'aks-system-0',
        os: 'linux',
        position: {
          kind: 'vnet',
          vnetId: expect.stringMatching(/\/virtualNetworks\/lab-vnet$/),
          privateIp: '10.40.8.4',
          egressIp: '20.90.1.1',
        },
      },
      {
        name: 'aks-win-0',
        os: 'windows',
        position: {
          kind: 'vnet',
          vnetId: expect.stringMatching(/\/virtualNetworks\/lab-vnet$/),
          privateIp: '10.40.8.5',
          egressIp: '20.90.1.2',
        },
      },
    ]);
    expect(aks.oidcIssuer).toMatch(/^https:\/\/westeurope\.oic\.prod-aks\.azure\.com\//);
    expect(aks.csiDriver).toMatchObject({ installedBy: 'aks-addon', syncSecretEnabled: true });
    const feathr = aks.namespaces.find((ns: any) => ns.name === 'feathr');
    expect(feathr.labels).toMatchObject({ team: 'lab' });
    expect(feathr.serviceAccounts).toEqual([
      {
        name: 'feathr-online',
        annotations: { 'azure.workload.identity/client-id': '00000000-0000-0000-0000-0000000000dd' },
      },
    ]);

    expect(gke).toMatchObject({
      kind: 'external',
      serverVersion: 'v1.31.4',
      oidcIssuer: 'https://container.googleapis.com/v1/projects/lab/locations/europe-west1/clusters/lab-gke',
    });
    expect(gke.nodes.map((node: any) => node.position.egressIp)).toEqual(['34.76.1.1', '34.76.1.2']);
    expect(gke.csiDriver).toMatchObject({
      installedBy: 'helm',
      helmRelease: { name: 'csi', namespace: 'kube-system' },
      syncSecretEnabled: false,
      rotationEnabled: false,
    });
    expect(gke.helmReleases).toMatchObject([
      { name: 'csi', namespace: 'kube-system', status: 'deployed', chart: 'csi-secrets-store-provider-azure-1.8.2' },
    ]);
    const legacy = gke.namespaces.find((ns: any) => ns.name === 'legacy');
    expect(legacy.secrets).toEqual([
      {
        name: 'feathr-online-secret',
        type: 'Opaque',
        labels: { app: 'feathr-online' },
        keys: ['CONN_STR', 'FEATHRCI_PASS'],
      },
    ]);

    expect(onprem).toMatchObject({
      oidcIssuer: null,
      csiDriver: { installedBy: 'other', syncSecretEnabled: true, rotationEnabled: true },
    });
    expect(onprem.namespaces.map((ns: any) => ns.name)).toEqual([
      'default',
      'kube-node-lease',
      'kube-public',
      'kube-system',
    ]);
  });

  it("answers ARM GETs for the file's resources through the SDKs", async () => {
    const connection = await connectSandboxWithCaFile({ url: ready.url, caFile: ready.caFile });
    const options = {
      endpoint: connection.url,
      credentials: { scopes: [`${connection.url}/.default`] },
      tlsOptions: connection.tlsOptions,
      retryOptions: { maxRetries: 0 },
    };
    const aks = await new ContainerServiceClient(
      connection.credential,
      ready.subscriptionId,
      options,
    ).managedClusters.get('lab-rg', 'lab-aks');
    expect(aks.location).toBe('westeurope');
    expect(aks.addonProfiles?.azureKeyvaultSecretsProvider?.enabled).toBe(true);
    expect(aks.agentPoolProfiles?.[0].vnetSubnetID).toMatch(/\/virtualNetworks\/lab-vnet\/subnets\/aks-nodes$/);
    const vault = await new KeyVaultManagementClient(connection.credential, ready.subscriptionId, options).vaults.get(
      'lab-rg',
      'lab-kv',
    );
    expect(vault.properties.vaultUri).toBe(`${ready.url}/kv/lab-kv/`);
  });
});

describe('sandbox serve --world stopped at once', () => {
  it('still exits 0 and removes its CA file when SIGTERM comes right on the ready line', async () => {
    // A CI script may stop the sandbox the moment it has read the line; twice, since a race
    // between printing and listening for signals doesn't show every time.
    for (let attempt = 0; attempt < 2; attempt++) {
      const child = serve(WORLD);
      const ready = await readyLine(child).finally(() => child.kill('SIGTERM'));
      const result = await child;
      expect({ exitCode: result.exitCode, signal: result.signal }).toEqual({ exitCode: 0, signal: undefined });
      expect(existsSync(ready.caFile)).toBe(false);
    }
  });
});

describe('sandbox serve --world with a broken file', () => {
  it('exits 1 naming every wrong field by its path, before printing a ready line', async () => {
    const world = parse(await readFile(WORLD, 'utf8'));
    world.clusters[0].managedCluster.name = 'no-such-aks';
    world.clusters[2].context = 'lab-gke';
    const dir = await mkdtemp(join(tmpdir(), 'world-broken-'));
    try {
      const file = join(dir, 'broken.json');
      await writeFile(file, JSON.stringify(world));
      const result = await execa(
        'node',
        ['--import', 'tsx', 'source/sandbox/serve-main.ts', '--port', '0', '--world', file],
        { reject: false },
      );
      expect(result.exitCode).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain("doesn't match the world format");
      expect(result.stderr).toContain(
        "clusters.0.managedCluster: managed cluster lab-rg/no-such-aks isn't in aksClusters",
      );
      expect(result.stderr).toContain('clusters.2.context: context "lab-gke" is listed twice');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
