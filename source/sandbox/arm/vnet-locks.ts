/**
 * One write at a time per virtual network, as the Network RP does: a subnet, a peering, or the
 * NIC of a private endpoint being put or deleted holds its VNet until the operation finishes.
 * What a write that arrives meanwhile gets (both texts as real ARM returns them; sources in
 * ../README.md § Contention):
 * - a write to the VNet itself or one of its subnets or peerings (deletes included):
 *   409 AnotherOperationInProgress, naming the operation's status URI;
 * - a PUT that references the busy VNet (a peering's local or remote VNet, a private endpoint's
 *   subnet): 400 ReferencedResourceNotProvisioned, naming the last operation.
 * Neither is retried by the SDKs (a 400, and a 409 without Retry-After).
 */
import type { ArmOperation, SandboxState } from '../world/state.js';
import { fail, type ArmCall } from './call.js';

/** The Network RP's operation names as they appear in ReferencedResourceNotProvisioned. */
type VnetOperationName =
  | 'PutVirtualNetworkOperation'
  | 'DeleteVirtualNetworkOperation'
  | 'PutSubnetOperation'
  | 'DeleteSubnetOperation'
  | 'PutVirtualNetworkPeeringOperation'
  | 'DeleteVirtualNetworkPeeringOperation'
  | 'PutPrivateEndpointOperation'
  | 'DeletePrivateEndpointOperation';

export interface VnetLock {
  name: VnetOperationName;
  /** Lower-cased ids of the VNets the operation holds. */
  vnetIds: string[];
}

/** The VNet a subnet, peering or VNet id belongs to (lower-cased), or undefined. */
export function vnetIdOf(id: string): string | undefined {
  const match =
    /^(\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/microsoft\.network\/virtualnetworks\/[^/]+)/i.exec(id);
  return match?.[1]?.toLowerCase();
}

/** The operation still running on this VNet, if any (operations are settled before each request). */
function runningOn(state: SandboxState, vnetId: string): ArmOperation | undefined {
  const wanted = vnetId.toLowerCase();
  for (const operation of state.operations?.values() ?? []) {
    if (operation.status === 'InProgress' && operation.lock?.vnetIds.includes(wanted)) return operation;
  }
  return undefined;
}

function statusUri(call: ArmCall, operation: ArmOperation, location: string): string {
  return `${call.ctx.baseUrl}/subscriptions/${call.params.sub ?? call.ctx.state.subscriptionId}/providers/Microsoft.Network/locations/${location.toLowerCase()}/operations/${operation.id}?api-version=${call.apiVersion}`;
}

/** 409 AnotherOperationInProgress when another operation holds this VNet. */
export function requireVnetFree(call: ArmCall, vnetId: string, location: string): void {
  const running = runningOn(call.ctx.state, vnetId);
  if (!running) return;
  fail(
    409,
    'AnotherOperationInProgress',
    `Another operation on this or dependent resource is in progress. To retrieve status of the operation use uri: ${statusUri(call, running, location)}.`,
    { details: [] },
  );
}

/** 400 ReferencedResourceNotProvisioned when the referenced VNet (or its subnet) is being changed. */
export function requireReferenceProvisioned(call: ArmCall, referencedId: string, byId: string): void {
  const vnetId = vnetIdOf(referencedId);
  const running = vnetId ? runningOn(call.ctx.state, vnetId) : undefined;
  if (!running?.lock) return;
  fail(
    400,
    'ReferencedResourceNotProvisioned',
    `Cannot proceed with operation because resource ${referencedId} used by resource ${byId} is not in Succeeded state. Resource is in Updating state and the last operation that updated/is updating the resource is ${running.lock.name}.`,
    { details: [] },
  );
}
