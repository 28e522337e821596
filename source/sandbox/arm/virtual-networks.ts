/**
 * Microsoft.Network virtualNetworks (subnets embedded on GET; a PUT replaces the subnet set, as
 * ARM does) and subnets (LRO PUT; prefix inside the VNet space, no overlap with siblings;
 * privateEndpointNetworkPolicies defaults to Disabled).
 */
import { randomUUID } from 'node:crypto';
import type { ArmResource, SandboxState } from '../world/state.js';
import { fail, json, type ArmCall } from './call.js';
import { contains, overlaps } from './ip.js';
import { lroResponse } from './lro.js';
import {
  endpointsInSubnet,
  etag,
  inUseSubnet,
  networkId,
  parsePrefix,
  PEERING_TYPE,
  requireVnet,
  SUBNET_TYPE,
  subnetPrefixes,
  subnetView,
  VNET_TYPE,
  vnetPrefixes,
  vnetView,
} from './network-common.js';
import type { ArmRoute } from './router.js';
import { requireVnetFree } from './vnet-locks.js';
import {
  clone,
  deleteTree,
  getResource,
  props,
  putResource,
  resourceGroupId,
  resourcesOfType,
  sameId,
} from './store.js';

const VNETS = '/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network/virtualNetworks';
const VNET = `${VNETS}/{vnet}`;
const SUBNET = `${VNET}/subnets/{subnet}`;

/** Checks a subnet's prefixes against its VNet and siblings; returns the stored subnet. */
function buildSubnet(
  state: SandboxState,
  vnet: ArmResource,
  name: string,
  requested: Record<string, any>,
  siblings: ArmResource[],
  existing?: ArmResource,
): ArmResource {
  const id = `${vnet.id}/subnets/${name}`;
  const prefixes: string[] = requested.addressPrefixes ?? (requested.addressPrefix ? [requested.addressPrefix] : []);
  if (prefixes.length === 0)
    fail(400, 'InvalidRequestFormat', `Cannot parse the request: subnet ${name} needs an addressPrefix.`);
  const vnetRanges = vnetPrefixes(vnet).map((prefix) => parsePrefix(prefix, vnet.id));
  for (const prefix of prefixes) {
    const range = parsePrefix(prefix, id);
    if (!vnetRanges.some((vnetRange) => contains(vnetRange, range))) {
      fail(
        400,
        'NetcfgSubnetRangeOutsideVnet',
        `Subnet '${name}' is not valid because its IP address range is outside the IP address range of virtual network '${vnet.name}'.`,
      );
    }
    for (const sibling of siblings) {
      if (sibling.name.toLowerCase() === name.toLowerCase()) continue;
      if (subnetPrefixes(sibling).some((other) => overlaps(parsePrefix(other, sibling.id), range))) {
        fail(
          400,
          'NetcfgSubnetRangesOverlap',
          `Subnet '${name}' is not valid because its IP address range overlaps with that of an existing subnet '${sibling.name}' in virtual network '${vnet.name}'.`,
        );
      }
    }
  }
  const previous = props(existing);
  return {
    id: existing?.id ?? id,
    name: existing?.name ?? name,
    type: SUBNET_TYPE,
    etag: etag(),
    properties: {
      ...(requested.addressPrefixes ? { addressPrefixes: prefixes } : { addressPrefix: prefixes[0] }),
      privateEndpointNetworkPolicies:
        requested.privateEndpointNetworkPolicies ?? previous.privateEndpointNetworkPolicies ?? 'Disabled',
      privateLinkServiceNetworkPolicies:
        requested.privateLinkServiceNetworkPolicies ?? previous.privateLinkServiceNetworkPolicies ?? 'Enabled',
      delegations: requested.delegations ?? [],
      ...(requested.serviceEndpoints ? { serviceEndpoints: requested.serviceEndpoints } : {}),
      provisioningState: 'Updating',
    },
  };
}

function putVnet(call: ArmCall) {
  const { state } = call.ctx;
  const body = call.body();
  const id = networkId(call, 'virtualNetworks', call.params.vnet);
  const existing = getResource(state, id);
  if (typeof body.location !== 'string')
    fail(400, 'LocationRequired', 'The location property is required for this definition.');
  const location = body.location.toLowerCase().replace(/\s+/g, '');
  if (existing && existing.location !== location) {
    fail(
      400,
      'InvalidResourceLocation',
      `The resource '${call.params.vnet}' already exists in location '${existing.location}' in resource group '${call.params.rg}'. A resource with the same name cannot be created in location '${location}'. Please select a new resource name.`,
    );
  }
  if (existing) requireVnetFree(call, existing.id, location);
  const requested = (body.properties ?? {}) as Record<string, any>;
  const prefixes = (requested.addressSpace?.addressPrefixes ?? []) as string[];
  if (prefixes.length === 0)
    fail(
      400,
      'InvalidRequestFormat',
      `Cannot parse the request: virtual network ${call.params.vnet} needs addressSpace.addressPrefixes.`,
    );
  const ranges = prefixes.map((prefix) => parsePrefix(prefix, id));
  ranges.forEach((range, index) =>
    ranges.slice(index + 1).forEach((other) => {
      if (overlaps(range, other))
        fail(
          400,
          'VnetAddressSpacesOverlap',
          `Address space ${range.cidr} of virtual network ${id} overlaps with its own address space ${other.cidr}.`,
        );
    }),
  );
  const vnet: ArmResource = {
    id: existing?.id ?? id,
    name: existing?.name ?? call.params.vnet,
    type: VNET_TYPE,
    location,
    tags: body.tags ?? {},
    etag: etag(),
    properties: {
      addressSpace: { addressPrefixes: prefixes },
      ...(requested.dhcpOptions?.dnsServers?.length
        ? { dhcpOptions: { dnsServers: [...requested.dhcpOptions.dnsServers] } }
        : {}),
      resourceGuid: props(existing).resourceGuid ?? randomUUID(),
      enableDdosProtection: requested.enableDdosProtection ?? false,
      provisioningState: 'Updating',
    },
  };
  // A VNet PUT carries the complete subnet list: subnets left out are deleted (unless in use).
  const currentSubnets = resourcesOfType(state, SUBNET_TYPE, vnet.id);
  const requestedSubnets = ((requested.subnets ?? []) as { name?: string; properties?: Record<string, any> }[]).map(
    (subnet) => ({
      name: String(subnet.name ?? ''),
      properties: subnet.properties ?? {},
    }),
  );
  for (const current of currentSubnets) {
    if (!requestedSubnets.some((subnet) => subnet.name.toLowerCase() === current.name.toLowerCase())) {
      const users = endpointsInSubnet(state, current.id);
      if (users.length > 0) inUseSubnet(current, users[0].id);
    }
  }
  const built: ArmResource[] = [];
  for (const subnet of requestedSubnets) {
    const previous = currentSubnets.find((candidate) => candidate.name.toLowerCase() === subnet.name.toLowerCase());
    const next = buildSubnet(state, vnet, subnet.name, subnet.properties, built, previous);
    (next.properties as Record<string, unknown>).provisioningState = 'Succeeded';
    built.push(next);
  }
  for (const current of currentSubnets) deleteTree(state, current.id);
  putResource(state, vnet);
  built.forEach((subnet) => putResource(state, subnet));
  return lroResponse(call, existing ? 200 : 201, vnetView(state, vnet), vnet.id, {
    provider: 'Microsoft.Network',
    location,
    lock: { name: 'PutVirtualNetworkOperation', vnetIds: [vnet.id] },
  });
}

function deleteVnet(call: ArmCall) {
  const { state } = call.ctx;
  const vnet = getResource(state, networkId(call, 'virtualNetworks', call.params.vnet));
  if (!vnet) return { status: 204 };
  requireVnetFree(call, vnet.id, vnet.location ?? 'global');
  for (const subnet of resourcesOfType(state, SUBNET_TYPE, vnet.id)) {
    const users = endpointsInSubnet(state, subnet.id);
    if (users.length > 0) inUseSubnet(subnet, users[0].id);
  }
  // Peerings in other VNets that point here are left Disconnected, as in Azure.
  for (const peering of resourcesOfType(state, PEERING_TYPE)) {
    if (sameId(props(peering).remoteVirtualNetwork?.id, vnet.id))
      (peering.properties as Record<string, unknown>).peeringState = 'Disconnected';
  }
  deleteTree(state, vnet.id);
  return lroResponse(call, 202, undefined, undefined, {
    provider: 'Microsoft.Network',
    location: vnet.location ?? 'global',
    locationHeader: true,
    lock: { name: 'DeleteVirtualNetworkOperation', vnetIds: [vnet.id] },
  });
}

function putSubnet(call: ArmCall) {
  const { state } = call.ctx;
  const vnet = requireVnet(call);
  requireVnetFree(call, vnet.id, vnet.location ?? 'global');
  const body = call.body();
  const requested = { ...((body.properties ?? {}) as Record<string, any>) };
  const siblings = resourcesOfType(state, SUBNET_TYPE, vnet.id);
  const existing = siblings.find((subnet) => subnet.name.toLowerCase() === call.params.subnet.toLowerCase());
  const subnet = buildSubnet(state, vnet, call.params.subnet, requested, siblings, existing);
  putResource(state, subnet);
  return lroResponse(call, existing ? 200 : 201, subnetView(state, subnet), subnet.id, {
    provider: 'Microsoft.Network',
    location: vnet.location ?? 'global',
    lock: { name: 'PutSubnetOperation', vnetIds: [vnet.id] },
  });
}

function requireSubnet(call: ArmCall): ArmResource {
  const vnet = requireVnet(call);
  const subnet = getResource(call.ctx.state, `${vnet.id}/subnets/${call.params.subnet}`);
  if (!subnet) fail(404, 'NotFound', `Resource ${vnet.id}/subnets/${call.params.subnet} not found.`);
  return subnet;
}

function deleteSubnet(call: ArmCall) {
  const vnet = requireVnet(call);
  const subnet = getResource(call.ctx.state, `${vnet.id}/subnets/${call.params.subnet}`);
  if (!subnet) return { status: 204 };
  requireVnetFree(call, vnet.id, vnet.location ?? 'global');
  const users = endpointsInSubnet(call.ctx.state, subnet.id);
  if (users.length > 0) inUseSubnet(subnet, users[0].id);
  deleteTree(call.ctx.state, subnet.id);
  return lroResponse(call, 202, undefined, undefined, {
    provider: 'Microsoft.Network',
    location: vnet.location ?? 'global',
    locationHeader: true,
    lock: { name: 'DeleteSubnetOperation', vnetIds: [vnet.id] },
  });
}

export const virtualNetworkRoutes: ArmRoute[] = [
  {
    methods: ['GET'],
    pattern: VNETS,
    action: 'Microsoft.Network/virtualNetworks/read',
    handle: (call) =>
      json(200, {
        value: resourcesOfType(
          call.ctx.state,
          VNET_TYPE,
          resourceGroupId(call.ctx.state, call.params.rg, call.params.sub),
        ).map((vnet) => vnetView(call.ctx.state, vnet)),
      }),
  },
  {
    methods: ['GET'],
    pattern: VNET,
    action: 'Microsoft.Network/virtualNetworks/read',
    handle: (call) => json(200, vnetView(call.ctx.state, requireVnet(call))),
  },
  { methods: ['PUT'], pattern: VNET, action: 'Microsoft.Network/virtualNetworks/write', handle: putVnet },
  { methods: ['DELETE'], pattern: VNET, action: 'Microsoft.Network/virtualNetworks/delete', handle: deleteVnet },
  {
    methods: ['GET'],
    pattern: `${VNET}/subnets`,
    action: 'Microsoft.Network/virtualNetworks/subnets/read',
    handle: (call) =>
      json(200, {
        value: resourcesOfType(call.ctx.state, SUBNET_TYPE, requireVnet(call).id).map((subnet) =>
          subnetView(call.ctx.state, subnet),
        ),
      }),
  },
  {
    methods: ['GET'],
    pattern: SUBNET,
    action: 'Microsoft.Network/virtualNetworks/subnets/read',
    handle: (call) => json(200, subnetView(call.ctx.state, clone(requireSubnet(call)))),
  },
  { methods: ['PUT'], pattern: SUBNET, action: 'Microsoft.Network/virtualNetworks/subnets/write', handle: putSubnet },
  {
    methods: ['DELETE'],
    pattern: SUBNET,
    action: 'Microsoft.Network/virtualNetworks/subnets/delete',
    handle: deleteSubnet,
  },
];
