/**
 * Builds a SandboxState from a world spec: principals and their tokens, resource groups,
 * VNets, AKS clusters, live and soft-deleted vaults with secrets, role assignments, and the
 * simulated Kubernetes clusters. Resources are stored in the shapes ARM's GET returns.
 */
import { createHash, randomUUID } from 'node:crypto';
import { seedManagedCluster, keyVaultAddonProfile, KV_ADDON } from '../arm/managed-clusters.js';
import { ROLE_ASSIGNMENT_TYPE } from '../arm/rbac.js';
import { BUILT_IN_ROLES } from '../arm/role-definitions.js';
import { findVaultByName, softDeleteVault, VAULT_TYPE, vaultUri } from '../arm/vaults.js';
import { findPrincipal, registerPrincipal } from '../auth.js';
import { createFaultPlan } from '../faults.js';
import { addSecretVersion } from '../keyvault/secret-store.js';
import { buildClusters } from './build-clusters.js';
import type { ArmResource, NetworkPosition, SandboxState } from './state.js';
import type { WorldSpec } from './spec.js';

const OPERATOR_OBJECT_ID = '00000000-0000-0000-0000-00000000a001';
/** The Azure CLI's public client id: what an operator's `az login` token carries. */
const AZURE_CLI_CLIENT_ID = '04b07795-8ddb-461a-bbee-02f9e1bf7b46';

/** A stable GUID from text, so world role assignments keep their names across resets. */
function stableGuid(text: string): string {
  const hex = createHash('sha256').update(text).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function emptyState(tenantId: string, subscriptionId: string): SandboxState {
  return {
    tenantId,
    subscriptionId,
    subscriptions: new Map([
      [subscriptionId.toLowerCase(), { id: subscriptionId, tenantId, name: 'Sandbox subscription' }],
    ]),
    operatorId: '',
    principals: new Map(),
    tokens: new Map(),
    resources: new Map(),
    deletedVaults: new Map(),
    vaultSecrets: new Map(),
    clusters: new Map(),
    requestLog: [],
    rbacPropagationSeconds: 0,
    roleAssignmentEffectiveAt: new Map(),
    operations: new Map(),
  };
}

function put(state: SandboxState, resource: ArmResource): void {
  state.resources.set(resource.id.toLowerCase(), resource);
}

function positionOf(entry: { publicIp?: string; egressIp?: string }): NetworkPosition {
  if (entry.egressIp) return { kind: 'external', egressIp: entry.egressIp };
  return { kind: 'internet', publicIp: entry.publicIp ?? '198.51.100.23' };
}

function rgId(state: SandboxState, name: string, subscriptionId = state.subscriptionId): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${name}`;
}

function locationOf(state: SandboxState, resourceGroup: string, location?: string, subscriptionId?: string): string {
  return (
    location ??
    state.resources.get(rgId(state, resourceGroup, subscriptionId).toLowerCase())?.location ??
    'eastus'
  ).toLowerCase();
}

function assignRole(
  state: SandboxState,
  principalId: string,
  role: string,
  scope: string,
  effectiveAt = 0,
): ArmResource {
  const definition = BUILT_IN_ROLES.find(
    (candidate) => candidate.roleName.toLowerCase() === role.toLowerCase() || candidate.name === role.toLowerCase(),
  );
  if (!definition) throw new Error(`The sandbox doesn't know the role "${role}".`);
  const name = stableGuid(`${scope.toLowerCase()}|${principalId}|${definition.name}`);
  const id = `${scope === '/' ? '' : scope}/providers/Microsoft.Authorization/roleAssignments/${name}`;
  const principal = state.principals.get(principalId);
  const assignment: ArmResource = {
    id,
    name,
    type: ROLE_ASSIGNMENT_TYPE,
    properties: {
      roleDefinitionId: `/subscriptions/${state.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${definition.name}`,
      principalId,
      principalType: principal?.type ?? 'ServicePrincipal',
      scope,
      condition: null,
      conditionVersion: null,
      createdOn: new Date(0).toISOString(),
      updatedOn: new Date(0).toISOString(),
    },
  };
  put(state, assignment);
  state.roleAssignmentEffectiveAt.set(id.toLowerCase(), effectiveAt);
  return assignment;
}

export function buildWorld(spec: WorldSpec, options: { baseUrl: string; now?: number }): SandboxState {
  const now = options.now ?? Date.now();
  const state = emptyState(spec.tenantId, spec.subscriptionId);
  state.rbacPropagationSeconds = spec.rbacPropagationSeconds;
  state.armThrottling = spec.armThrottling;
  state.faults = createFaultPlan({ faults: spec.faults, latency: spec.latency, seed: spec.seed });
  for (const sub of spec.subscriptions)
    state.subscriptions.set(sub.id.toLowerCase(), { id: sub.id, tenantId: sub.tenantId, name: sub.name });

  const operator = registerPrincipal(state, {
    displayName: spec.operator.name,
    type: 'User',
    objectId: spec.operator.objectId ?? OPERATOR_OBJECT_ID,
    clientId: spec.operator.clientId ?? AZURE_CLI_CLIENT_ID,
    position: { kind: 'internet', publicIp: spec.operator.publicIp },
  });
  state.operatorId = operator.objectId;
  // The operator is Owner of every subscription of the world (a member or guest of each tenant).
  for (const sub of state.subscriptions.values())
    assignRole(state, operator.objectId, 'Owner', `/subscriptions/${sub.id}`);
  for (const entry of spec.principals) {
    registerPrincipal(state, {
      displayName: entry.name,
      type: entry.type,
      objectId: entry.objectId ?? randomUUID(),
      clientId: entry.clientId,
      clientSecret: entry.clientSecret,
      position: positionOf(entry),
    });
  }

  for (const group of spec.resourceGroups) {
    put(state, {
      id: rgId(state, group.name, group.subscriptionId),
      name: group.name,
      type: 'Microsoft.Resources/resourceGroups',
      location: group.location.toLowerCase(),
      tags: group.tags ?? {},
      properties: { provisioningState: 'Succeeded' },
    });
  }

  for (const vnet of spec.virtualNetworks) {
    const id = `${rgId(state, vnet.resourceGroup, vnet.subscriptionId)}/providers/Microsoft.Network/virtualNetworks/${vnet.name}`;
    put(state, {
      id,
      name: vnet.name,
      type: 'Microsoft.Network/virtualNetworks',
      location: locationOf(state, vnet.resourceGroup, vnet.location, vnet.subscriptionId),
      tags: {},
      etag: `W/"${randomUUID()}"`,
      properties: {
        addressSpace: { addressPrefixes: vnet.addressPrefixes },
        ...(vnet.dnsServers.length > 0 ? { dhcpOptions: { dnsServers: [...vnet.dnsServers] } } : {}),
        resourceGuid: randomUUID(),
        enableDdosProtection: false,
        provisioningState: 'Succeeded',
      },
    });
    for (const subnet of vnet.subnets) {
      put(state, {
        id: `${id}/subnets/${subnet.name}`,
        name: subnet.name,
        type: 'Microsoft.Network/virtualNetworks/subnets',
        etag: `W/"${randomUUID()}"`,
        properties: {
          addressPrefix: subnet.addressPrefix,
          privateEndpointNetworkPolicies: 'Disabled',
          privateLinkServiceNetworkPolicies: 'Enabled',
          delegations: [],
          provisioningState: 'Succeeded',
        },
      });
    }
  }

  for (const zone of spec.privateDnsZones) {
    const id = `${rgId(state, zone.resourceGroup, zone.subscriptionId)}/providers/Microsoft.Network/privateDnsZones/${zone.name}`;
    put(state, {
      id,
      name: zone.name,
      type: 'Microsoft.Network/privateDnsZones',
      location: 'global',
      tags: {},
      etag: randomUUID(),
      properties: {
        maxNumberOfRecordSets: 25000,
        maxNumberOfVirtualNetworkLinks: 1000,
        maxNumberOfVirtualNetworkLinksWithRegistration: 100,
        provisioningState: 'Succeeded',
      },
    });
    for (const link of zone.links) {
      put(state, {
        id: `${id}/virtualNetworkLinks/${link.name}`,
        name: link.name,
        type: 'Microsoft.Network/privateDnsZones/virtualNetworkLinks',
        location: 'global',
        tags: {},
        etag: randomUUID(),
        properties: {
          virtualNetwork: {
            id: `${rgId(state, link.vnetResourceGroup, link.vnetSubscriptionId)}/providers/Microsoft.Network/virtualNetworks/${link.vnet}`,
          },
          registrationEnabled: false,
          resolutionPolicy: 'Default',
          virtualNetworkLinkState: 'Completed',
          provisioningState: 'Succeeded',
        },
      });
    }
  }

  for (const aks of spec.aksClusters) {
    const location = locationOf(state, aks.resourceGroup, aks.location);
    const subnetId = `${rgId(state, aks.resourceGroup)}/providers/Microsoft.Network/virtualNetworks/${aks.vnet}/subnets/${aks.subnet}`;
    const cluster = seedManagedCluster(state, {
      resourceGroup: aks.resourceGroup,
      name: aks.name,
      location,
      vnetSubnetId: subnetId,
      egressIp: aks.egressIp,
      oidcIssuer: aks.oidcIssuer,
      serviceCidr: aks.serviceCidr,
      ...(aks.podCidr ? { podCidr: aks.podCidr } : {}),
    });
    if (aks.keyVaultAddon)
      (cluster.properties as Record<string, any>).addonProfiles[KV_ADDON] = keyVaultAddonProfile(
        state,
        cluster,
        { enabled: true },
        undefined,
      );
  }

  for (const vault of spec.vaults) {
    const location = locationOf(state, vault.resourceGroup, vault.location, vault.subscriptionId);
    const resource: ArmResource = {
      id: `${rgId(state, vault.resourceGroup, vault.subscriptionId)}/providers/Microsoft.KeyVault/vaults/${vault.name}`,
      name: vault.name,
      type: VAULT_TYPE,
      location,
      tags: { ...vault.tags },
      systemData: {
        createdBy: spec.operator.name,
        createdByType: 'User',
        createdAt: new Date(now - 30 * 86_400_000).toISOString(),
      },
      properties: {
        sku: { family: 'A', name: 'standard' },
        tenantId: state.subscriptions.get((vault.subscriptionId ?? state.subscriptionId).toLowerCase())!.tenantId,
        accessPolicies: [],
        enabledForDeployment: false,
        enabledForDiskEncryption: false,
        enabledForTemplateDeployment: false,
        enableSoftDelete: true,
        softDeleteRetentionInDays: vault.softDeleteRetentionInDays,
        enableRbacAuthorization: vault.rbac,
        ...(vault.purgeProtection ? { enablePurgeProtection: true } : {}),
        publicNetworkAccess: vault.publicNetworkAccess,
        vaultUri: vaultUri(options.baseUrl, vault.name),
        provisioningState: 'Succeeded',
      },
    };
    if (findVaultByName(state, vault.name) || state.deletedVaults.has(vault.name.toLowerCase()))
      throw new Error(`The world names vault "${vault.name}" twice; vault names are global.`);
    put(state, resource);
    for (const [name, value] of Object.entries(vault.secrets))
      addSecretVersion(state, vault.name, name, value, { nowSeconds: Math.floor((now - 30 * 86_400_000) / 1000) });
    // A deleted vault was deleted three days ago, so its purge date is in the future.
    if (vault.deleted) softDeleteVault(state, resource, now - 3 * 86_400_000);
  }

  for (const entry of spec.roleAssignments) {
    const principal = findPrincipal(state, entry.principal);
    if (!principal)
      throw new Error(`Role assignment names principal "${entry.principal}", which the world doesn't define.`);
    assignRole(state, principal.objectId, entry.role, entry.scope);
  }

  // Last: an AKS cluster's nodes take their subnet and egress IP from the ARM resources above.
  state.clusters = buildClusters(state, spec.clusters, now);
  return state;
}

/**
 * Replaces the world in place (POST /_sandbox/reset), keeping the tokens of principals that
 * exist in both worlds so CLIs already holding a token keep working.
 */
export function replaceWorld(state: SandboxState, fresh: SandboxState): void {
  for (const principal of fresh.principals.values()) {
    const old = state.principals.get(principal.objectId);
    if (old) {
      fresh.tokens.delete(principal.token);
      principal.token = old.token;
      fresh.tokens.set(principal.token, principal.objectId);
      for (const [tenant, token] of old.tenantTokens ?? []) {
        (principal.tenantTokens ??= new Map()).set(tenant, token);
        fresh.tokens.set(token, principal.objectId);
      }
    }
  }
  Object.assign(state, fresh);
}
