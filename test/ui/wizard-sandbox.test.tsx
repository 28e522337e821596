/**
 * The whole guided session against the in-process sandbox, with the real discovery adapter
 * and the real engine: keys in, sandbox state out. Then the preset it saved runs headless
 * (main with --preset --yes against the same served sandbox) and writes nothing.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { describeClusters } from '../../source/sandbox/cluster/describe.js';
import type { RunningSandbox } from '../../source/sandbox/start.js';
import { KEY } from './ink-helpers.js';
import { startWalk, type Walk } from './sandbox-walk.js';
import { secretData } from '../helpers/cluster-peek.js';

let walk: Walk | undefined;
let second: Walk | undefined;
afterEach(async () => {
  await second?.close();
  await walk?.close();
  walk = second = undefined;
});

/** The newest value the simulated vault holds under `name`, read from the sandbox's store. */
function vaultValue(sandbox: RunningSandbox, vault: string, name: string): string | undefined {
  return sandbox.state.vaultSecrets.get(vault.toLowerCase())?.get(name.toLowerCase())?.versions.at(-1)?.value;
}

const CANARY = 'canary-7f3e9b1d-typed';

/**
 * The session ends on the result screen with the preset saved: by --save-preset before the
 * run (`saveHere` false) or from the result screen's offer, after the real engine run. The
 * preset then runs headless against the same sandbox and writes nothing.
 */
async function rerunSaved(w: Walk, options: { saveHere?: boolean; env?: Record<string, string> } = {}) {
  const env = options.env ?? {};
  await w.waitFor('Setup complete', 90_000);
  if (options.saveHere) {
    await w.step('Save these answers', KEY.down);
    await w.step('❯ Yes, save');
    await w.step('Preset file');
  }
  const result = await w.waitFor('Preset saved to feathr-kv-preset.yaml');
  // The engine's in-cluster checks fill the table, the mount through the SecretProviderClass among them.
  expect(result).toMatch(/√\s+mount\s+the SecretProviderClass mounts every object/);
  const preset = join(w.dir, 'feathr-kv-preset.yaml');
  const text = readFileSync(preset, 'utf8');
  const before = w.sandbox.state.requestLog.length;
  // The in-process CLI's secret sources read process.env (setup-command doesn't pass io.env on).
  Object.assign(process.env, env);
  const rerun = await w.cli(['--preset', preset, '--yes'], env).finally(() => {
    for (const name of Object.keys(env)) delete process.env[name];
  });
  expect(rerun.code, rerun.all).toBe(0);
  expect(w.writesSince(before)).toEqual([]);
  return { text, preset: parse(text) as Record<string, any> };
}

describe('guided session over the sandbox', () => {
  it('azure: walks every screen, recovers from a taken name and an overlapping VNet, and builds the private endpoint topology', async () => {
    const w = (walk = await startWalk({}));
    await w.step('Press enter to start');
    expect(w.frame()).toContain('Kube context    feathr-aks');
    await w.step('❯ Azure (AKS)');
    await w.step('Azure subscription');
    await w.step('❯ feathr-rg');
    await w.step('❯ eastus');
    await w.step('❯ Create a new vault');
    // Escape goes back one screen.
    await w.step('Name of the new vault', KEY.escape);
    await w.step('❯ Create a new vault');
    await w.waitFor('feathr-kv-ssss');
    w.erase(4);
    w.type('old');
    await w.waitFor('feathr-kv-old');
    w.type(KEY.enter);
    // feathr-kv-old is soft-deleted in the default world: explained, not just "taken".
    await w.step('was deleted and is kept in soft-deleted state', KEY.down);
    await w.step('❯ Choose another name');
    await w.waitFor('Name of the new vault');
    w.erase(14);
    w.type('-x');
    await w.waitFor('The name');
    w.erase(2);
    w.type('feathr-kv-walk');
    await w.step('feathr-kv-walk');
    await w.step('AKS cluster Feathr runs on');
    await w.step('Kube context of that cluster');
    const vnets = await w.waitFor("VNet for the vault's private endpoint");
    expect(vnets).toContain('❯ shared-vnet');
    w.type(KEY.up);
    await w.step('❯ overlap-vnet');
    await w.step('peering them is impossible', KEY.down);
    await w.step('❯ shared-vnet');
    await w.step('Name of the new subnet');
    await w.step('10.20.1.0/24');
    await w.step('Secrets Store CSI driver');
    await w.step('Secret rotation');
    await w.step('Identity the Feathr pods use');
    await w.step('Watch the path to the vault');
    await w.step('❯ Kubernetes Secret legacy/feathr-online-secret');
    const table = await w.waitFor('IPGEOLOCATION-APIKEY new');
    expect(table).toMatch(/CONN_STR\s+→ CONN-STR\s+new/);
    w.type(KEY.enter);
    const review = await w.waitFor('Apply this plan?');
    expect(review).toMatch(/peering, both directions\s+\[new\]/);
    expect(review).toContain('+ vault feathr-kv-walk');
    w.type(KEY.enter);
    const { preset } = await rerunSaved(w, { saveHere: true });
    expect(w.codes).toEqual([0]);
    expect(preset).toMatchObject({
      target: 'azure',
      vault: { name: 'feathr-kv-walk' },
      network: { privateEndpoint: { vnet: 'shared-vnet', subnet: 'kv-endpoints' } },
    });

    const arm = w.arm;
    const vault = await arm.keyVault.vaults.get('feathr-rg', 'feathr-kv-walk');
    expect(vault.properties.publicNetworkAccess).toBe('Disabled');
    const peering = await arm.network.virtualNetworkPeerings.get('feathr-rg', 'aks-vnet', 'aks-vnet-to-shared-vnet');
    expect(peering.peeringState).toBe('Connected');
    const aks = describeClusters(w.sandbox.state).clusters.find((c) => c.context === 'feathr-aks') as any;
    expect(aks.helmReleases.map((r: any) => [r.name, r.status])).toContainEqual(['feathr-online', 'deployed']);
  }, 150_000);

  it('other cloud: prefilled egress IPs, a .env source typed in, and a name collision renamed on screen', async () => {
    const w = (walk = await startWalk({ savePresetTo: 'feathr-kv-preset.yaml' }));
    const envFile = join(w.dir, 'feathr.env');
    writeFileSync(envFile, 'CONN_STR=one\nconn_str=two\nFEATHRCI_HOST=h\n', { mode: 0o600 });
    await w.step('Press enter to start');
    await w.step('❯ Azure (AKS)', KEY.down);
    await w.step('❯ Another cloud');
    await w.step('Azure subscription');
    await w.step('❯ feathr-rg');
    await w.step('❯ eastus');
    await w.step('❯ Create a new vault');
    await w.step('feathr-kv-ssss');
    const contexts = await w.waitFor('Kube context of that cluster');
    expect(contexts).toContain('❯ feathr-eks');
    w.type(KEY.enter);
    await w.step('The vault saw 52.14.20.1, 52.14.20.2 from the cluster');
    await w.step('Secrets Store CSI driver');
    await w.step('Secret rotation');
    await w.step('❯ Workload identity federation');
    await w.step('Name of the managed identity');
    await w.step('Watch the path to the vault');
    await w.step('❯ Kubernetes Secret legacy/feathr-online-secret', KEY.down);
    await w.step('❯ A .env file');
    await w.waitFor('Path of the .env file');
    w.erase('./feathr.env'.length);
    w.type(envFile);
    await w.step(envFile);
    // CONN_STR and conn-str both become CONN-STR in the vault: resolved here, before any write.
    await w.step('A secret name needs a decision');
    await w.step('New vault name for CONN_STR');
    const table = await w.waitFor('Continue to the plan');
    expect(table).toMatch(/CONN_STR\s+→ CONN-STR-2\s+new \(renamed\)/);
    w.type(KEY.enter);
    const review = await w.waitFor('Apply this plan?');
    expect(review).toContain('52.14.20.1');
    w.type(KEY.enter);
    const { text, preset } = await rerunSaved(w);
    expect(w.codes).toEqual([0]);
    expect(preset).toMatchObject({
      target: 'other-cloud',
      network: { allowedIps: ['52.14.20.1', '52.14.20.2'] },
      secrets: { rename: { CONN_STR: 'CONN-STR-2' } },
    });
    for (const value of ['one', 'two']) expect(text).not.toMatch(new RegExp(`\\b${value}\\b`));

    const arm = w.arm;
    const vault = await arm.keyVault.vaults.get('feathr-rg', 'feathr-kv-ssss');
    expect(vault.properties.networkAcls?.defaultAction).toBe('Deny');
    expect(vault.properties.networkAcls?.ipRules?.map((r) => r.value).sort()).toEqual([
      '52.14.20.1/32',
      '52.14.20.2/32',
    ]);
    const eks = describeClusters(w.sandbox.state).clusters.find((c) => c.context === 'feathr-eks') as any;
    expect(eks.csiDriver.installedBy).toBe('helm');
    expect(eks.helmReleases.map((r: any) => [r.name, r.status])).toContainEqual(['feathr-online', 'deployed']);
  }, 150_000);

  it('secrets from two sources with a conflict, a value typed masked, the preset saved from the result screen; a new session finds the install and uninstalls it', async () => {
    const w = (walk = await startWalk());
    writeFileSync(join(w.dir, 'feathr.env'), 'FEATHRCI_HOST=from-file\nCONN_STR=from-file\n', { mode: 0o600 });
    await w.step('Press enter to start');
    for (const marker of [
      '❯ Azure (AKS)',
      'Azure subscription',
      '❯ feathr-rg',
      '❯ eastus',
      '❯ Create a new vault',
      'feathr-kv-ssss',
      'AKS cluster Feathr runs on',
      'Kube context of that cluster',
      '❯ shared-vnet',
      'Name of the new subnet',
      '10.20.1.0/24',
      'Secrets Store CSI driver',
      'Secret rotation',
      'Identity the Feathr pods use',
      'Watch the path to the vault',
    ])
      await w.step(marker);
    await w.step('❯ Kubernetes Secret legacy/feathr-online-secret', KEY.down);
    await w.step('❯ A .env file');
    await w.step('Path of the .env file');
    const first = await w.waitFor('Add another secret source');
    expect(first).toContain('Feathr also reads FEATHRCI_PASS');
    for (let i = 0; i < 3; i += 1) w.type(KEY.down);
    await w.step('❯ Add another secret source');
    await w.step('❯ Kubernetes Secret legacy/feathr-online-secret');
    // Both sources hold CONN_STR with different values: named with both sources, no value shown.
    const conflict = await w.waitFor('A secret name needs a decision');
    expect(conflict).toMatch(
      /has different values in \.env \.\/feathr\.env and Kubernetes Secret\s+legacy\/feathr-online-secret/,
    );
    await w.step('❯ Use the later source (Kubernetes Secret legacy/feathr-online-secret)');
    const merged = await w.waitFor('the later source wins');
    expect(merged).toContain('from .env ./feathr.env + Kubernetes Secret legacy/feathr-online-secret');
    w.type(KEY.down);
    await w.step('❯ Type a value for another name');
    await w.waitFor('Name of the variable to type a value for');
    w.type('REDIS_PASSWORD');
    await w.step('REDIS_PASSWORD');
    await w.waitFor('Value of REDIS_PASSWORD');
    for (const ch of CANARY.slice(0, 10)) w.type(ch);
    w.type(CANARY.slice(10));
    await w.waitFor('•'.repeat(CANARY.length));
    w.type(KEY.enter);
    const table = await w.waitFor('Continue to the plan');
    expect(table).toMatch(/REDIS_PASSWORD\s+→ REDIS-PASSWORD\s+typed/);
    w.type(KEY.enter);
    await w.step('Apply this plan?');
    await w.waitFor('Setup complete', 90_000);
    const offer = await w.waitFor('Save these answers');
    expect(offer).toContain('REDIS_PASSWORD was typed in the wizard, and a preset never holds a value');
    const { text, preset } = await rerunSaved(w, { saveHere: true, env: { REDIS_PASSWORD: CANARY } });
    expect(w.codes).toEqual([0]);
    expect(preset.secrets).toEqual({
      sources: [
        { envFile: './feathr.env' },
        { kubernetesSecret: { namespace: 'legacy', name: 'feathr-online-secret' } },
        { env: ['REDIS_PASSWORD'] },
      ],
      rename: {},
      precedence: 'later-wins',
    });
    expect(text).toContain('# REDIS_PASSWORD was typed in the wizard');
    // The typed value is in the vault and reached the synced Secret; it never showed on screen or in the preset.
    expect(vaultValue(w.sandbox, 'feathr-kv-ssss', 'REDIS-PASSWORD')).toBe(CANARY);
    expect(vaultValue(w.sandbox, 'feathr-kv-ssss', 'CONN-STR')).toBe(
      secretData(w.sandbox, 'feathr-aks', 'legacy', 'feathr-online-secret')!.CONN_STR,
    );
    // Saving from the result screen after a real run leaves a frame of bounded height (no re-render loop, no unbounded list).
    expect(w.frame().split('\n').length).toBeLessThan(150);
    expect(w.frames().some((f) => f.includes(CANARY.slice(0, 8)))).toBe(false);
    expect(text).not.toContain(CANARY);

    // A new guided session over the same Azure and cluster finds the install and offers to remove it.
    const s = (second = await startWalk({ sandbox: w.sandbox }));
    const found = await s.waitFor('Found an install made by feathr-kv-setup');
    expect(found).toContain('vault feathr-kv-ssss in feathr-rg (eastus), tagged managed-by feathr-kv-setup');
    expect(found).toContain('Helm release feathr/feathr-online in kube context feathr-aks');
    s.type(KEY.down);
    s.type(KEY.down);
    await s.step('❯ Uninstall it');
    const plan = await s.waitFor('Remove these?', 30_000);
    expect(plan).toMatch(/- Helm release feathr\/feathr-online/);
    expect(plan).not.toMatch(/- vault feathr-kv-ssss/);
    s.type(KEY.enter);
    const done = await s.waitFor('Uninstall complete', 60_000);
    expect(done).toContain('Vault feathr-kv-ssss and its secrets are kept.');
    await s.waitFor('Feathr release removed');
    const aks = describeClusters(w.sandbox.state).clusters.find((c) => c.context === 'feathr-aks') as any;
    expect(aks.helmReleases.map((r: any) => r.name)).not.toContain('feathr-online');
    expect((await w.arm.keyVault.vaults.get('feathr-rg', 'feathr-kv-ssss')).name).toBe('feathr-kv-ssss');
    expect(vaultValue(w.sandbox, 'feathr-kv-ssss', 'REDIS-PASSWORD')).toBe(CANARY);
    await vi.waitFor(() => expect(s.codes).toEqual([0]), { timeout: 5_000, interval: 5 });
  }, 200_000);

  it("the result screen's uninstall removes what was just installed, keeping the vault, with one approval of a plan of - marks", async () => {
    const w = (walk = await startWalk());
    await w.step('Press enter to start');
    for (const marker of [
      '❯ Azure (AKS)',
      'Azure subscription',
      '❯ feathr-rg',
      '❯ eastus',
      '❯ Create a new vault',
      'feathr-kv-ssss',
      'AKS cluster Feathr runs on',
      'Kube context of that cluster',
      '❯ shared-vnet',
      'Name of the new subnet',
      '10.20.1.0/24',
      'Secrets Store CSI driver',
      'Secret rotation',
      'Identity the Feathr pods use',
      'Watch the path to the vault',
      '❯ Kubernetes Secret legacy/feathr-online-secret',
      'Continue to the plan',
      'Apply this plan?',
    ])
      await w.step(marker);
    await w.waitFor('Setup complete', 90_000);
    await w.step('Save these answers', KEY.down);
    w.type(KEY.down);
    await w.step('❯ Uninstall what was just installed');
    const plan = await w.waitFor('Remove these?', 30_000);
    expect(plan).toContain('The uninstall plan (- remove, = keep)');
    expect(plan).toMatch(/- Helm release feathr\/feathr-online/);
    expect(plan).toMatch(/- subnet shared-vnet\/kv-endpoints/);
    expect(plan).not.toMatch(/^\s*\+/m);
    w.type(KEY.enter);
    const done = await w.waitFor('Uninstall complete', 60_000);
    expect(done).toContain('What was removed');
    await vi.waitFor(() => expect(w.codes).toEqual([0]), { timeout: 5_000, interval: 5 });
    const aks = describeClusters(w.sandbox.state).clusters.find((c) => c.context === 'feathr-aks') as any;
    expect(aks.helmReleases.map((r: any) => r.name)).not.toContain('feathr-online');
    const vault = await w.arm.keyVault.vaults.get('feathr-rg', 'feathr-kv-ssss');
    expect(vault.name).toBe('feathr-kv-ssss');
    expect(vaultValue(w.sandbox, 'feathr-kv-ssss', 'CONN-STR')).toBeDefined();
  }, 200_000);
});
