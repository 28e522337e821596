/**
 * Resource storage helpers over `state.resources` (ARM GET JSON keyed by lower-cased id).
 */
import type { ArmResource, SandboxState } from '../world/state.js';
import { fail } from './call.js';

export function getResource(state: SandboxState, id: string): ArmResource | undefined {
  return state.resources.get(id.toLowerCase());
}

export function putResource(state: SandboxState, resource: ArmResource): ArmResource {
  state.resources.set(resource.id.toLowerCase(), resource);
  return resource;
}

export function deleteResource(state: SandboxState, id: string): boolean {
  return state.resources.delete(id.toLowerCase());
}

export function resourcesOfType(state: SandboxState, type: string, underId?: string): ArmResource[] {
  const wanted = type.toLowerCase();
  const prefix = underId ? `${underId.toLowerCase()}/` : undefined;
  const found: ArmResource[] = [];
  for (const [key, resource] of state.resources) {
    if (resource.type.toLowerCase() === wanted && (!prefix || key.startsWith(prefix))) found.push(resource);
  }
  return found;
}

/** Deletes a resource and everything under its id (children, nested children). */
export function deleteTree(state: SandboxState, id: string): void {
  const key = id.toLowerCase();
  for (const other of [...state.resources.keys()]) {
    if (other === key || other.startsWith(`${key}/`)) state.resources.delete(other);
  }
}

/** A resource group's id in the given subscription (the world's default one when absent). */
export function resourceGroupId(state: SandboxState, name: string, subscriptionId = state.subscriptionId): string {
  const stored = getResource(state, `/subscriptions/${subscriptionId}/resourceGroups/${name}`);
  return stored?.id ?? `/subscriptions/${subscriptionId}/resourceGroups/${name}`;
}

/** The resource group, or 404 ResourceGroupNotFound as ARM answers. */
export function requireResourceGroup(
  state: SandboxState,
  name: string,
  subscriptionId = state.subscriptionId,
): ArmResource {
  const group = getResource(state, `/subscriptions/${subscriptionId}/resourceGroups/${name}`);
  if (!group) fail(404, 'ResourceGroupNotFound', `Resource group '${name}' could not be found.`);
  return group;
}

export function notFound(type: string, name: string, resourceGroup: string): never {
  fail(
    404,
    'ResourceNotFound',
    `The Resource '${type}/${name}' under resource group '${resourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
  );
}

export function parentNotFound(action: string, childType: string, parentId: string): never {
  fail(
    404,
    'ParentResourceNotFound',
    `Failed to perform '${action}' on resource(s) of type '${childType}', because the parent resource '${parentId}' could not be found.`,
  );
}

export function props(resource: ArmResource | undefined): Record<string, any> {
  return (resource?.properties ?? {}) as Record<string, any>;
}

/** Deep copy so a caller never mutates the stored resource through a response body. */
export function clone<T>(value: T): T {
  return structuredClone(value);
}

export function sameId(a: string | undefined, b: string | undefined): boolean {
  return typeof a === 'string' && typeof b === 'string' && a.toLowerCase() === b.toLowerCase();
}
