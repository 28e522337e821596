/**
 * The whole guided session against the in-process sandbox, with the real discovery adapter
 * and the real engine: keys in, sandbox state out. Then the preset it saved runs headless
 * (main with --preset --yes against the same served sandbox) and writes nothing.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { describeClusters } from '../../source/sandbox/cluster/describe.js';
import { KEY } from './ink-helpers.js';
import { startWalk, type Walk } from './sandbox-walk.js';

let walk: Walk | undefined;
afterEach(async () => {
  await walk?.close();
  walk = undefined;
});

/**
 * The answers were saved with --save-preset before the run (the stand-in walk in
 * wizard.test.tsx covers saving from the result screen); the session ends on the result.
 */
async function rerunSaved(w: Walk) {
  await w.waitFor('Setup complete', 90_000);
  const result = await w.waitFor('Preset saved to feathr-kv-preset.yaml');
  // The engine's in-cluster checks fill the table, the mount through the SecretProviderClass among them.
  expect(result).toMatch(/PASS\s+mount\s+the SecretProviderClass mounts every object/);
  const preset = join(w.dir, 'feathr-kv-preset.yaml');
  const text = readFileSync(preset, 'utf8');
  const before = w.sandbox.state.requestLog.length;
  const rerun = await w.cli(['--preset', preset, '--yes']);
  expect(rerun.code, rerun.all).toBe(0);
  expect(w.writesSince(before)).toEqual([]);
  return { text, preset: parse(text) as Record<string, any> };
}

describe('guided session over the sandbox', () => {
  it('azure: walks every screen, recovers from a taken name and an overlapping VNet, and builds the private endpoint topology', async () => {
    const w = (walk = await startWalk({ savePresetTo: 'feathr-kv-preset.yaml' }));
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
    await w.step('AKS cluster');
    await w.step('❯ feathr-aks');
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
    await w.step('❯ Kubernetes Secret legacy/feathr-online-secret');
    const table = await w.waitFor('IPGEOLOCATION-APIKEY new');
    expect(table).toMatch(/CONN_STR\s+→ CONN-STR\s+new/);
    w.type(KEY.enter);
    const review = await w.waitFor('Apply this plan?');
    expect(review).toMatch(/peering, both directions\s+\[new\]/);
    expect(review).toContain('+ vault feathr-kv-walk');
    w.type(KEY.enter);
    const { preset } = await rerunSaved(w);
    expect(w.codes).toEqual([0]);
    expect(preset).toMatchObject({ target: 'azure', vault: { name: 'feathr-kv-walk' }, network: { privateEndpoint: { vnet: 'shared-vnet', subnet: 'kv-endpoints' } } });

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
    expect(preset).toMatchObject({ target: 'other-cloud', network: { allowedIps: ['52.14.20.1', '52.14.20.2'] }, secrets: { rename: { CONN_STR: 'CONN-STR-2' } } });
    for (const value of ['one', 'two']) expect(text).not.toMatch(new RegExp(`\\b${value}\\b`));

    const arm = w.arm;
    const vault = await arm.keyVault.vaults.get('feathr-rg', 'feathr-kv-ssss');
    expect(vault.properties.networkAcls?.defaultAction).toBe('Deny');
    expect(vault.properties.networkAcls?.ipRules?.map((r) => r.value).sort()).toEqual(['52.14.20.1/32', '52.14.20.2/32']);
    const eks = describeClusters(w.sandbox.state).clusters.find((c) => c.context === 'feathr-eks') as any;
    expect(eks.csiDriver.installedBy).toBe('helm');
    expect(eks.helmReleases.map((r: any) => [r.name, r.status])).toContainEqual(['feathr-online', 'deployed']);
  }, 150_000);
});
