/**
 * Whether traffic from one VNet reaches an address in another. Peering is not transitive and
 * needs a peering on each side, both `Connected`: a one-way peering stays
 * `Initiated` and carries nothing.
 */
import type { SandboxState } from '../world/state.js';
import { props, resourcesOfType, sameId } from './arm-lookup.js';

const PEERING_TYPE = 'Microsoft.Network/virtualNetworks/virtualNetworkPeerings';

function connectedPeering(state: SandboxState, fromVnetId: string, toVnetId: string): boolean {
  const prefix = `${fromVnetId.toLowerCase()}/virtualnetworkpeerings/`;
  return resourcesOfType(state, PEERING_TYPE).some((peering) => {
    const p = props(peering);
    return (
      peering.id.toLowerCase().startsWith(prefix) &&
      sameId(p.remoteVirtualNetwork?.id, toVnetId) &&
      p.peeringState === 'Connected' &&
      p.allowVirtualNetworkAccess !== false
    );
  });
}

export function vnetsCanRoute(state: SandboxState, fromVnetId: string, toVnetId: string): boolean {
  if (sameId(fromVnetId, toVnetId)) return true;
  return connectedPeering(state, fromVnetId, toVnetId) && connectedPeering(state, toVnetId, fromVnetId);
}
