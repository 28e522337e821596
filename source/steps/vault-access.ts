/**
 * Shared by reader-access and operator-access: does a principal hold a data-plane right on the
 * vault (an RBAC role at the vault scope or above, or an access policy), and grant it if not.
 */
import type { Change } from '../kernel/step.js';
import { permissionModel, vaultGroup, type SetupConfig } from '../config/setup-config.js';
import type { AzureClients } from '../azure/clients.js';
import { addAccessPolicy, getVault, vaultId } from '../azure/vaults.js';
import { assignRole, holdsRole, listAssignments, ROLE_NAMES } from '../azure/roles.js';

type Ctx = { config: SetupConfig; azure: AzureClients; signal: AbortSignal };

export interface AccessWanted {
  /** Who, for messages: "the add-on identity", "you (the operator)". */
  who: string;
  objectId: string;
  principalType: 'ServicePrincipal' | 'User';
  roleId: string;
  secretPermissions: ('get' | 'list' | 'set')[];
}

export async function holdsAccess(ctx: Ctx, want: AccessWanted): Promise<{ holds: boolean; observed: unknown }> {
  const resourceGroup = vaultGroup(ctx.config);
  const vault = await getVault(ctx, resourceGroup, ctx.config.vault.name);
  if (!vault) return { holds: false, observed: { vault: null } };
  if (permissionModel(ctx.config) === 'rbac') {
    const scope = vaultId(ctx.azure, resourceGroup, ctx.config.vault.name);
    const found = holdsRole(await listAssignments(ctx, scope), want.objectId, want.roleId);
    return { holds: Boolean(found), observed: { assignment: found?.id?.toLowerCase() ?? null } };
  }
  const policy = (vault.properties.accessPolicies ?? []).find(
    (p) => p.objectId.toLowerCase() === want.objectId.toLowerCase(),
  );
  const has = new Set((policy?.permissions.secrets ?? []).map((s) => s.toLowerCase()));
  const holds = want.secretPermissions.every((p) => has.has(p) || has.has('all'));
  return { holds, observed: { policy: [...has].sort() } };
}

export function accessChange(
  config: SetupConfig,
  want: { who: string; roleId: string; secretPermissions: string[] },
  holds: boolean,
): Change {
  const vault = `vault ${config.vault.name}`;
  if (permissionModel(config) === 'rbac') {
    const role = ROLE_NAMES[want.roleId] ?? want.roleId;
    return holds
      ? { mark: '=', resource: `${role} for ${want.who}`, reason: `already granted on ${vault} or above` }
      : { mark: '+', resource: `role assignment ${role}`, to: want.who, reason: `scope ${vault}` };
  }
  return holds
    ? {
        mark: '=',
        resource: `access policy for ${want.who}`,
        reason: `already allows secrets ${want.secretPermissions.join('/')}`,
      }
    : {
        mark: '+',
        resource: `access policy on ${vault}`,
        to: want.who,
        reason: `secrets ${want.secretPermissions.join(', ')}`,
      };
}

export async function grantAccess(ctx: Ctx, want: AccessWanted): Promise<void> {
  const resourceGroup = vaultGroup(ctx.config);
  if (permissionModel(ctx.config) === 'rbac') {
    await assignRole(
      ctx,
      vaultId(ctx.azure, resourceGroup, ctx.config.vault.name),
      want.objectId,
      want.roleId,
      want.principalType,
    );
    return;
  }
  await addAccessPolicy(ctx, resourceGroup, ctx.config.vault.name, {
    tenantId: ctx.config.azure.tenantId ?? ctx.azure.tenantId,
    objectId: want.objectId,
    permissions: { secrets: want.secretPermissions },
  });
}
