/**
 * The AKS Key Vault add-on, only when this tool turned it on (the cluster's
 * feathr-kv-setup.addon-enabled tag, written in the same PUT that enabled it). An add-on that
 * was on before stays on: other workloads may mount secrets through it.
 */
import { addonSettings, getCluster, KV_ADDON } from '../azure/aks.js';
import { aksRef } from '../steps/topology.js';
import { ADDON_ENABLED_TAG } from '../domain/ownership.js';
import { disableAddon } from '../azure/removal-calls.js';
import { defineRemoval, keepItem, removeItem } from './removal.js';
import { REMOVE_ROLES } from './role-assignments.js';

const DISABLE_ADDON = 'disable-aks-addon';

export const disableAksAddonStep = defineRemoval<'config' | 'azure' | 'signal'>({
  id: DISABLE_ADDON,
  title: 'AKS Key Vault add-on',
  // After the role assignment on the add-on's identity: turning it off deletes that identity.
  dependsOn: [REMOVE_ROLES],
  appliesTo: (config) => config.target === 'azure' && Boolean(config.cluster?.aks),
  done: 'AKS Key Vault add-on off',
  async inspect(ctx) {
    const ref = aksRef(ctx.config);
    const cluster = await getCluster(ctx, ref.resourceGroup, ref.name);
    if (!cluster) return { observed: { cluster: null }, items: [] };
    const enabled = addonSettings(cluster)?.enabled === true;
    const tagged = cluster.tags?.[ADDON_ENABLED_TAG] === 'true';
    const resource = `AKS cluster ${ref.name} addon ${KV_ADDON}`;
    const observed = { enabled, tagged };
    const { [ADDON_ENABLED_TAG]: _mark, ...rest } = cluster.tags ?? {};
    if (enabled && tagged)
      return {
        observed,
        items: [
          removeItem(resource, 'turned on by this tool', () =>
            disableAddon(ctx, ref.resourceGroup, cluster, rest).then(() => undefined),
          ),
        ],
      };
    if (tagged)
      return {
        observed,
        items: [
          removeItem(
            `tag ${ADDON_ENABLED_TAG} on AKS cluster ${ref.name}`,
            'the add-on is already off; only our mark is left',
            () => disableAddon(ctx, ref.resourceGroup, cluster, rest).then(() => undefined),
          ),
        ],
      };
    return {
      observed,
      items: enabled ? [keepItem(resource, 'was on before this tool: other workloads may use it')] : [],
    };
  },
});
