/**
 * What the operator must be allowed to do, judged from the permissions API
 * (`Microsoft.Authorization/permissions`) rather than from role names: role names miss PIM
 * grants that aren't active, conditions, custom roles and a different principal in use
 *. An action is allowed when some permission entry
 * matches it (with `*` wildcards, case-insensitive) and that same entry's notActions don't.
 */
import type { Permission } from '@azure/arm-authorization';
import type { SetupConfig } from '../config/setup-config.js';
import type { CheckFacts } from './types.js';
import { parseRef, vnetRefOfSubnetId } from '../azure/network.js';

function wildcard(pattern: string): RegExp {
  const body = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 'i');
}

export function isActionAllowed(permissions: readonly Permission[], action: string): boolean {
  return permissions.some(
    (p) =>
      (p.actions ?? []).some((a) => wildcard(a).test(action)) &&
      !(p.notActions ?? []).some((n) => wildcard(n).test(action)),
  );
}

export function missingActions(permissions: readonly Permission[], actions: readonly string[]): string[] {
  return actions.filter((action) => !isActionAllowed(permissions, action));
}

/** Required actions grouped by the resource group they apply in. */
export type RequiredActions = Map<string, string[]>;

function add(map: RequiredActions, group: string, ...actions: string[]): void {
  // Resource group names are case-insensitive: reuse the spelling seen first.
  const key = [...map.keys()].find((k) => k.toLowerCase() === group.toLowerCase()) ?? group;
  map.set(key, [...new Set([...(map.get(key) ?? []), ...actions])]);
}

/** A group of another subscription is keyed by its resource ID, so its permissions are read in that subscription. */
function groupKey(config: SetupConfig, ref: { resourceGroup: string; subscriptionId?: string }): string {
  const other = ref.subscriptionId && ref.subscriptionId.toLowerCase() !== config.azure.subscriptionId.toLowerCase();
  return other ? `/subscriptions/${ref.subscriptionId}/resourceGroups/${ref.resourceGroup}` : ref.resourceGroup;
}

/** `/subscriptions/<sub>/resourceGroups/<rg>` → its parts; a bare name is a group of the connection's subscription. */
export function parseGroupKey(key: string): { resourceGroup: string; subscriptionId?: string } {
  const m = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)$/i.exec(key);
  return m ? { subscriptionId: m[1]!, resourceGroup: m[2]! } : { resourceGroup: key };
}

/** The actions the plan for this configuration needs, per resource group (see groupKey). */
export function requiredActions(config: SetupConfig, facts: Pick<CheckFacts, 'aksVnet'>): RequiredActions {
  const rg = config.azure.resourceGroup;
  const map: RequiredActions = new Map();
  add(map, rg, 'Microsoft.KeyVault/vaults/read');
  if (config.vault.create !== false) add(map, rg, 'Microsoft.KeyVault/vaults/write');
  if ((config.vault.permissionModel ?? 'rbac') === 'rbac')
    add(map, rg, 'Microsoft.Authorization/roleAssignments/write');
  else add(map, rg, 'Microsoft.KeyVault/vaults/accessPolicies/write');
  const pe = config.network?.privateEndpoint;
  if (config.target === 'azure' && pe) {
    const endpointRef = parseRef(pe.vnet, pe.resourceGroup ?? rg);
    const vnetGroup = groupKey(config, endpointRef);
    // The endpoint lives in its VNet's subscription (in the VNet's group there), else in azure.resourceGroup.
    const endpointGroup = vnetGroup.startsWith('/') ? vnetGroup : rg;
    add(
      map,
      endpointGroup,
      'Microsoft.Network/privateEndpoints/write',
      'Microsoft.Network/privateEndpoints/privateDnsZoneGroups/write',
    );
    add(
      map,
      rg,
      'Microsoft.Network/privateDnsZones/write',
      'Microsoft.Network/privateDnsZones/virtualNetworkLinks/write',
      // The zone group puts the endpoint's record into the zone; the endpoint's connection to the vault is approved by the caller.
      'Microsoft.Network/privateDnsZones/join/action',
      'Microsoft.KeyVault/vaults/privateEndpointConnectionsApproval/action',
    );
    // A zone link joins the VNet it links.
    add(
      map,
      vnetGroup,
      'Microsoft.Network/virtualNetworks/subnets/join/action',
      'Microsoft.Network/virtualNetworks/subnets/write',
      'Microsoft.Network/virtualNetworks/join/action',
    );
    const aksSubscription = facts.aksVnet ? vnetRefOfSubnetId(facts.aksVnet.id)?.subscriptionId : undefined;
    const aksGroup = facts.aksVnet
      ? groupKey(config, {
          resourceGroup: facts.aksVnet.resourceGroup ?? rg,
          ...(aksSubscription ? { subscriptionId: aksSubscription } : {}),
        })
      : rg;
    if (facts.aksVnet) add(map, aksGroup, 'Microsoft.Network/virtualNetworks/join/action');
    // Peering needs write on the local VNet and peer/action on the remote one, on both sides.
    if (facts.aksVnet && facts.aksVnet.name.toLowerCase() !== endpointRef.name.toLowerCase()) {
      const peering = [
        'Microsoft.Network/virtualNetworks/virtualNetworkPeerings/write',
        'Microsoft.Network/virtualNetworks/peer/action',
      ];
      add(map, vnetGroup, ...peering);
      add(map, aksGroup, ...peering);
    }
  }
  // Secrets go over the management plane when the vault firewall keeps the operator out.
  if ((config.secrets?.sources.length ?? 0) > 0) add(map, rg, 'Microsoft.KeyVault/vaults/secrets/write');
  const aks = config.cluster?.aks;
  if (aks && config.csi?.install === 'aks-addon')
    add(map, aks.resourceGroup, 'Microsoft.ContainerService/managedClusters/write');
  if (config.identity?.mode === 'workload-identity') {
    add(
      map,
      rg,
      'Microsoft.ManagedIdentity/userAssignedIdentities/write',
      'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials/write',
    );
  }
  return map;
}

/**
 * The grant that closes the gap, per resource group: the smallest built-in role that holds
 * the missing actions (Contributor can't write role assignments; RBAC Administrator can only
 * do that). The judgement above never looks at role names; only this suggestion names them.
 */
export function grantCommands(
  missing: ReadonlyMap<string, readonly string[]>,
  subscriptionId: string,
  assignee: string,
): string {
  const commands: string[] = [];
  for (const [group, actions] of missing) {
    const authorization = actions.some((a) => /^Microsoft\.Authorization\//i.test(a));
    const other = actions.some((a) => !/^Microsoft\.Authorization\//i.test(a));
    const roles = [
      ...(other ? ['Contributor'] : []),
      ...(authorization ? ['Role Based Access Control Administrator'] : []),
    ];
    for (const role of roles) {
      const scope = group.startsWith('/') ? group : `/subscriptions/${subscriptionId}/resourceGroups/${group}`;
      commands.push(`az role assignment create --role "${role}" ${assignee} --scope ${scope}`);
    }
  }
  return commands.join(' && ');
}
