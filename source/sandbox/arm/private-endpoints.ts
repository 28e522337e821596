/**
 * Private endpoints (LRO): the NIC gets the first free IP of the subnet after Azure's 4
 * reserved addresses; the connection to a vault needs groupId `vault`, the endpoint must be in
 * its VNet's region, and it is Approved when the caller may approve connections on the vault
 * (else Pending). The vault lists the connection in `privateEndpointConnections`.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { ArmResource, SandboxState } from '../world/state.js';
import { fail, json, type ArmCall } from './call.js';
import { numberToIpv4, parseIpv4Cidr } from './ip.js';
import { lroResponse } from './lro.js';
import { requireReferenceProvisioned, requireVnetFree, vnetIdOf } from './vnet-locks.js';
import {
  ENDPOINT_TYPE,
  endpointsInSubnet,
  etag,
  invalidReference,
  networkId,
  NIC_TYPE,
  subnetPrefixes,
  ZONE_GROUP_TYPE,
} from './network-common.js';
import { hasAction } from './rbac.js';
import type { ArmRoute } from './router.js';
import {
  clone,
  deleteResource,
  deleteTree,
  getResource,
  props,
  putResource,
  resourceGroupId,
  resourcesOfType,
  sameId,
} from './store.js';
import { removeZoneGroupRecords } from './dns-zone-groups.js';

const ENDPOINTS = '/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network/privateEndpoints';
const ENDPOINT = `${ENDPOINTS}/{pe}`;

function endpointIp(endpoint: ArmResource): string | undefined {
  return props(endpoint).customDnsConfigs?.[0]?.ipAddresses?.[0];
}

function allocateIp(state: SandboxState, subnet: ArmResource, endpointId: string): string {
  const used = new Set(
    endpointsInSubnet(state, subnet.id)
      .filter((endpoint) => !sameId(endpoint.id, endpointId))
      .map(endpointIp),
  );
  for (const prefix of subnetPrefixes(subnet)) {
    const range = parseIpv4Cidr(prefix)!;
    // Azure reserves the network address, .1 (gateway), .2 and .3 (DNS) and the broadcast address.
    for (let value = range.start + 4; value < range.end; value += 1) {
      const ip = numberToIpv4(value);
      if (!used.has(ip)) return ip;
    }
  }
  fail(400, 'SubnetIsFull', `Subnet ${subnet.id} has no free IP addresses.`);
}

interface ConnectionInput {
  name?: string;
  properties?: { privateLinkServiceId?: string; groupIds?: string[]; requestMessage?: string };
  privateLinkServiceId?: string;
  groupIds?: string[];
  requestMessage?: string;
}

function connectionsFor(
  call: ArmCall,
  endpointId: string,
  inputs: ConnectionInput[],
  manual: boolean,
): Record<string, unknown>[] {
  const { state } = call.ctx;
  return inputs.map((input) => {
    const p = { ...input, ...(input.properties ?? {}) };
    const targetId = String(p.privateLinkServiceId ?? '');
    const target = getResource(state, targetId);
    if (!target) invalidReference(targetId, endpointId);
    const groupIds = p.groupIds ?? [];
    if (target.type === 'Microsoft.KeyVault/vaults') {
      if (groupIds.length !== 1 || groupIds[0].toLowerCase() !== 'vault') {
        fail(
          400,
          'PrivateEndpointBadRequest',
          `Call to Microsoft.KeyVault/vaults failed. Error message: The group id '${groupIds.join(',')}' is not valid for resource type 'Microsoft.KeyVault/vaults'. Valid group ids are: vault.`,
        );
      }
    }
    const approved =
      !manual &&
      hasAction(
        state,
        call.principalId,
        target.id,
        'Microsoft.KeyVault/vaults/privateEndpointConnectionsApproval/action',
      );
    const name = input.name ?? `${call.params.pe}-connection`;
    return {
      id: `${endpointId}/${manual ? 'manualPrivateLinkServiceConnections' : 'privateLinkServiceConnections'}/${name}`,
      name,
      type: `${ENDPOINT_TYPE}/privateLinkServiceConnections`,
      etag: etag(),
      properties: {
        provisioningState: 'Succeeded',
        privateLinkServiceId: target.id,
        groupIds,
        ...(p.requestMessage ? { requestMessage: p.requestMessage } : {}),
        privateLinkServiceConnectionState: approved
          ? { status: 'Approved', description: 'Auto-Approved', actionsRequired: 'None' }
          : { status: 'Pending', description: p.requestMessage ?? 'Awaiting approval', actionsRequired: 'None' },
      },
    };
  });
}

/** Mirrors an endpoint's connections into the target vault's `privateEndpointConnections`. */
function syncVaultConnections(state: SandboxState, endpoint: ArmResource, remove: boolean): void {
  const connections = [
    ...(props(endpoint).privateLinkServiceConnections ?? []),
    ...(props(endpoint).manualPrivateLinkServiceConnections ?? []),
  ] as Record<string, any>[];
  for (const connection of connections) {
    const vault = getResource(state, connection.properties.privateLinkServiceId);
    if (!vault?.properties) continue;
    const others = ((vault.properties.privateEndpointConnections ?? []) as Record<string, any>[]).filter(
      (entry) => !sameId(entry.properties?.privateEndpoint?.id, endpoint.id),
    );
    vault.properties.privateEndpointConnections = remove
      ? others
      : [
          ...others,
          {
            id: `${vault.id}/privateEndpointConnections/${endpoint.name}.${randomUUID()}`,
            etag: etag(),
            properties: {
              provisioningState: 'Succeeded',
              privateEndpoint: { id: endpoint.id },
              privateLinkServiceConnectionState: { ...connection.properties.privateLinkServiceConnectionState },
            },
          },
        ];
  }
}

function putEndpoint(call: ArmCall) {
  const { state } = call.ctx;
  const body = call.body();
  const id = networkId(call, 'privateEndpoints', call.params.pe);
  const existing = getResource(state, id);
  const requested = (body.properties ?? {}) as Record<string, any>;
  if (typeof body.location !== 'string')
    fail(400, 'LocationRequired', 'The location property is required for this definition.');
  const location = body.location.toLowerCase().replace(/\s+/g, '');
  const subnetId = String(requested.subnet?.id ?? '');
  const subnet = getResource(state, subnetId);
  if (!subnet) invalidReference(subnetId, id);
  // An endpoint lives in its VNet's subscription: from another, ARM can't find the VNet it references.
  const subnetSubscription = /^\/subscriptions\/([^/]+)/i.exec(subnet.id)?.[1] ?? '';
  if (subnetSubscription.toLowerCase() !== call.params.sub.toLowerCase())
    invalidReference(subnet.id.slice(0, subnet.id.toLowerCase().indexOf('/subnets/')), id);
  if (existing && !sameId(props(existing).subnet?.id, subnet.id))
    fail(400, 'CannotChangeSubnetOfPrivateEndpoint', `Subnet of private endpoint ${id} cannot be changed.`);
  const vnet = getResource(state, subnet.id.slice(0, subnet.id.toLowerCase().indexOf('/subnets/')));
  if (vnet?.location !== location) {
    fail(
      400,
      'PrivateEndpointLocationMismatch',
      `Private endpoint ${id} in location '${location}' and its virtual network ${vnet?.id} in location '${vnet?.location}' must be in the same region. (sandbox: exact Azure text unverified)`,
    );
  }
  const automatic = (requested.privateLinkServiceConnections ?? []) as ConnectionInput[];
  const manual = (requested.manualPrivateLinkServiceConnections ?? []) as ConnectionInput[];
  if (automatic.length + manual.length !== 1)
    fail(
      400,
      'PrivateEndpointBadRequest',
      `Private endpoint ${id} must have exactly one private link service connection.`,
    );
  const ip = (existing && endpointIp(existing)) ?? allocateIp(state, subnet, id);
  const nicName = requested.customNetworkInterfaceName ?? `${call.params.pe}.nic.${randomUUID()}`;
  const nicId =
    props(existing).networkInterfaces?.[0]?.id ??
    `${resourceGroupId(state, call.params.rg, call.params.sub)}/providers/Microsoft.Network/networkInterfaces/${nicName}`;
  // The NIC goes into the subnet: it waits for no one, and holds the VNet while it is made.
  requireReferenceProvisioned(call, subnet.id, nicId);
  const endpoint: ArmResource = {
    id: existing?.id ?? id,
    name: existing?.name ?? call.params.pe,
    type: ENDPOINT_TYPE,
    location,
    tags: body.tags ?? {},
    etag: etag(),
    properties: {
      resourceGuid: props(existing).resourceGuid ?? randomUUID(),
      provisioningState: 'Updating',
      subnet: { id: subnet.id },
      privateLinkServiceConnections: connectionsFor(call, id, automatic, false),
      manualPrivateLinkServiceConnections: connectionsFor(call, id, manual, true),
      networkInterfaces: [{ id: nicId }],
      customDnsConfigs: [] as Record<string, unknown>[],
      ipConfigurations: requested.ipConfigurations ?? [],
      applicationSecurityGroups: requested.applicationSecurityGroups ?? [],
      ...(requested.customNetworkInterfaceName
        ? { customNetworkInterfaceName: requested.customNetworkInterfaceName }
        : {}),
    },
  };
  const target = getResource(
    state,
    String(
      (automatic[0] ?? manual[0]).properties?.privateLinkServiceId ?? (automatic[0] ?? manual[0]).privateLinkServiceId,
    ),
  );
  (endpoint.properties as Record<string, any>).customDnsConfigs = [
    {
      fqdn:
        target?.type === 'Microsoft.KeyVault/vaults'
          ? `${target.name.toLowerCase()}.vault.azure.net`
          : `${call.params.pe}.privatelink`,
      ipAddresses: [ip],
    },
  ];
  if (existing) syncVaultConnections(state, existing, true);
  putResource(state, endpoint);
  putResource(state, {
    id: nicId,
    name: nicId.split('/').pop()!,
    type: NIC_TYPE,
    location,
    etag: etag(),
    properties: {
      provisioningState: 'Succeeded',
      ipConfigurations: [
        {
          name: `privateEndpointIpConfig.${randomBytes(8).toString('hex')}`,
          properties: {
            privateIPAddress: ip,
            privateIPAllocationMethod: 'Dynamic',
            privateIPAddressVersion: 'IPv4',
            subnet: { id: subnet.id },
            primary: true,
          },
        },
      ],
      privateEndpoint: { id: endpoint.id },
    },
  });
  syncVaultConnections(state, endpoint, false);
  return lroResponse(call, existing ? 200 : 201, clone(endpoint), endpoint.id, {
    provider: 'Microsoft.Network',
    location,
    lock: { name: 'PutPrivateEndpointOperation', vnetIds: [vnet.id] },
  });
}

function requireEndpoint(call: ArmCall): ArmResource {
  const endpoint = getResource(call.ctx.state, networkId(call, 'privateEndpoints', call.params.pe));
  if (!endpoint)
    fail(
      404,
      'ResourceNotFound',
      `The Resource '${ENDPOINT_TYPE}/${call.params.pe}' under resource group '${call.params.rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
    );
  return endpoint;
}

function deleteEndpoint(call: ArmCall) {
  const { state } = call.ctx;
  const endpoint = getResource(state, networkId(call, 'privateEndpoints', call.params.pe));
  if (!endpoint) return { status: 204 };
  const vnetId = vnetIdOf(String(props(endpoint).subnet?.id ?? ''));
  if (vnetId) requireVnetFree(call, vnetId, endpoint.location ?? 'global');
  for (const group of resourcesOfType(state, ZONE_GROUP_TYPE, endpoint.id)) removeZoneGroupRecords(state, group);
  syncVaultConnections(state, endpoint, true);
  for (const nic of props(endpoint).networkInterfaces ?? []) deleteResource(state, nic.id);
  deleteTree(state, endpoint.id);
  return lroResponse(call, 202, undefined, undefined, {
    provider: 'Microsoft.Network',
    location: endpoint.location ?? 'global',
    locationHeader: true,
    ...(vnetId ? { lock: { name: 'DeletePrivateEndpointOperation' as const, vnetIds: [vnetId] } } : {}),
  });
}

function getNic(call: ArmCall) {
  const nic = getResource(call.ctx.state, networkId(call, 'networkInterfaces', call.params.nic));
  if (!nic)
    fail(
      404,
      'ResourceNotFound',
      `The Resource '${NIC_TYPE}/${call.params.nic}' under resource group '${call.params.rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
    );
  return json(200, clone(nic));
}

export const privateEndpointRoutes: ArmRoute[] = [
  {
    methods: ['GET'],
    pattern: ENDPOINTS,
    action: 'Microsoft.Network/privateEndpoints/read',
    handle: (call) =>
      json(200, {
        value: resourcesOfType(
          call.ctx.state,
          ENDPOINT_TYPE,
          resourceGroupId(call.ctx.state, call.params.rg, call.params.sub),
        ).map(clone),
      }),
  },
  {
    methods: ['GET'],
    pattern: ENDPOINT,
    action: 'Microsoft.Network/privateEndpoints/read',
    handle: (call) => json(200, clone(requireEndpoint(call))),
  },
  { methods: ['PUT'], pattern: ENDPOINT, action: 'Microsoft.Network/privateEndpoints/write', handle: putEndpoint },
  {
    methods: ['DELETE'],
    pattern: ENDPOINT,
    action: 'Microsoft.Network/privateEndpoints/delete',
    handle: deleteEndpoint,
  },
  {
    methods: ['GET'],
    pattern: '/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network/networkInterfaces/{nic}',
    action: 'Microsoft.Network/networkInterfaces/read',
    handle: getNic,
  },
];
