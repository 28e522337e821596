/**
 * Read-only lookups over the ARM resources the world stores (as ARM's GET JSON, keyed by
 * lower-cased id). Ids and types are compared case-insensitively, as ARM does.
 */
import type { ArmResource, SandboxState } from '../world/state.js';

export function resourcesOfType(state: SandboxState, type: string): ArmResource[] {
  const wanted = type.toLowerCase();
  return [...state.resources.values()].filter((resource) => resource.type?.toLowerCase() === wanted);
}

export function findVault(state: SandboxState, vaultName: string): ArmResource | undefined {
  const wanted = vaultName.toLowerCase();
  return resourcesOfType(state, 'Microsoft.KeyVault/vaults').find((vault) => vault.name.toLowerCase() === wanted);
}

export function sameId(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
}

/** `/subscriptions/../virtualNetworks/v/subnets/s` → `/subscriptions/../virtualNetworks/v`. */
export function vnetIdOfSubnet(subnetId: string): string {
  const index = subnetId.toLowerCase().indexOf('/subnets/');
  return index === -1 ? subnetId : subnetId.slice(0, index);
}

export function props(resource: ArmResource | undefined): Record<string, any> {
  return (resource?.properties ?? {}) as Record<string, any>;
}
