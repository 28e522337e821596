/**
 * azure: the AKS add-on azureKeyvaultSecretsProvider with the rotation settings. There is no
 * "enable add-on" API: GET the cluster, edit only that add-on profile, PUT it back.
 */
import { type Change } from '../kernel/step.js';
import { defineStep } from './step-context.js';
import { fromChanges } from '../kernel/plan.js';
import { UserError } from '../kernel/errors.js';
import type { SetupConfig } from '../config/setup-config.js';
import { addonSettings, putAddon, requireCluster, KV_ADDON, type AddonSettings } from '../azure/aks.js';
import { aksRef } from './topology.js';
import { ADDON_ENABLED_TAG } from '../domain/ownership.js';
import { lastOperationFailed, repairChange, requireProvisioned } from './provisioning-state.js';

/** Config values are strings on the wire ("true", "2m"). */
function desiredAddon(config: SetupConfig): AddonSettings {
  const rotation = config.csi?.rotation;
  return {
    enabled: true,
    enableSecretRotation: String(rotation?.enabled ?? true),
    rotationPollInterval: rotation?.pollInterval ?? '2m',
  };
}

function diff(current: AddonSettings | undefined, want: AddonSettings, cluster: string): Change[] {
  const resource = `AKS cluster ${cluster} addon ${KV_ADDON}`;
  if (!current?.enabled)
    return [
      {
        mark: current ? '~' : '+',
        resource,
        field: 'enabled',
        from: current ? 'false' : undefined,
        to: 'true',
        reason: `the Secrets Store CSI driver with the Azure provider (rotation ${want.enableSecretRotation}, every ${want.rotationPollInterval})`,
      },
    ];
  const changes: Change[] = [];
  for (const field of ['enableSecretRotation', 'rotationPollInterval'] as const) {
    if (current[field] !== want[field])
      changes.push({
        mark: '~',
        resource,
        field: `config.${field}`,
        from: current[field],
        to: want[field],
        reason: 'as the preset sets csi.rotation',
      });
  }
  return changes.length > 0 ? changes : [{ mark: '=', resource, reason: 'enabled with the wanted rotation settings' }];
}

export const aksAddonStep = defineStep<'config' | 'azure' | 'signal'>({
  id: 'aks-addon',
  title: 'AKS Key Vault add-on',
  dependsOn: [],
  appliesTo: (config) => config.target === 'azure' && (config.csi?.install ?? 'aks-addon') === 'aks-addon',
  async plan(ctx) {
    const ref = aksRef(ctx.config);
    const cluster = await requireCluster(ctx, ref.resourceGroup, ref.name);
    const current = addonSettings(cluster);
    const observed = { addon: current ?? null, etag: cluster.eTag ?? null, failed: lastOperationFailed(cluster) };
    const changes = diff(current, desiredAddon(ctx.config), ref.name);
    // The add-on PUT is a PUT of the whole cluster, so a failed one leaves the cluster Failed:
    // the same PUT again is how AKS reconciles it (what `az aks update` with no change does).
    if (lastOperationFailed(cluster))
      return fromChanges(observed, [
        ...changes.filter((c) => c.mark !== '='),
        repairChange(`AKS cluster ${ref.name}`, cluster),
      ]);
    return fromChanges(observed, changes);
  },
  async apply(ctx) {
    const ref = aksRef(ctx.config);
    const cluster = await requireCluster(ctx, ref.resourceGroup, ref.name);
    // Marked in the same PUT that turns it on, so uninstall turns off only an add-on this tool enabled.
    const tagsOf = (fresh: typeof cluster) =>
      addonSettings(fresh)?.enabled ? fresh.tags : { ...fresh.tags, [ADDON_ENABLED_TAG]: 'true' };
    await putAddon(ctx, ref.resourceGroup, cluster, desiredAddon(ctx.config), (fresh) => ({
      tags: tagsOf(fresh) ?? {},
    }));
  },
  async verify(ctx) {
    const ref = aksRef(ctx.config);
    const cluster = await requireCluster(ctx, ref.resourceGroup, ref.name);
    requireProvisioned(`AKS cluster ${ref.name}`, cluster);
    const pending = diff(addonSettings(cluster), desiredAddon(ctx.config), ref.name).filter((c) => c.mark !== '=');
    if (pending.length > 0)
      throw new UserError(
        `The ${KV_ADDON} add-on on ${ref.name} doesn't match after the update.`,
        'Run the same command again.',
      );
    return `Add-on ${KV_ADDON} enabled on ${ref.name}`;
  },
});
