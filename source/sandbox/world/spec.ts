/**
 * The world-file format (`sandbox serve --world FILE`, YAML or JSON), validated with zod; unknown
 * keys are errors. The default world is one value of this same shape.
 *
 * ```yaml
 * version: 1
 * tenantId: 00000000-0000-0000-0000-0000000000aa
 * subscriptionId: 00000000-0000-0000-0000-00000000feed
 * subscriptions:                     # more subscriptions, each trusting one tenant (the default one above is implied)
 *   - { id: 00000000-0000-0000-0000-00000000beef, tenantId: 00000000-0000-0000-0000-0000000000bb, name: spoke }
 * rbacPropagationSeconds: 0          # delay before new role assignments reach the data plane
 * faults: "arm-write:429@0.1"        # same grammar as --faults (flags win over the file)
 * latency: "lro=200"                 # same grammar as --latency
 * seed: 1
 * operator: { name: operator, publicIp: 203.0.113.7 }   # Owner on the subscription
 * principals:                        # extra principals (service principals, users)
 *   - { name: feathr-sp, type: ServicePrincipal, clientSecret: "...", egressIp: 52.14.20.1 }
 * resourceGroups: [{ name: feathr-rg, location: eastus }]
 * virtualNetworks:
 *   - { name: aks-vnet, resourceGroup: feathr-rg, addressPrefixes: [10.10.0.0/16], subnets: [{ name: nodes, addressPrefix: 10.10.0.0/20 }] }
 * aksClusters:
 *   - { name: feathr-aks, resourceGroup: feathr-rg, vnet: aks-vnet, subnet: nodes, egressIp: 20.81.5.10, oidcIssuer: true, keyVaultAddon: false }
 * vaults:
 *   - { name: feathr-kv-old, resourceGroup: feathr-rg, deleted: true, secrets: { FEATHRCI-HOST: feathrci.sandbox.test } }
 * roleAssignments:
 *   - { principal: feathr-sp, role: Key Vault Secrets User, scope: /subscriptions/.../vaults/x }
 * clusters:                          # the simulated Kubernetes clusters (format: cluster-spec.ts)
 *   - { context: feathr-aks, kind: aks, managedCluster: { resourceGroup: feathr-rg, name: feathr-aks } }
 * # without clusters: the default world's two clusters; `simulatedClusters: none` for no clusters at all
 * ```
 */
import { z } from 'zod';
import { defaultClusterSpecs } from '../cluster/default-clusters.js';
import { clusterDuplicates, clusterSpecSchema } from './cluster-spec.js';

const guid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a GUID');
const ipv4 = z.string().regex(/^(\d{1,3}\.){3}\d{1,3}$/, 'must be an IPv4 address');
const cidr = z.string().regex(/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/, 'must be IPv4 CIDR such as 10.0.0.0/16');

const principal = z.strictObject({
  name: z.string().min(1),
  type: z.enum(['User', 'ServicePrincipal']).default('ServicePrincipal'),
  objectId: guid.optional(),
  clientId: guid.optional(),
  clientSecret: z.string().min(1).optional(),
  /** A caller on the internet with this address. */
  publicIp: ipv4.optional(),
  /** A caller outside Azure (another cloud) leaving through this address. */
  egressIp: ipv4.optional(),
});

/** A resource's subscription; absent: the world's default `subscriptionId`. */
const inSubscription = { subscriptionId: guid.optional() };

const worldObject = z.strictObject({
  version: z.literal(1),
  tenantId: guid,
  subscriptionId: guid,
  /** Further subscriptions, each in its tenant; tokens of one tenant are refused by another's subscriptions. */
  subscriptions: z.array(z.strictObject({ id: guid, tenantId: guid, name: z.string().min(1) })).default([]),
  rbacPropagationSeconds: z.number().min(0).default(0),
  /** ARM's subscription throttling (token buckets, 429 + Retry-After); false turns it off. */
  armThrottling: z.boolean().default(true),
  faults: z.string().optional(),
  latency: z.string().optional(),
  seed: z.number().int().optional(),
  operator: z.strictObject({
    name: z.string().default('operator'),
    publicIp: ipv4,
    objectId: guid.optional(),
    clientId: guid.optional(),
  }),
  principals: z.array(principal).default([]),
  resourceGroups: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        location: z.string().min(1),
        tags: z.record(z.string(), z.string()).optional(),
        ...inSubscription,
      }),
    )
    .default([]),
  virtualNetworks: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        resourceGroup: z.string().min(1),
        ...inSubscription,
        location: z.string().optional(),
        addressPrefixes: z.array(cidr).min(1),
        subnets: z.array(z.strictObject({ name: z.string().min(1), addressPrefix: cidr })).default([]),
        /** Custom DNS servers (dhcpOptions.dnsServers): the VNet no longer uses Azure DNS, so zone links don't apply. */
        dnsServers: z.array(ipv4).default([]),
      }),
    )
    .default([]),
  /** Private DNS zones that exist before the run (e.g. a hub's privatelink.vaultcore.azure.net) and their VNet links. */
  privateDnsZones: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        resourceGroup: z.string().min(1),
        ...inSubscription,
        links: z
          .array(
            z.strictObject({
              name: z.string().min(1),
              vnet: z.string().min(1),
              vnetResourceGroup: z.string().min(1),
              vnetSubscriptionId: guid.optional(),
            }),
          )
          .default([]),
      }),
    )
    .default([]),
  aksClusters: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        resourceGroup: z.string().min(1),
        location: z.string().optional(),
        vnet: z.string().min(1),
        subnet: z.string().min(1),
        egressIp: ipv4,
        oidcIssuer: z.boolean().default(true),
        keyVaultAddon: z.boolean().default(false),
        /** Kubernetes service range (AKS default 10.0.0.0/16). */
        serviceCidr: z
          .string()
          .regex(/^\d+\.\d+\.\d+\.\d+\/\d+$/)
          .default('10.0.0.0/16'),
        /** Pod range of an overlay (kubenet / CNI overlay) cluster; absent with Azure CNI, whose pods take VNet IPs. */
        podCidr: z
          .string()
          .regex(/^\d+\.\d+\.\d+\.\d+\/\d+$/)
          .optional(),
      }),
    )
    .default([]),
  vaults: z
    .array(
      z.strictObject({
        name: z.string().min(3).max(24),
        resourceGroup: z.string().min(1),
        ...inSubscription,
        location: z.string().optional(),
        rbac: z.boolean().default(true),
        purgeProtection: z.boolean().default(false),
        publicNetworkAccess: z.enum(['Enabled', 'Disabled']).default('Enabled'),
        softDeleteRetentionInDays: z.number().int().min(7).max(90).default(90),
        /** Soft-deleted (recoverable) instead of live. */
        deleted: z.boolean().default(false),
        secrets: z.record(z.string(), z.string()).default({}),
        tags: z.record(z.string(), z.string()).default({}),
      }),
    )
    .default([]),
  roleAssignments: z
    .array(z.strictObject({ principal: z.string().min(1), role: z.string().min(1), scope: z.string().startsWith('/') }))
    .default([]),
  clusters: z.array(clusterSpecSchema).optional(),
  /** Only when `clusters` is absent: `default` or `none`. */
  simulatedClusters: z.enum(['default', 'none']).optional(),
});

type WorldObject = z.infer<typeof worldObject>;
type Issue = { path: Array<string | number>; message: string };

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The clusters the world ends up with, and whether the file named them or they come by default. */
function effectiveClusters(world: WorldObject) {
  if (world.clusters) return { clusters: world.clusters, implied: false };
  return { clusters: world.simulatedClusters === 'none' ? [] : defaultClusterSpecs(), implied: true };
}

/** Cross-references one field can't check alone: each is reported with the path to fix. */
function crossChecks(world: WorldObject): Issue[] {
  const issues: Issue[] = [];
  const known = new Set(
    [world.subscriptionId, ...world.subscriptions.map((sub) => sub.id)].map((id) => id.toLowerCase()),
  );
  world.subscriptions.forEach((sub, index) => {
    if (
      same(sub.id, world.subscriptionId) ||
      world.subscriptions.findIndex((other) => same(other.id, sub.id)) !== index
    )
      issues.push({ path: ['subscriptions', index, 'id'], message: `subscription ${sub.id} is listed twice` });
  });
  const checkSub = (path: Array<string | number>, id: string | undefined) => {
    if (id && !known.has(id.toLowerCase()))
      issues.push({ path, message: `subscription ${id} is neither subscriptionId nor in subscriptions` });
  };
  const groupKnown = (name: string, sub: string | undefined) =>
    world.resourceGroups.some(
      (group) =>
        same(group.name, name) && same(group.subscriptionId ?? world.subscriptionId, sub ?? world.subscriptionId),
    );
  world.resourceGroups.forEach((group, index) =>
    checkSub(['resourceGroups', index, 'subscriptionId'], group.subscriptionId),
  );
  for (const [key, list] of [
    ['virtualNetworks', world.virtualNetworks],
    ['privateDnsZones', world.privateDnsZones],
    ['vaults', world.vaults],
  ] as const) {
    list.forEach((entry, index) => {
      checkSub([key, index, 'subscriptionId'], entry.subscriptionId);
      // A resource in another subscription lives in a group of that subscription.
      if (entry.subscriptionId && !groupKnown(entry.resourceGroup, entry.subscriptionId))
        issues.push({
          path: [key, index, 'resourceGroup'],
          message: `resource group ${entry.resourceGroup} isn't in resourceGroups for subscription ${entry.subscriptionId}`,
        });
    });
  }
  world.privateDnsZones.forEach((zone, zi) =>
    zone.links.forEach((link, li) =>
      checkSub(['privateDnsZones', zi, 'links', li, 'vnetSubscriptionId'], link.vnetSubscriptionId),
    ),
  );
  world.aksClusters.forEach((aks, index) => {
    const vnet = world.virtualNetworks.find(
      (entry) =>
        same(entry.name, aks.vnet) &&
        same(entry.resourceGroup, aks.resourceGroup) &&
        same(entry.subscriptionId ?? world.subscriptionId, world.subscriptionId),
    );
    if (!vnet)
      issues.push({
        path: ['aksClusters', index, 'vnet'],
        message: `VNet "${aks.vnet}" in resource group ${aks.resourceGroup} isn't in virtualNetworks`,
      });
    else if (!vnet.subnets.some((subnet) => same(subnet.name, aks.subnet)))
      issues.push({
        path: ['aksClusters', index, 'subnet'],
        message: `VNet "${aks.vnet}" has no subnet "${aks.subnet}"`,
      });
  });
  if (world.clusters && world.simulatedClusters) {
    issues.push({
      path: ['simulatedClusters'],
      message: 'give either clusters (the list) or simulatedClusters, not both',
    });
  }
  const { clusters, implied } = effectiveClusters(world);
  const where = implied
    ? ' (in the default clusters; list your own under clusters:, or set simulatedClusters: none)'
    : '';
  const contexts = new Set<string>();
  clusters.forEach((cluster, index) => {
    if (contexts.has(cluster.context))
      issues.push({ path: ['clusters', index, 'context'], message: `context "${cluster.context}" is listed twice` });
    contexts.add(cluster.context);
    if (cluster.kind === 'aks') {
      const { resourceGroup, name } = cluster.managedCluster;
      if (!world.aksClusters.some((aks) => same(aks.name, name) && same(aks.resourceGroup, resourceGroup))) {
        issues.push({
          path: ['clusters', index, 'managedCluster'],
          message: `managed cluster ${resourceGroup}/${name} isn't in aksClusters${where}`,
        });
      }
    }
    for (const [path, message] of clusterDuplicates(cluster))
      issues.push({ path: ['clusters', index, ...path], message });
  });
  return issues;
}

export const worldSpecSchema = worldObject
  .superRefine((world, ctx) => {
    for (const issue of crossChecks(world)) ctx.addIssue({ code: 'custom', ...issue });
  })
  // The output always lists its clusters, so builders have one path and no default to know.
  .transform((world) => {
    const { simulatedClusters, ...rest } = world;
    return { ...rest, clusters: effectiveClusters({ ...rest, simulatedClusters }).clusters };
  });

export type WorldSpec = z.infer<typeof worldSpecSchema>;
export type WorldSpecInput = z.input<typeof worldSpecSchema>;
