/**
 * Microsoft.ContainerService/managedClusters: GET, list, PUT (LRO) of an existing cluster, the
 * way the CLI enables the Key Vault add-on (GET → edit addonProfiles → PUT). Enabling
 * `azureKeyvaultSecretsProvider` creates the user-assigned identity
 * `azurekeyvaultsecretsprovider-<cluster>` in the node resource group, registers it as a
 * principal that acts from the cluster's nodes, and reports it read-only under
 * `addonProfiles.azureKeyvaultSecretsProvider.identity`. Config values are strings. The OIDC
 * issuer can't be turned off once on, and workload identity needs it.
 */
import { randomUUID } from 'node:crypto';
import type { ArmResource, NetworkPosition, SandboxState } from '../world/state.js';
import { fail, json, type ArmCall } from './call.js';
import {
  deleteResource,
  getResource,
  notFound,
  props,
  putResource,
  resourceGroupId,
  resourcesOfType,
  clone,
} from './store.js';
import { ensureIdentity } from './identities.js';
import { parseIpv4Cidr, numberToIpv4 } from './ip.js';
import { lroResponse } from './lro.js';
import type { ArmRoute } from './router.js';

const CLUSTER_TYPE = 'Microsoft.ContainerService/ManagedClusters';
export const KV_ADDON = 'azureKeyvaultSecretsProvider';
const CLUSTERS = '/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerService/managedClusters';
const CLUSTER = `${CLUSTERS}/{name}`;
const DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;

/** Where the cluster's nodes sit: their VNet, a node IP and the public egress IP of the load balancer. */
export function nodePosition(state: SandboxState, cluster: ArmResource): NetworkPosition {
  const p = props(cluster);
  const subnetId: string | undefined = p.agentPoolProfiles?.[0]?.vnetSubnetID;
  const egressId: string | undefined = p.networkProfile?.loadBalancerProfile?.effectiveOutboundIPs?.[0]?.id;
  const egressIp = String(props(egressId ? getResource(state, egressId) : undefined).ipAddress ?? '');
  const subnet = subnetId ? getResource(state, subnetId) : undefined;
  const range = parseIpv4Cidr(String(props(subnet).addressPrefix ?? ''));
  if (!subnetId || !range) return { kind: 'external', egressIp };
  return {
    kind: 'vnet',
    vnetId: subnetId.slice(0, subnetId.toLowerCase().indexOf('/subnets/')),
    privateIp: numberToIpv4(range.start + 4),
    egressIp,
  };
}

export interface ClusterSeed {
  resourceGroup: string;
  name: string;
  location: string;
  vnetSubnetId: string;
  egressIp: string;
  oidcIssuer: boolean;
  kubernetesVersion?: string;
  serviceCidr?: string;
  podCidr?: string;
}

/** AKS's default DNS service IP: the tenth address of the service range. */
function dnsServiceIp(serviceCidr: string): string {
  const range = parseIpv4Cidr(serviceCidr);
  return range ? numberToIpv4(range.start + 10) : '10.0.0.10';
}

/** Builds an existing cluster for a world: node resource group, egress public IP, the cluster resource. */
export function seedManagedCluster(state: SandboxState, seed: ClusterSeed): ArmResource {
  const nodeResourceGroup = `MC_${seed.resourceGroup}_${seed.name}_${seed.location}`;
  const nodeGroupId = `/subscriptions/${state.subscriptionId}/resourceGroups/${nodeResourceGroup}`;
  putResource(state, {
    id: nodeGroupId,
    name: nodeResourceGroup,
    type: 'Microsoft.Resources/resourceGroups',
    location: seed.location,
    managedBy: `${resourceGroupId(state, seed.resourceGroup)}/providers/Microsoft.ContainerService/managedClusters/${seed.name}`,
    tags: {},
    properties: { provisioningState: 'Succeeded' },
  });
  const ipId = `${nodeGroupId}/providers/Microsoft.Network/publicIPAddresses/${randomUUID()}`;
  putResource(state, {
    id: ipId,
    name: ipId.split('/').pop()!,
    type: 'Microsoft.Network/publicIPAddresses',
    location: seed.location,
    properties: {
      ipAddress: seed.egressIp,
      publicIPAllocationMethod: 'Static',
      publicIPAddressVersion: 'IPv4',
      provisioningState: 'Succeeded',
    },
  });
  const version = seed.kubernetesVersion ?? '1.32.3';
  const kubelet = ensureIdentity(state, nodeResourceGroup, `${seed.name}-agentpool`, seed.location);
  return putResource(state, {
    id: `${resourceGroupId(state, seed.resourceGroup)}/providers/Microsoft.ContainerService/managedClusters/${seed.name}`,
    name: seed.name,
    type: CLUSTER_TYPE,
    location: seed.location,
    tags: {},
    eTag: randomUUID(),
    identity: { type: 'SystemAssigned', principalId: randomUUID(), tenantId: state.tenantId },
    sku: { name: 'Base', tier: 'Free' },
    properties: {
      provisioningState: 'Succeeded',
      powerState: { code: 'Running' },
      kubernetesVersion: version,
      currentKubernetesVersion: version,
      dnsPrefix: `${seed.name}-dns`,
      fqdn: `${seed.name}-dns-${randomUUID().slice(0, 8)}.hcp.${seed.location}.azmk8s.io`,
      agentPoolProfiles: [
        {
          name: 'nodepool1',
          count: 2,
          vmSize: 'Standard_D2s_v3',
          osType: 'Linux',
          osSKU: 'Ubuntu',
          mode: 'System',
          type: 'VirtualMachineScaleSets',
          maxPods: 30,
          vnetSubnetID: seed.vnetSubnetId,
          orchestratorVersion: version,
          provisioningState: 'Succeeded',
          powerState: { code: 'Running' },
        },
      ],
      nodeResourceGroup,
      enableRBAC: true,
      networkProfile: {
        networkPlugin: 'azure',
        loadBalancerSku: 'standard',
        outboundType: 'loadBalancer',
        serviceCidr: seed.serviceCidr ?? '10.0.0.0/16',
        serviceCidrs: [seed.serviceCidr ?? '10.0.0.0/16'],
        dnsServiceIP: dnsServiceIp(seed.serviceCidr ?? '10.0.0.0/16'),
        ...(seed.podCidr ? { podCidr: seed.podCidr, podCidrs: [seed.podCidr], networkPluginMode: 'overlay' } : {}),
        loadBalancerProfile: { managedOutboundIPs: { count: 1 }, effectiveOutboundIPs: [{ id: ipId }] },
      },
      addonProfiles: {},
      oidcIssuerProfile: seed.oidcIssuer
        ? {
            enabled: true,
            issuerURL: `https://${seed.location}.oic.prod-aks.azure.com/${state.tenantId}/${randomUUID()}/`,
          }
        : { enabled: false },
      securityProfile: {},
      identityProfile: {
        kubeletidentity: {
          resourceId: kubelet.id,
          clientId: props(kubelet).clientId,
          objectId: props(kubelet).principalId,
        },
      },
    },
  });
}

function requireCluster(call: ArmCall): ArmResource {
  const cluster = getResource(
    call.ctx.state,
    `${resourceGroupId(call.ctx.state, call.params.rg, call.params.sub)}/providers/Microsoft.ContainerService/managedClusters/${call.params.name}`,
  );
  if (!cluster) notFound('Microsoft.ContainerService/managedClusters', call.params.name, call.params.rg);
  return cluster;
}

export function keyVaultAddonProfile(
  state: SandboxState,
  cluster: ArmResource,
  requested: Record<string, any> | undefined,
  previous: Record<string, any> | undefined,
): Record<string, any> | undefined {
  if (!requested) return undefined;
  const config = (requested.config ?? {}) as Record<string, unknown>;
  for (const [key, value] of Object.entries(config)) {
    if (typeof value !== 'string')
      fail(
        400,
        'InvalidRequestContent',
        `The request content was invalid and could not be deserialized: addonProfiles.${KV_ADDON}.config.${key} must be a string (e.g. "true", "2m").`,
      );
  }
  if (config.enableSecretRotation !== undefined && !['true', 'false'].includes(String(config.enableSecretRotation))) {
    fail(400, 'BadRequest', `addonProfiles.${KV_ADDON}.config.enableSecretRotation must be "true" or "false".`);
  }
  if (config.rotationPollInterval !== undefined && !DURATION.test(String(config.rotationPollInterval))) {
    fail(
      400,
      'BadRequest',
      `addonProfiles.${KV_ADDON}.config.rotationPollInterval '${config.rotationPollInterval}' is not a valid duration such as "2m".`,
    );
  }
  const p = props(cluster);
  const identityName = `azurekeyvaultsecretsprovider-${cluster.name}`.toLowerCase();
  if (requested.enabled !== true) {
    const old = previous?.identity?.resourceId;
    if (old) deleteResource(state, old);
    return { enabled: false, config: requested.config ?? null };
  }
  const identity = ensureIdentity(state, p.nodeResourceGroup, identityName, cluster.location ?? 'eastus', {
    position: nodePosition(state, cluster),
  });
  return {
    enabled: true,
    config: { enableSecretRotation: 'false', rotationPollInterval: '2m', ...config },
    identity: { resourceId: identity.id, clientId: props(identity).clientId, objectId: props(identity).principalId },
  };
}

/** An add-on profile by key, compared ignoring case as AKS does. */
function addonOf(profiles: Record<string, any> | undefined, key: string): Record<string, any> | undefined {
  const found = Object.keys(profiles ?? {}).find((candidate) => candidate.toLowerCase() === key.toLowerCase());
  return found ? profiles![found] : undefined;
}

/**
 * Add-on keys are one namespace ignoring case: a key sent in another case than the stored one
 * names the same add-on (the stored case is kept); two keys differing only in case are refused.
 */
function mergeAddonKeys(requested: Record<string, any>, stored: Record<string, any>): Record<string, any> {
  const merged: Record<string, any> = {};
  for (const [key, profile] of Object.entries(requested)) {
    const clash = Object.keys(merged).find((other) => other.toLowerCase() === key.toLowerCase());
    if (clash)
      fail(
        400,
        'BadRequest',
        `Add-on profiles '${clash}' and '${key}' name the same add-on; send it once. (sandbox: exact Azure text unverified)`,
      );
    merged[Object.keys(stored).find((other) => other.toLowerCase() === key.toLowerCase()) ?? key] = profile;
  }
  return merged;
}

/** If-Match: a stale ETag is refused with 412, so a PUT never overwrites a change it didn't see. */
function requireEtag(call: ArmCall, existing: ArmResource): void {
  const wanted = call.req.headers['if-match'];
  if (!wanted || wanted.trim() === '*') return;
  const bare = (value: string) => value.trim().replace(/^W\//, '').replace(/^"|"$/g, '');
  if (bare(wanted) !== bare(String(existing.eTag ?? ''))) {
    fail(
      412,
      'PreconditionFailed',
      `Operation is not allowed: the If-Match ETag '${wanted}' doesn't match the managed cluster's current ETag '${existing.eTag}'. (sandbox: exact Azure text unverified)`,
    );
  }
}

function putCluster(call: ArmCall) {
  const { state } = call.ctx;
  const existing = getResource(
    state,
    `${resourceGroupId(state, call.params.rg, call.params.sub)}/providers/Microsoft.ContainerService/managedClusters/${call.params.name}`,
  );
  if (!existing) {
    fail(
      400,
      'BadRequest',
      `Creating managed clusters isn't simulated by the sandbox; describe cluster '${call.params.name}' in a world file (--world) instead.`,
    );
  }
  const body = call.body();
  if (typeof body.location === 'string' && body.location.toLowerCase().replace(/\s+/g, '') !== existing.location) {
    fail(
      400,
      'InvalidResourceLocation',
      `The resource '${existing.name}' already exists in location '${existing.location}' in resource group '${call.params.rg}'. A resource with the same name cannot be created in location '${body.location}'. Please select a new resource name.`,
    );
  }
  requireEtag(call, existing);
  // A PUT carries the whole cluster: writable properties it leaves out are reset, as ARM does.
  const requested = (body.properties ?? {}) as Record<string, any>;
  const current = props(existing);
  const oidcWanted = requested.oidcIssuerProfile?.enabled ?? false;
  if (current.oidcIssuerProfile?.enabled === true && oidcWanted === false)
    fail(400, 'BadRequest', 'The OIDC issuer feature cannot be disabled once it has been enabled.');
  const workloadIdentity = requested.securityProfile?.workloadIdentity?.enabled ?? false;
  if (workloadIdentity && !oidcWanted)
    fail(
      400,
      'BadRequest',
      'Enabling workload identity requires the OIDC issuer: set properties.oidcIssuerProfile.enabled to true.',
    );
  const addonProfiles = mergeAddonKeys(requested.addonProfiles ?? {}, current.addonProfiles ?? {});
  const kvKey = Object.keys(addonProfiles).find((key) => key.toLowerCase() === KV_ADDON.toLowerCase());
  if (kvKey)
    addonProfiles[kvKey] = keyVaultAddonProfile(
      state,
      existing,
      addonProfiles[kvKey],
      addonOf(current.addonProfiles, KV_ADDON),
    );
  const updated: ArmResource = {
    ...existing,
    tags: body.tags ?? {},
    eTag: randomUUID(),
    properties: {
      ...current,
      ...(requested.kubernetesVersion ? { kubernetesVersion: requested.kubernetesVersion } : {}),
      addonProfiles,
      oidcIssuerProfile: oidcWanted
        ? {
            enabled: true,
            issuerURL:
              current.oidcIssuerProfile?.issuerURL ??
              `https://${existing.location}.oic.prod-aks.azure.com/${state.tenantId}/${randomUUID()}/`,
          }
        : { enabled: false },
      securityProfile: {
        ...(requested.securityProfile ?? {}),
        ...(workloadIdentity ? { workloadIdentity: { enabled: true } } : {}),
      },
      provisioningState: 'Updating',
    },
  };
  putResource(state, updated);
  return lroResponse(call, 200, clone(updated), updated.id, {
    provider: 'Microsoft.ContainerService',
    location: existing.location ?? 'eastus',
  });
}

export const managedClusterRoutes: ArmRoute[] = [
  {
    methods: ['GET'],
    pattern: CLUSTERS,
    action: 'Microsoft.ContainerService/managedClusters/read',
    handle: (call) =>
      json(200, {
        value: resourcesOfType(
          call.ctx.state,
          CLUSTER_TYPE,
          resourceGroupId(call.ctx.state, call.params.rg, call.params.sub),
        ).map(clone),
      }),
  },
  {
    methods: ['GET'],
    pattern: '/subscriptions/{sub}/providers/Microsoft.ContainerService/managedClusters',
    action: 'Microsoft.ContainerService/managedClusters/read',
    handle: (call) => json(200, { value: resourcesOfType(call.ctx.state, CLUSTER_TYPE).map(clone) }),
  },
  {
    methods: ['GET'],
    pattern: CLUSTER,
    action: 'Microsoft.ContainerService/managedClusters/read',
    handle: (call) => json(200, clone(requireCluster(call))),
  },
  {
    methods: ['PUT'],
    pattern: CLUSTER,
    action: 'Microsoft.ContainerService/managedClusters/write',
    handle: putCluster,
  },
];
