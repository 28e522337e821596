/**
 * VNet peerings: address spaces must not overlap (with the remote VNet, nor between the remote
 * and VNets already peered); `Initiated` until the reverse peering's operation completes, then
 * both `Connected` (peering-state.ts); each side's operation holds both VNets (vnet-locks.ts); deleting one side leaves the other `Disconnected`, which must be
 * updated before the reverse can be created again. Needs `virtualNetworks/peer/action` on the
 * remote VNet, read from an auxiliary token when that VNet is in another tenant (linked-access.ts).
 */
import type { ArmResource, SandboxState } from '../world/state.js';
import { fail, json, type ArmCall } from './call.js';
import { overlaps, parseIpv4Cidr } from './ip.js';
import { lroResponse } from './lro.js';
import { etag, invalidReference, PEERING_TYPE, requireVnet, VNET_TYPE, vnetPrefixes } from './network-common.js';
import { reversePeering } from './peering-state.js';
import { requireLinkedAccess } from './linked-access.js';
import type { ArmRoute } from './router.js';
import { clone, deleteResource, getResource, props, putResource, resourcesOfType, sameId } from './store.js';
import { requireReferenceProvisioned, requireVnetFree } from './vnet-locks.js';

const PEERING =
  '/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network/virtualNetworks/{vnet}/virtualNetworkPeerings/{peering}';

function firstOverlap(a: string[], b: string[]): [string, string] | undefined {
  for (const left of a) {
    for (const right of b) {
      const l = parseIpv4Cidr(left);
      const r = parseIpv4Cidr(right);
      if (l && r && overlaps(l, r)) return [left, right];
    }
  }
  return undefined;
}

function peeringsFrom(state: SandboxState, vnetId: string): ArmResource[] {
  return resourcesOfType(state, PEERING_TYPE, vnetId);
}

const reverseOf = reversePeering;

function putPeering(call: ArmCall) {
  const { state } = call.ctx;
  const local = requireVnet(call);
  const id = `${local.id}/virtualNetworkPeerings/${call.params.peering}`;
  const body = call.body();
  const requested = (body.properties ?? {}) as Record<string, any>;
  const remoteId = requested.remoteVirtualNetwork?.id;
  if (typeof remoteId !== 'string')
    fail(400, 'InvalidRequestFormat', 'Cannot parse the request: remoteVirtualNetwork.id is required.');
  const remote = getResource(state, remoteId);
  if (!remote || remote.type !== VNET_TYPE) invalidReference(remoteId, id);
  if (sameId(remote.id, local.id))
    fail(400, 'CannotPeerVnetWithItself', `Virtual network ${local.id} cannot be peered with itself.`);
  requireLinkedAccess(call, {
    writeAction: 'Microsoft.Network/virtualNetworks/virtualNetworkPeerings/write',
    writeId: id,
    linkedAction: 'Microsoft.Network/virtualNetworks/peer/action',
    linkedId: remote.id,
  });
  const overlap = firstOverlap(vnetPrefixes(local), vnetPrefixes(remote));
  if (overlap) {
    fail(
      400,
      'VnetAddressSpacesOverlap',
      `Cannot create or update peering ${id}. Virtual networks ${local.id} and ${remote.id} cannot be peered because their address spaces overlap. Overlapping address prefixes: ${overlap[0]}, ${overlap[1]}.`,
    );
  }
  for (const peering of peeringsFrom(state, local.id)) {
    const otherId = props(peering).remoteVirtualNetwork?.id;
    if (sameId(otherId, remote.id) || peering.name.toLowerCase() === call.params.peering.toLowerCase()) continue;
    const other = getResource(state, otherId);
    const clash = other && firstOverlap(vnetPrefixes(remote), vnetPrefixes(other));
    if (clash) {
      fail(
        400,
        'VnetAddressSpaceOverlapsWithAlreadyPeeredVnet',
        `Cannot create or update peering ${id}. Address space ${clash[0]} of virtual network ${remote.id} overlaps with address space ${clash[1]} of virtual network ${other.id} already peered with virtual network ${local.id}.`,
      );
    }
  }
  const reverse = reverseOf(state, local.id, remote.id);
  if (reverse && props(reverse).peeringState === 'Disconnected') {
    fail(
      400,
      'RemotePeeringIsDisconnected',
      `Cannot create or update peering ${id} because remote peering ${reverse.id} referencing parent virtual network ${local.id} is in Disconnected state. Update or re-create the remote peering to get it back to Initiated state. Peering gets Disconnected when remote vnet or remote peering is deleted and re-created.`,
    );
  }
  const location = local.location ?? 'global';
  requireVnetFree(call, local.id, location);
  requireReferenceProvisioned(call, remote.id, id);
  const existing = getResource(state, id);
  // Connected only when this operation completes (peering-state.ts), unless it already was.
  const state_ = reverse && props(existing).peeringState === 'Connected' ? 'Connected' : 'Initiated';
  const peering: ArmResource = {
    id: existing?.id ?? id,
    name: existing?.name ?? call.params.peering,
    type: PEERING_TYPE,
    etag: etag(),
    properties: {
      allowVirtualNetworkAccess: requested.allowVirtualNetworkAccess ?? true,
      allowForwardedTraffic: requested.allowForwardedTraffic ?? false,
      allowGatewayTransit: requested.allowGatewayTransit ?? false,
      useRemoteGateways: requested.useRemoteGateways ?? false,
      remoteVirtualNetwork: { id: remote.id },
      remoteAddressSpace: { addressPrefixes: vnetPrefixes(remote) },
      remoteVirtualNetworkAddressSpace: { addressPrefixes: vnetPrefixes(remote) },
      peeringState: state_,
      peeringSyncLevel: 'FullyInSync',
      provisioningState: 'Updating',
    },
  };
  putResource(state, peering);
  return lroResponse(call, existing ? 200 : 201, clone(peering), peering.id, {
    provider: 'Microsoft.Network',
    location,
    lock: { name: 'PutVirtualNetworkPeeringOperation', vnetIds: [local.id, remote.id] },
  });
}

function requirePeering(call: ArmCall): ArmResource {
  const local = requireVnet(call);
  const peering = getResource(call.ctx.state, `${local.id}/virtualNetworkPeerings/${call.params.peering}`);
  if (!peering) fail(404, 'NotFound', `Resource ${local.id}/virtualNetworkPeerings/${call.params.peering} not found.`);
  return peering;
}

function deletePeering(call: ArmCall) {
  const { state } = call.ctx;
  const local = requireVnet(call);
  const peering = getResource(state, `${local.id}/virtualNetworkPeerings/${call.params.peering}`);
  if (!peering) return { status: 204 };
  const location = local.location ?? 'global';
  requireVnetFree(call, local.id, location);
  const remoteId = String(props(peering).remoteVirtualNetwork?.id ?? '');
  const reverse = reverseOf(state, local.id, remoteId);
  if (reverse)
    Object.assign(reverse.properties as Record<string, unknown>, {
      peeringState: 'Disconnected',
      peeringSyncLevel: 'RemoteNotInSync',
    });
  deleteResource(state, peering.id);
  return lroResponse(call, 202, undefined, undefined, {
    provider: 'Microsoft.Network',
    location,
    locationHeader: true,
    lock: {
      name: 'DeleteVirtualNetworkPeeringOperation',
      vnetIds: [local.id, ...(getResource(state, remoteId) ? [remoteId] : [])],
    },
  });
}

export const peeringRoutes: ArmRoute[] = [
  {
    methods: ['GET'],
    pattern:
      '/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network/virtualNetworks/{vnet}/virtualNetworkPeerings',
    action: 'Microsoft.Network/virtualNetworks/virtualNetworkPeerings/read',
    handle: (call) => json(200, { value: peeringsFrom(call.ctx.state, requireVnet(call).id).map(clone) }),
  },
  {
    methods: ['GET'],
    pattern: PEERING,
    action: 'Microsoft.Network/virtualNetworks/virtualNetworkPeerings/read',
    handle: (call) => json(200, clone(requirePeering(call))),
  },
  {
    methods: ['PUT'],
    pattern: PEERING,
    action: 'Microsoft.Network/virtualNetworks/virtualNetworkPeerings/write',
    handle: putPeering,
  },
  {
    methods: ['DELETE'],
    pattern: PEERING,
    action: 'Microsoft.Network/virtualNetworks/virtualNetworkPeerings/delete',
    handle: deletePeering,
  },
];
