/**
 * A peering's state follows its operation: a new side is `Initiated` while its PUT runs, and
 * both sides turn `Connected` when the operation of the second one completes. A `Disconnected`
 * remote side stays as it is (it must be re-put first).
 */
import type { ArmResource, SandboxState } from '../world/state.js';
import { PEERING_TYPE } from './network-common.js';
import { props, resourcesOfType, sameId } from './store.js';

export function reversePeering(
  state: SandboxState,
  localVnetId: string,
  remoteVnetId: string,
): ArmResource | undefined {
  return resourcesOfType(state, PEERING_TYPE, remoteVnetId).find((peering) =>
    sameId(props(peering).remoteVirtualNetwork?.id, localVnetId),
  );
}

function parentVnetId(peering: ArmResource): string {
  return peering.id.replace(/\/virtualNetworkPeerings\/[^/]+$/i, '');
}

export function settlePeering(state: SandboxState, peering: ArmResource): void {
  const reverse = reversePeering(state, parentVnetId(peering), String(props(peering).remoteVirtualNetwork?.id ?? ''));
  if (!reverse || props(reverse).peeringState === 'Disconnected') return;
  (peering.properties as Record<string, unknown>).peeringState = 'Connected';
  (reverse.properties as Record<string, unknown>).peeringState = 'Connected';
}
