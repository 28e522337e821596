/**
 * Azure RBAC over the sandbox's role assignments: which actions and dataActions a principal
 * holds at a scope (assignments at the scope or any parent apply). ARM control-plane checks
 * use assignments at once; the Key Vault data plane honours `roleAssignmentEffectiveAt`
 * (role propagation delay).
 */
import type { ArmResource, SandboxState } from '../world/state.js';
import { findRoleDefinition, type RolePermission } from './role-definitions.js';
import { resourcesOfType } from './store.js';

export const ROLE_ASSIGNMENT_TYPE = 'Microsoft.Authorization/roleAssignments';

function normaliseScope(scope: string): string {
  const trimmed = `/${scope}`.replace(/\/+/g, '/').replace(/\/$/, '');
  return (trimmed || '/').toLowerCase();
}

/** Does an assignment at `assignedScope` apply to `target` (same scope or a child of it)? */
export function scopeContains(assignedScope: string, target: string): boolean {
  const outer = normaliseScope(assignedScope);
  const inner = normaliseScope(target);
  return outer === '/' || inner === outer || inner.startsWith(`${outer}/`);
}

function globMatches(pattern: string, value: string): boolean {
  const regex = new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
    'i',
  );
  return regex.test(value);
}

function grants(allowed: string[], denied: string[], operation: string): boolean {
  return (
    allowed.some((pattern) => globMatches(pattern, operation)) &&
    !denied.some((pattern) => globMatches(pattern, operation))
  );
}

function roleAssignmentsFor(state: SandboxState, principalId: string, scope: string): ArmResource[] {
  const wanted = principalId.toLowerCase();
  return resourcesOfType(state, ROLE_ASSIGNMENT_TYPE).filter((assignment) => {
    const p = assignment.properties as { principalId?: string; scope?: string };
    return p.principalId?.toLowerCase() === wanted && scopeContains(p.scope ?? '/', scope);
  });
}

/** The permissions a principal holds at a scope, as ARM's `permissions` API lists them. */
export function permissionsAt(
  state: SandboxState,
  principalId: string,
  scope: string,
  options: { now?: number } = {},
): RolePermission[] {
  return roleAssignmentsFor(state, principalId, scope).flatMap((assignment) => {
    if (options.now !== undefined) {
      const effectiveAt = state.roleAssignmentEffectiveAt.get(assignment.id.toLowerCase());
      if (effectiveAt !== undefined && effectiveAt > options.now) return [];
    }
    const definition = findRoleDefinition(
      String((assignment.properties as { roleDefinitionId?: string }).roleDefinitionId ?? ''),
    );
    return definition ? definition.permissions : [];
  });
}

/** Control-plane check (ARM applies new assignments at once in the sandbox). */
export function hasAction(state: SandboxState, principalId: string, scope: string, action: string): boolean {
  return permissionsAt(state, principalId, scope).some((permission) =>
    grants(permission.actions, permission.notActions, action),
  );
}

/**
 * Data-plane check, e.g. `Microsoft.KeyVault/vaults/secrets/getSecret/action` on a vault id.
 * Assignments younger than the propagation delay don't count yet.
 */
export function hasDataAction(
  state: SandboxState,
  principalId: string,
  scope: string,
  dataAction: string,
  now: number,
): boolean {
  return permissionsAt(state, principalId, scope, { now }).some((permission) =>
    grants(permission.dataActions, permission.notDataActions, dataAction),
  );
}
