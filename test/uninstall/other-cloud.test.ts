/**
 * The two other-cloud presets installed, then uninstalled: the CSI driver release, the
 * credentials Secret or the workload identity, the role assignments and the firewall rules the
 * tool added go; the vault, its secrets and its firewall default stay; the sandbox ends as
 * before the install; a second uninstall writes nothing. Then the vault flags: --delete-vault
 * without a terminal refuses, and --purge is refused under purge protection with the date.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPreset } from '../../source/config/load-preset.js';
import type { SetupConfig } from '../../source/config/setup-config.js';
import { startKubeHarness, type KubeHarness } from '../steps/kube-harness.js';
import { armSnapshot, clusterSnapshot, lines, uninstall, vaultSecrets, writes } from './helpers.js';

async function allowlistConfig(): Promise<SetupConfig> {
  const config = await loadPreset('presets/other-cloud-allowlist.yaml');
  // The sandbox's service principal (the preset's placeholder app isn't in the default world).
  return {
    ...config,
    identity: {
      mode: 'service-principal',
      servicePrincipal: {
        clientId: '00000000-0000-0000-0000-00000000b002',
        objectId: '00000000-0000-0000-0000-00000000b001',
        clientSecretEnv: 'FEATHR_SP_SECRET',
      },
    },
  };
}

const presets: [string, () => Promise<SetupConfig>, string[]][] = [
  [
    'other-cloud-allowlist',
    allowlistConfig,
    ['remove-sp-credentials - Secret feathr/secrets-store-creds (context feathr-eks)'],
  ],
  [
    'other-cloud-workload-identity',
    () => loadPreset('presets/other-cloud-workload-identity.yaml'),
    [
      'remove-workload-identity - federated credential feathr-kv-reader/feathr-feathr-online',
      'remove-workload-identity - managed identity feathr-kv-reader',
    ],
  ],
];

describe.each(presets)('uninstall after the %s preset', (_name, load, specific) => {
  let h: KubeHarness;
  let config: SetupConfig;
  let armBefore: Record<string, unknown>;
  let clusterBefore: unknown;
  let secretsAfterInstall: unknown;

  beforeAll(async () => {
    h = await startKubeHarness();
    config = await load();
    armBefore = armSnapshot(h, config.vault.name);
    clusterBefore = clusterSnapshot(h, 'feathr-eks');
    const { outcome, events } = await h.run(config, 'apply');
    expect(events.filter((e) => e.type === 'step.failed')).toEqual([]);
    expect(outcome.exitCode).toBe(0);
    secretsAfterInstall = vaultSecrets(h, config.vault.name);
  }, 60_000);
  afterAll(async () => h.close());

  it('removes what the tool made and leaves ARM and the cluster as before, except the vault', async () => {
    const { outcome, events } = await uninstall(h, config);
    expect(events.filter((e) => e.type === 'step.failed')).toEqual([]);
    // "removed" only for steps that removed something: the other identity's step had nothing.
    const done = new Map(events.flatMap((e) => (e.type === 'step.done' ? [[e.stepId, e.summary] as const] : [])));
    const idle = _name === 'other-cloud-allowlist' ? 'remove-workload-identity' : 'remove-sp-credentials';
    if (done.has(idle)) expect(done.get(idle)).toMatch(/nothing of this tool's to remove/);
    expect(done.get('remove-feathr-release')).toBe('Feathr release removed');
    const plan = lines(outcome);
    for (const line of [
      'remove-feathr-release - Helm release feathr/feathr-online (context feathr-eks)',
      'remove-csi-driver - Helm release kube-system/csi-secrets-store-provider-azure (context feathr-eks)',
      'remove-ip-rules - vault ' + config.vault.name + ' ipRules 52.14.20.1/32',
      'remove-ip-rules - vault ' + config.vault.name + ' ipRules 52.14.20.2/32',
      ...specific,
    ])
      expect(plan).toContain(line);
    expect(armSnapshot(h, config.vault.name)).toEqual(armBefore);
    expect(clusterSnapshot(h, 'feathr-eks')).toEqual(clusterBefore);
    expect(vaultSecrets(h, config.vault.name)).toEqual(secretsAfterInstall);
    const vault = [...h.sandbox.state.resources.values()].find((r) => r.name === config.vault.name)!;
    // Access taken back, nothing opened: no rules left, the default stays Deny.
    expect((vault.properties as any).networkAcls).toMatchObject({ defaultAction: 'Deny', ipRules: [] });
    expect(Object.keys(vault.tags ?? {})).toEqual(['managed-by']);
  }, 30_000);

  it('writes nothing on a second uninstall', async () => {
    const before = writes(h);
    const { outcome, events } = await uninstall(h, config);
    expect(outcome.plan.isEmpty).toBe(true);
    expect(writes(h)).toEqual(before);
    const summaries = events.flatMap((e) => (e.type === 'step.done' ? [e.summary] : []));
    expect(summaries.length).toBeGreaterThan(0);
    for (const summary of summaries) expect(summary).not.toMatch(/ removed|cleared/);
  });

  it('refuses --delete-vault and --purge without a terminal, changing nothing', async () => {
    const before = writes(h);
    await expect(uninstall(h, config, { deleteVault: true })).rejects.toThrow(
      `--delete-vault needs you to type the vault name ${config.vault.name}, and there's no terminal to type it on: nothing was changed.`,
    );
    await expect(uninstall(h, config, { deleteVault: true, purge: true })).rejects.toThrow(
      /--purge needs you to type the vault name/,
    );
    expect(writes(h)).toEqual(before);
  });

  it('refuses a purge under purge protection with the purgeable date, before any change', async () => {
    const before = writes(h);
    const now = () => Date.parse('2026-03-01T12:00:00Z');
    const typed: string[] = [];
    const typeVaultName = async (name: string) => (typed.push(name), name);
    await expect(
      uninstall(h, config, { deleteVault: true, purge: true, hasTTY: true, now, typeVaultName }),
    ).rejects.toThrow(
      `Can't purge vault ${config.vault.name}: purge protection is on. Once deleted, it becomes purgeable only when Azure purges it by itself, 90 days later (2026-05-30 if deleted today).`,
    );
    expect(typed).toEqual([]);
    expect(writes(h)).toEqual(before);
  });

  it('--delete-vault with the typed name soft-deletes it; a purge then names the scheduled purge date', async () => {
    const mistyped = await uninstall(h, config, {
      deleteVault: true,
      hasTTY: true,
      typeVaultName: async () => 'feathr-kv',
    }).catch((e: Error) => e.message);
    expect(mistyped).toBe(`Nothing was changed: the typed name doesn't match vault ${config.vault.name}.`);
    const { outcome } = await uninstall(h, config, {
      deleteVault: true,
      hasTTY: true,
      typeVaultName: async (name) => name,
    });
    expect(lines(outcome)).toEqual([`delete-vault - vault ${config.vault.name} and its secrets`]);
    const deleted = h.sandbox.state.deletedVaults.get(config.vault.name.toLowerCase())!;
    expect(deleted.purgeProtectionEnabled).toBe(true);
    const before = writes(h);
    await expect(
      uninstall(h, config, { deleteVault: true, purge: true, hasTTY: true, typeVaultName: async (name) => name }),
    ).rejects.toThrow(
      `Can't purge vault ${config.vault.name}: purge protection is on. It becomes purgeable on ${deleted.scheduledPurgeDate.slice(0, 10)}, when Azure purges it by itself.`,
    );
    expect(writes(h)).toEqual(before);
  });
});
