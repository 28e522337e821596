/**
 * Shared helpers for Microsoft.Network resources: ids, etags, address checks, embedded
 * children, and the Network RP's error texts.
 */
import { randomUUID } from 'node:crypto';
import type { ArmResource, SandboxState } from '../world/state.js';
import { fail, type ArmCall } from './call.js';
import { hasHostBits, parseIpv4Cidr, type Ipv4Range } from './ip.js';
import { clone, getResource, props, resourceGroupId, resourcesOfType, sameId } from './store.js';

export const VNET_TYPE = 'Microsoft.Network/virtualNetworks';
export const SUBNET_TYPE = 'Microsoft.Network/virtualNetworks/subnets';
export const PEERING_TYPE = 'Microsoft.Network/virtualNetworks/virtualNetworkPeerings';
export const ENDPOINT_TYPE = 'Microsoft.Network/privateEndpoints';
export const ZONE_GROUP_TYPE = 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups';
export const NIC_TYPE = 'Microsoft.Network/networkInterfaces';

export function etag(): string {
  return `W/"${randomUUID()}"`;
}

export function networkId(call: ArmCall, type: string, name: string): string {
  return `${resourceGroupId(call.ctx.state, call.params.rg, call.params.sub)}/providers/Microsoft.Network/${type}/${name}`;
}

export function invalidReference(referencedId: string, byId: string): never {
  fail(
    400,
    'InvalidResourceReference',
    `Resource ${referencedId} referenced by resource ${byId} was not found. Please make sure that the referenced resource exists, and that both resources are in the same region.`,
  );
}

/** Parses a prefix the way the Network RP accepts it: IPv4 CIDR with no host bits. */
export function parsePrefix(prefix: unknown, resourceId: string): Ipv4Range {
  const text = String(prefix ?? '');
  const range = parseIpv4Cidr(text);
  if (!range || !text.includes('/'))
    fail(
      400,
      'InvalidAddressPrefixFormat',
      `Address prefix ${text} of resource ${resourceId} is not formatted correctly. It should follow CIDR notation, for example 10.0.0.0/24.`,
    );
  if (hasHostBits(text)) {
    const network = `${[24, 16, 8, 0].map((shift) => Math.floor(range.start / 2 ** shift) % 256).join('.')}/${range.prefixLength}`;
    fail(
      400,
      'InvalidCIDRNotation',
      `The address prefix ${text} in resource ${resourceId} has an invalid CIDR notation. For the given prefix length, the address prefix should be ${network}.`,
    );
  }
  return range;
}

export function vnetPrefixes(vnet: ArmResource): string[] {
  return ((props(vnet).addressSpace?.addressPrefixes ?? []) as string[]).slice();
}

export function subnetPrefixes(subnet: ArmResource): string[] {
  const p = props(subnet);
  return p.addressPrefixes ?? (p.addressPrefix ? [p.addressPrefix] : []);
}

/** Private endpoints whose NIC sits in this subnet. */
export function endpointsInSubnet(state: SandboxState, subnetId: string): ArmResource[] {
  return resourcesOfType(state, ENDPOINT_TYPE).filter((endpoint) => sameId(props(endpoint).subnet?.id, subnetId));
}

export function subnetView(state: SandboxState, subnet: ArmResource): ArmResource {
  const view = clone(subnet);
  const endpoints = endpointsInSubnet(state, subnet.id);
  if (endpoints.length > 0)
    (view.properties as Record<string, unknown>).privateEndpoints = endpoints.map((endpoint) => ({ id: endpoint.id }));
  return view;
}

/** A VNet as GET returns it: subnets and peerings embedded. */
export function vnetView(state: SandboxState, vnet: ArmResource): ArmResource {
  const view = clone(vnet);
  const properties = view.properties as Record<string, unknown>;
  properties.subnets = resourcesOfType(state, SUBNET_TYPE, vnet.id).map((subnet) => subnetView(state, subnet));
  properties.virtualNetworkPeerings = resourcesOfType(state, PEERING_TYPE, vnet.id).map(clone);
  return view;
}

export function requireVnet(call: ArmCall, name = call.params.vnet): ArmResource {
  const id = networkId(call, 'virtualNetworks', name);
  const vnet = getResource(call.ctx.state, id);
  if (!vnet)
    fail(
      404,
      'ResourceNotFound',
      `The Resource '${VNET_TYPE}/${name}' under resource group '${call.params.rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
    );
  return vnet;
}

export function inUseSubnet(subnet: ArmResource, usedBy: string): never {
  fail(
    400,
    'InUseSubnetCannotBeDeleted',
    `Subnet ${subnet.name} is in use by ${usedBy} and cannot be deleted. In order to delete the subnet, delete all the resources within the subnet. See aka.ms/deletesubnet.`,
  );
}
