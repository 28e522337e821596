import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSandbox, connectSandboxWithCaFile } from '../../../source/connect/sandbox-client.js';
import { serveSandbox } from '../../../source/sandbox/serve.js';
import type { RunningSandbox } from '../../../source/sandbox/start.js';
import {
  buildDefaultWorld,
  DEFAULT_SUBSCRIPTION_ID,
  DEFAULT_TENANT_ID,
} from '../../../source/sandbox/world/default-world.js';
import { loadWorldFile } from '../../../source/sandbox/world/world-file.js';
import { clientsFor, request, rgPath, withSandbox } from '../arm/helpers.js';
import path from 'node:path';
import { toolPaths } from '../../helpers/kube-tools.js';

interface Ready {
  url: string;
  caFile: string;
  token: string;
  subscriptionId: string;
  tenantId: string;
}

describe('sandbox serve as a separate process', () => {
  it('prints exactly one ready line, answers curl with the CA file, and removes the CA file on SIGTERM', async () => {
    const started = Date.now();
    const child = execa('node', ['--import', 'tsx', 'source/sandbox/serve-main.ts', '--port', '0'], {
      reject: false,
      buffer: false,
    });
    const line = await new Promise<string>((resolve, reject) => {
      let text = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (text.includes('\n')) resolve(text);
      });
      child.on('exit', () => reject(new Error('serve exited before the ready line')));
    });
    const readyMs = Date.now() - started;
    const ready = JSON.parse(line.trim()) as Ready;
    expect(line.trim().split('\n')).toHaveLength(1);
    expect(Object.keys(ready).sort()).toEqual(['caFile', 'kubeconfig', 'subscriptionId', 'tenantId', 'token', 'url']);
    expect(ready).toMatchObject({ subscriptionId: DEFAULT_SUBSCRIPTION_ID, tenantId: DEFAULT_TENANT_ID });
    expect(ready.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    // An Entra-shaped access token for ARM, issued in the world's tenant to the operator (a user).
    const claims = JSON.parse(Buffer.from(ready.token.split('.')[1]!, 'base64url').toString('utf8'));
    expect(claims).toMatchObject({ tid: DEFAULT_TENANT_ID, idtyp: 'user', aud: 'https://management.azure.com/' });
    expect(claims.oid).toMatch(/^[0-9a-f-]{36}$/);
    expect(claims.exp).toBeGreaterThan(Date.now() / 1000);
    expect(ready.token.split('.')).toHaveLength(3);
    // The ready line itself comes within 2 s of the process starting; the bound here also
    // covers node + tsx start-up on a loaded 2-core CI machine.
    expect(readyMs).toBeLessThan(10_000);

    const curl = await execa('curl', [
      '-sS',
      '--cacert',
      ready.caFile,
      '-H',
      `Authorization: Bearer ${ready.token}`,
      `${ready.url}/subscriptions/${ready.subscriptionId}/resourceGroups/feathr-rg?api-version=2021-04-01`,
    ]);
    expect(JSON.parse(curl.stdout)).toEqual({
      id: `/subscriptions/${DEFAULT_SUBSCRIPTION_ID}/resourceGroups/feathr-rg`,
      name: 'feathr-rg',
      type: 'Microsoft.Resources/resourceGroups',
      location: 'eastus',
      tags: {},
      properties: { provisioningState: 'Succeeded' },
    });
    const untrusted = await execa('curl', ['-sS', `${ready.url}/_sandbox/info`], { reject: false });
    expect(untrusted.exitCode).not.toBe(0);

    const connection = await connectSandboxWithCaFile({ url: ready.url, caFile: ready.caFile });
    expect((await connection.credential.getToken('x')).token).toBe(ready.token);
    // The ready line's kubeconfig: both real binary sets list the world through it.
    const kubeconfig = (ready as Ready & { kubeconfig: string }).kubeconfig;
    // kubectl's discovery cache beside that kubeconfig (the server removes it), not in ~/.kube/cache.
    const cacheEnv = { KUBECACHEDIR: path.join(path.dirname(kubeconfig), 'kube-cache') };
    for (const set of ['helm3', 'helm4'] as const) {
      const tools = toolPaths(set);
      const namespaces = await execa(
        tools.kubectl,
        ['--kubeconfig', kubeconfig, '--context', 'feathr-aks', 'get', 'namespaces', '-o', 'name'],
        { env: cacheEnv },
      );
      expect(namespaces.stdout.split('\n')).toContain('namespace/legacy');
      const secrets = await execa(
        tools.kubectl,
        ['--kubeconfig', kubeconfig, '--context', 'feathr-eks', 'get', 'secrets', '-A', '-o', 'name'],
        { env: cacheEnv },
      );
      expect(secrets.stdout).toContain('secret/feathr-online-secret');
      const releases = await execa(
        tools.helm,
        ['--kubeconfig', kubeconfig, '--kube-context', 'feathr-aks', 'list', '-A', '-o', 'json'],
        {
          env: {
            HELM_CACHE_HOME: path.join(path.dirname(kubeconfig), `hc-${set}`),
            HELM_CONFIG_HOME: path.join(path.dirname(kubeconfig), `hg-${set}`),
          },
        },
      );
      expect(JSON.parse(releases.stdout)).toEqual([]);
    }
    child.kill('SIGTERM');
    const result = await child;
    expect(result.exitCode).toBe(0);
    expect(existsSync(ready.caFile)).toBe(false);
    expect(existsSync(kubeconfig)).toBe(false);
  });
});

describe('in-process serve, client and control routes', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await withSandbox();
  });
  afterAll(() => sandbox.close());

  it('serveSandbox stops on abort and cleans its CA file', async () => {
    const controller = new AbortController();
    const lines: string[] = [];
    const output = { write: (text: string) => lines.push(text) } as unknown as NodeJS.WritableStream;
    const serving = serveSandbox({ port: 0, output, signal: controller.signal });
    while (lines.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    const ready = JSON.parse(lines[0]) as Ready;
    expect(existsSync(ready.caFile)).toBe(true);
    controller.abort();
    await serving;
    expect(existsSync(ready.caFile)).toBe(false);
  });

  it('connectSandbox returns the operator credential and per-client TLS options that the SDKs accept', async () => {
    const connection = await connectSandbox({ url: sandbox.url, caPem: sandbox.caPem });
    expect(connection).toMatchObject({
      subscriptionId: DEFAULT_SUBSCRIPTION_ID,
      tenantId: DEFAULT_TENANT_ID,
      tlsOptions: { ca: sandbox.caPem },
    });
    const { ResourceManagementClient } = await import('@azure/arm-resources');
    const client = new ResourceManagementClient(connection.credential, connection.subscriptionId, {
      endpoint: connection.url,
      credentialScopes: [`${connection.url}/.default`],
      tlsOptions: connection.tlsOptions,
    });
    expect((await client.resourceGroups.get('feathr-rg')).location).toBe('eastus');
    const untrusted = new ResourceManagementClient(connection.credential, connection.subscriptionId, {
      endpoint: connection.url,
      credentialScopes: [`${connection.url}/.default`],
      retryOptions: { maxRetries: 0 },
    });
    await expect(untrusted.resourceGroups.get('feathr-rg')).rejects.toThrow(/certificate/i);
    await expect(
      connectSandbox({ url: sandbox.url, caPem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' }),
    ).rejects.toMatchObject({ name: 'UserError' });
  });

  it('logs requests without bodies, marking plane and write', async () => {
    const token = sandbox.tokenFor('operator');
    await request(
      sandbox,
      'POST',
      `/subscriptions/${sandbox.subscriptionId}/providers/Microsoft.KeyVault/checkNameAvailability?api-version=2026-02-01`,
      { token, body: { name: 'x-kv-name', type: 'Microsoft.KeyVault/vaults' } },
    );
    await request(
      sandbox,
      'PUT',
      rgPath(sandbox, '/providers/Microsoft.ManagedIdentity/userAssignedIdentities/log-id?api-version=2024-11-30'),
      { token, body: { location: 'eastus' } },
    );
    const log = (await request(sandbox, 'GET', '/_sandbox/requests')).body.requests as {
      method: string;
      path: string;
      status: number;
      write: boolean;
      plane: string;
    }[];
    expect(log.find((entry) => entry.path.endsWith('checkNameAvailability'))).toMatchObject({
      method: 'POST',
      status: 200,
      write: false,
      plane: 'arm',
    });
    expect(log.find((entry) => entry.path.endsWith('log-id'))).toMatchObject({
      method: 'PUT',
      status: 201,
      write: true,
      plane: 'arm',
    });
    expect(Object.keys(log[0]).sort()).toEqual(['at', 'method', 'path', 'plane', 'status', 'write']);
  });

  it('issues tokens for named principals, describes clusters, and resets the world keeping tokens', async () => {
    const token = await request(sandbox, 'POST', '/_sandbox/token', { body: { principal: 'feathr-sp' } });
    expect(token.body).toMatchObject({
      objectId: '00000000-0000-0000-0000-00000000b001',
      clientId: '00000000-0000-0000-0000-00000000b002',
    });
    expect((await request(sandbox, 'POST', '/_sandbox/token', { body: { principal: 'nobody' } })).status).toBe(404);
    const clusters = (await request(sandbox, 'GET', '/_sandbox/cluster')).body.clusters as { context: string }[];
    expect(clusters.map((cluster) => cluster.context)).toEqual(['feathr-aks', 'feathr-eks']);

    const operatorToken = sandbox.tokenFor('operator');
    await clientsFor(sandbox).resources.resourceGroups.createOrUpdate('before-reset-rg', { location: 'eastus' });
    expect((await request(sandbox, 'POST', '/_sandbox/reset')).status).toBe(200);
    expect(sandbox.tokenFor('operator')).toBe(operatorToken);
    expect(
      (
        await request(
          sandbox,
          'GET',
          rgPath(sandbox, '?api-version=2021-04-01').replace('feathr-rg', 'before-reset-rg'),
          { token: operatorToken },
        )
      ).status,
    ).toBe(404);
    expect(sandbox.state.deletedVaults.has('feathr-kv-old')).toBe(true);
  });
});

describe('worlds', () => {
  it('builds the default world exactly', () => {
    const state = buildDefaultWorld({ baseUrl: 'https://127.0.0.1:1' });
    expect([state.tenantId, state.subscriptionId]).toEqual([DEFAULT_TENANT_ID, DEFAULT_SUBSCRIPTION_ID]);
    const operator = state.principals.get(state.operatorId)!;
    expect(operator.position).toEqual({ kind: 'internet', publicIp: '203.0.113.7' });
    const get = (path: string) =>
      state.resources.get(`/subscriptions/${DEFAULT_SUBSCRIPTION_ID}/resourcegroups/feathr-rg${path}`.toLowerCase()) as
        { properties: any; location?: string } | undefined;
    expect(get('')?.location).toBe('eastus');
    expect(
      get('/providers/Microsoft.Network/virtualNetworks/aks-vnet')?.properties.addressSpace.addressPrefixes,
    ).toEqual(['10.10.0.0/16']);
    expect(get('/providers/Microsoft.Network/virtualNetworks/aks-vnet/subnets/nodes')?.properties.addressPrefix).toBe(
      '10.10.0.0/20',
    );
    expect(
      get('/providers/Microsoft.Network/virtualNetworks/shared-vnet')?.properties.addressSpace.addressPrefixes,
    ).toEqual(['10.20.0.0/16']);
    expect([...state.resources.keys()].some((key) => key.includes('shared-vnet/subnets/'))).toBe(false);
    expect(
      get('/providers/Microsoft.Network/virtualNetworks/overlap-vnet')?.properties.addressSpace.addressPrefixes,
    ).toEqual(['10.10.0.0/16']);
    const aks = get('/providers/Microsoft.ContainerService/managedClusters/feathr-aks')!;
    expect(aks.properties.oidcIssuerProfile.enabled).toBe(true);
    expect(aks.properties.addonProfiles.azureKeyvaultSecretsProvider).toBeUndefined();
    expect(aks.properties.nodeResourceGroup).toBe('MC_feathr-rg_feathr-aks_eastus');
    expect(state.deletedVaults.get('feathr-kv-old')?.purgeProtectionEnabled).toBe(false);
    expect(
      [...state.principals.values()].find((principal) => principal.displayName === 'feathr-sp')?.clientSecret,
    ).toBeTruthy();
    expect([...state.clusters.keys()]).toEqual(['feathr-aks', 'feathr-eks']);
  });

  it('loads a world file and reports every invalid field with its path', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'world-test-'));
    try {
      const good = join(dir, 'world.yaml');
      await writeFile(
        good,
        [
          'version: 1',
          'tenantId: 00000000-0000-0000-0000-0000000000bb',
          'subscriptionId: 00000000-0000-0000-0000-0000000000cc',
          'faults: "arm-write:500@#1"',
          'operator: { publicIp: 198.51.100.5 }',
          'resourceGroups: [{ name: rg1, location: westeurope }]',
          'vaults: [{ name: kv-live-1, resourceGroup: rg1, rbac: false, secrets: { A-B: value } }]',
          'simulatedClusters: none',
        ].join('\n'),
      );
      const sandbox = await withSandbox({ worldFile: good });
      try {
        const vault = await request(
          sandbox,
          'GET',
          '/subscriptions/00000000-0000-0000-0000-0000000000cc/resourceGroups/rg1/providers/Microsoft.KeyVault/vaults/kv-live-1?api-version=2026-02-01',
          { token: sandbox.tokenFor('operator') },
        );
        expect(vault.body.properties).toMatchObject({
          enableRbacAuthorization: false,
          vaultUri: `${sandbox.url}/kv/kv-live-1/`,
        });
        expect(sandbox.state.clusters.size).toBe(0);
        expect(sandbox.state.faults?.rules.map((rule) => rule.spec)).toEqual(['arm-write:500@#1']);
      } finally {
        await sandbox.close();
      }
      const bad = join(dir, 'bad.json');
      await writeFile(
        bad,
        JSON.stringify({
          version: 2,
          tenantId: 'nope',
          subscriptionId: DEFAULT_SUBSCRIPTION_ID,
          operator: { publicIp: 'x' },
          extra: true,
        }),
      );
      const error = await loadWorldFile(bad).then(
        () => ({ message: 'loaded', details: [] as readonly string[] }),
        (caught: { message: string; details: readonly string[] }) => caught,
      );
      expect(error.message).toContain("doesn't match the world format");
      expect(error.details.join('\n')).toMatch(/version/);
      expect(error.details.join('\n')).toMatch(/tenantId: must be a GUID/);
      expect(error.details.join('\n')).toMatch(/operator\.publicIp/);
      expect(error.details.join('\n')).toMatch(/extra/);
      await expect(loadWorldFile(join(dir, 'missing.yaml'))).rejects.toThrow("Can't read world file");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
