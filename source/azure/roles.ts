/**
 * Role assignments (arm-authorization 9, classic). Names are deterministic GUIDs of
 * scope + principal + role, so a re-run PUTs the same assignment and "already exists" is success.
 */
import { createHash } from 'node:crypto';
import type { RoleAssignment } from '@azure/arm-authorization';
import type { AzureClients } from './clients.js';
import { AzureOperationError, azureCall } from './errors.js';

type Ctx = { azure: AzureClients; signal: AbortSignal };

export const ROLE = {
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6',
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7',
  keyVaultAdministrator: '00482a5a-887f-4fb3-b363-3b7fe8e74483',
} as const;

/** Roles that include reading secrets, and those that include writing them. */
const SATISFIES = {
  [ROLE.keyVaultSecretsUser]: [ROLE.keyVaultSecretsUser, ROLE.keyVaultSecretsOfficer, ROLE.keyVaultAdministrator],
  [ROLE.keyVaultSecretsOfficer]: [ROLE.keyVaultSecretsOfficer, ROLE.keyVaultAdministrator],
} as Record<string, readonly string[]>;

export const ROLE_NAMES: Record<string, string> = {
  [ROLE.keyVaultSecretsUser]: 'Key Vault Secrets User',
  [ROLE.keyVaultSecretsOfficer]: 'Key Vault Secrets Officer',
  [ROLE.keyVaultAdministrator]: 'Key Vault Administrator',
};

/** A name-based GUID (RFC 4122 layout, version 5 bits) so the same inputs always give the same name. */
export function assignmentName(scope: string, principalId: string, roleId: string): string {
  const h = createHash('sha1')
    .update(`${scope.toLowerCase()}|${principalId.toLowerCase()}|${roleId.toLowerCase()}`)
    .digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

/** arm-authorization 9 turns a leading slash into `//subscriptions`. */
export function sdkScope(scope: string): string {
  return scope.replace(/^\/+/, '');
}

function roleGuid(roleDefinitionId: string | undefined): string {
  return (roleDefinitionId ?? '').split('/').pop()!.toLowerCase();
}

export async function listAssignments(ctx: Ctx, scope: string): Promise<RoleAssignment[]> {
  return azureCall(
    `list role assignments on ${scope.split('/').pop()}`,
    async () => {
      const all: RoleAssignment[] = [];
      for await (const a of ctx.azure.authorization.roleAssignments.listForScope(sdkScope(scope), {
        abortSignal: ctx.signal,
      }))
        all.push(a);
      return all;
    },
    ctx.signal,
  );
}

/** Whether the principal already holds the role (or a stronger Key Vault role) at the scope or above it. */
export function holdsRole(
  assignments: readonly RoleAssignment[],
  principalId: string,
  roleId: string,
): RoleAssignment | undefined {
  const accepted = SATISFIES[roleId] ?? [roleId];
  return assignments.find(
    (a) =>
      a.principalId?.toLowerCase() === principalId.toLowerCase() && accepted.includes(roleGuid(a.roleDefinitionId)),
  );
}

export async function assignRole(
  ctx: Ctx,
  scope: string,
  principalId: string,
  roleId: string,
  principalType: 'ServicePrincipal' | 'User' = 'ServicePrincipal',
): Promise<'created' | 'exists'> {
  const name = assignmentName(scope, principalId, roleId);
  const roleDefinitionId = `/subscriptions/${ctx.azure.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${roleId}`;
  const operation = `assign ${ROLE_NAMES[roleId] ?? roleId} to ${principalId} on ${scope.split('/').pop()}`;
  try {
    await azureCall(
      operation,
      () =>
        ctx.azure.authorization.roleAssignments.create(
          sdkScope(scope),
          name,
          // principalType avoids PrincipalNotFound for an identity created seconds ago (replication delay).
          { roleDefinitionId, principalId, principalType, description: 'Granted by feathr-kv-setup' },
          { abortSignal: ctx.signal },
        ),
      ctx.signal,
    );
    return 'created';
  } catch (error) {
    // An equivalent assignment (maybe under another name) already exists: that is the goal.
    if (error instanceof AzureOperationError && error.statusCode === 409 && error.code === 'RoleAssignmentExists')
      return 'exists';
    // The type came from token claims, which can guess wrong; ARM names the real one.
    const actual =
      error instanceof AzureOperationError && error.code === 'UnmatchedPrincipalType'
        ? unmatchedType(error.message)
        : undefined;
    if (actual && actual !== principalType) return assignRole(ctx, scope, principalId, roleId, actual);
    throw error;
  }
}

/** "The PrincipalId '…' has type 'ServicePrincipal' , which is different from specified …" → its type. */
function unmatchedType(message: string): 'ServicePrincipal' | 'User' | undefined {
  const found = /has type '([A-Za-z]+)'/.exec(message)?.[1];
  return found === 'ServicePrincipal' || found === 'User' ? found : undefined;
}
