import { afterEach, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { CHART_DIR } from '../../../scripts/chart-render.js';
import { startFakeEndpoints, type FakeWorld } from './fake-endpoints.js';
import { findCanaries } from '../../leaks/canaries.js';
import { testTempDir } from '../../helpers/temp-dir.js';

// The chart's monitor script, run locally with sh (dash) against loopback stand-ins for the
// metadata endpoint, Key Vault and the Kubernetes API.
const CANARY = 'canary-monitor-3f9e1c-value';
const now = () => Math.floor(Date.now() / 1000);
let server: Server | undefined;
afterEach(() => {
  server?.close();
});

function world(overrides: Partial<FakeWorld> = {}): FakeWorld {
  return {
    secrets: { 'CONN-STR': { value: CANARY, version: 'v2', updated: now() - 3600 }, 'FEATHRCI-PASS': { value: `${CANARY}-2`, version: 'p1', updated: now() - 7200 } },
    mountedVersions: { 'CONN-STR': 'v2', 'FEATHRCI-PASS': 'p1' },
    configMap: {},
    events: [],
    patches: [],
    ...overrides,
  };
}

async function runMonitor(w: FakeWorld, env: Record<string, string> = {}) {
  const fake = await startFakeEndpoints(w);
  server = fake.server;
  const dir = testTempDir('kv-monitor-');
  writeFileSync(join(dir, 'token'), 'kube-sa-token');
  const run = await execa('/bin/sh', [join(CHART_DIR, 'files', 'kv-monitor.sh')], {
    reject: false,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      VAULT_NAME: 'feathr-kv-demo', VAULT_HOST: 'localhost', VAULT_URL: fake.url, IMDS_URL: fake.url, IMDS_CLIENT_ID: '11111111-2222-3333-4444-555555555555',
      OBJECTS: 'CONN-STR FEATHRCI-PASS', NAMESPACE: 'feathr', NODE_NAME: 'aks-nodes-0', POD_NAME: 'feathr-online-kv-monitor-29000000-x7k2p', SPC_NAME: 'feathr-online-kv', RESULTS_CONFIGMAP: 'feathr-online-kv-monitor',
      KEEP_RESULTS: '48', EXPECT_PRIVATE: 'true', ROTATION_POLL_SECONDS: '120',
      KUBE_API: fake.url, KUBE_TOKEN_FILE: join(dir, 'token'), KUBE_CA: join(dir, 'no-ca'),
      FIX_DNS: 'Link privatelink.vaultcore.azure.net to VNet aks-vnet', FIX_NETWORK: 'Allow outbound TCP 443', FIX_FIREWALL: 'az keyvault network-rule add --name feathr-kv-demo --resource-group feathr-rg --ip-address {address}',
      FIX_TOKEN: 'az identity federated-credential create', FIX_IDENTITY: 'az role assignment create --role "Key Vault Secrets User"', FIX_SECRETS: 'az keyvault secret set --vault-name feathr-kv-demo', FIX_FRESHNESS: 'kubectl rollout restart deployment/feathr-online -n feathr',
      ...env,
    },
  });
  const results = Object.entries(w.configMap).map(([key, value]) => ({ ...(JSON.parse(value) as Record<string, any>), key }) as Record<string, any> & { key: string });
  const everything = `${run.stdout}\n${run.stderr}\n${JSON.stringify(w.configMap)}\n${JSON.stringify(w.events)}\n${w.patches.join('\n')}`;
  // Every form a leak could take (base64, hex, a plain sha256 a vault Reader could compare).
  expect(findCanaries(everything, { CANARY, CANARY2: `${CANARY}-2` })).toEqual([]);
  expect(everything).not.toContain('fake-access-token');
  expect(everything).not.toContain('kube-sa-token');
  return { run, results };
}

describe('kv-monitor.sh', () => {
  it('records a passing run: time, node, address, every check, and no Event', async () => {
    const w = world();
    const { run, results } = await runMonitor(w);
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('Every check passed on node aks-nodes-0.');
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ node: 'aks-nodes-0', ok: true, failed: '', checks: { dns: 'pass', tcp: 'pass', tls: 'pass', firewall: 'pass', token: 'pass', secrets: 'pass', freshness: 'pass' } });
    expect(results[0]!.key).toMatch(/^run-\d{10}-feathr-online-kv-monitor-29000000-x7k2p$/);
    expect(Date.parse(results[0]!.time)).toBeGreaterThan(Date.now() - 60_000);
    expect(w.events).toEqual([]);
  });

  it('fails on the firewall: a Warning Event on the SecretProviderClass names check, node, address and fix', async () => {
    const w = world({ firewallRefuses: '52.14.20.1' });
    const { run, results } = await runMonitor(w);
    expect(run.exitCode).toBe(1);
    expect(results[0]).toMatchObject({ ok: false, failed: 'firewall', address: '52.14.20.1', checks: { dns: 'pass', tls: 'pass', firewall: 'fail', secrets: 'skip', freshness: 'skip' } });
    expect(w.events).toHaveLength(1);
    const [event] = w.events;
    expect(event).toMatchObject({ type: 'Warning', reason: 'KeyVaultPathBroken', involvedObject: { kind: 'SecretProviderClass', name: 'feathr-online-kv', namespace: 'feathr', uid: 'spc-uid-1' }, source: { component: 'feathr-kv-monitor', host: 'aks-nodes-0' } });
    expect(event!.message).toBe("Check firewall failed on node aks-nodes-0 (the vault sees 52.14.20.1): Vault feathr-kv-demo's firewall refuses the cluster: it sees the cluster's egress address 52.14.20.1, which isn't in its ipRules. Fix: az keyvault network-rule add --name feathr-kv-demo --resource-group feathr-rg --ip-address 52.14.20.1");
  });

  it('fails on DNS when the name resolves to a public address in the private topology, not in the public one', async () => {
    // A getent first on PATH answers as public DNS does once the private zone's link is gone.
    const bin = mkdtempSync(join(tmpdir(), 'kv-monitor-bin-'));
    writeFileSync(join(bin, 'getent'), '#!/bin/sh\necho "20.38.1.4       STREAM feathr-kv-demo.vault.azure.net"\n', { mode: 0o755 });
    try {
      const path = `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`;
      const w = world();
      const { run, results } = await runMonitor(w, { PATH: path });
      expect(run.exitCode).toBe(1);
      expect(results[0]).toMatchObject({ failed: 'dns', checks: { dns: 'fail' } });
      expect(w.events[0]!.message).toBe("Check dns failed on node aks-nodes-0 (the vault sees an unknown address): Can't reach vault feathr-kv-demo from the cluster: it resolves to 20.38.1.4, a public address. Fix: Link privatelink.vaultcore.azure.net to VNet aks-vnet");
      server?.close();
      const open = await runMonitor(world(), { PATH: path, EXPECT_PRIVATE: 'false' });
      expect(open.run.exitCode).toBe(0);
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });

  it('fails when the identity gets no token, and when a mapped secret is missing', async () => {
    const noToken = await runMonitor(world({ noToken: true }));
    expect(noToken.run.exitCode).toBe(1);
    expect(noToken.results[0]).toMatchObject({ failed: 'token', checks: { token: 'fail', firewall: 'skip', secrets: 'skip' } });
    expect(noToken.run.stdout).toContain('Check token failed on node aks-nodes-0 (the vault sees an unknown address): The vm-managed-identity identity gets no token for Key Vault from node aks-nodes-0. Fix: az identity federated-credential create');
    server?.close();
    const w = world();
    delete w.secrets['FEATHRCI-PASS'];
    const missing = await runMonitor(w);
    expect(missing.run.exitCode).toBe(1);
    expect(missing.results[0]).toMatchObject({ failed: 'secrets', checks: { secrets: 'fail', freshness: 'skip' } });
    expect(w.events[0]!.message).toContain('Vault feathr-kv-demo doesn\'t give the identity these secrets: FEATHRCI-PASS (404).');
  });

  it('fails when the pods lag the vault by more than two rotation polls, not before', async () => {
    const lagging = world({ mountedVersions: { 'CONN-STR': 'v1', 'FEATHRCI-PASS': 'p1' } });
    const late = await runMonitor(lagging);
    expect(late.run.exitCode).toBe(1);
    expect(late.results[0]).toMatchObject({ failed: 'freshness', checks: { secrets: 'pass', freshness: 'fail' } });
    expect(lagging.events[0]!.message).toContain('CONN-STR changed more than two rotation polls (240s) ago');
    server?.close();
    const fresh = world({ mountedVersions: { 'CONN-STR': 'v1', 'FEATHRCI-PASS': 'p1' } });
    fresh.secrets['CONN-STR']!.updated = now() - 60;
    expect((await runMonitor(fresh)).run.exitCode).toBe(0);
    server?.close();
    const rotationOff = world({ mountedVersions: { 'CONN-STR': 'v1', 'FEATHRCI-PASS': 'p1' } });
    const off = await runMonitor(rotationOff, { ROTATION_POLL_SECONDS: '' });
    expect(off.results[0]!.checks.freshness).toBe('skip');
  });

  it('keeps the last 48 results', async () => {
    const configMap: Record<string, string> = {};
    for (let i = 0; i < 48; i += 1) configMap[`run-${1700000000 + i}-aks-nodes-0`] = JSON.stringify({ time: 'old', node: 'aks-nodes-0', ok: true });
    const w = world({ configMap });
    const { results } = await runMonitor(w);
    expect(results).toHaveLength(48);
    expect(results.map((r) => r.key)).not.toContain('run-1700000000-aks-nodes-0');
    expect(results.map((r) => r.key)).toContain('run-1700000001-aks-nodes-0');
    expect(results.filter((r) => r.time !== 'old')).toHaveLength(1);
  });
});
