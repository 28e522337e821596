/**
 * Role assignments this tool made on the vault (description "Granted by feathr-kv-setup"):
 * Secrets User for the pods' identity, Secrets Officer for the operator. Removed before the
 * identities, so none is left pointing at a principal that no longer exists. Assignments by
 * anyone else, even for the same principal and role, are never touched.
 */
import { permissionModel } from '../config/setup-config.js';
import { getVault, vaultId } from '../azure/vaults.js';
import { listAssignments, ROLE_NAMES } from '../azure/roles.js';
import { isOurRoleAssignment } from '../domain/ownership.js';
import { deleteRoleAssignment } from '../azure/removal-calls.js';
import { defineRemoval, keepItem, removeItem, type Removal } from './removal.js';
import { CLUSTER_SIDE } from './cluster-side.js';

export const REMOVE_ROLES = 'remove-role-assignments';

export const removeRoleAssignmentsStep = defineRemoval<'config' | 'azure' | 'signal'>({
  id: REMOVE_ROLES,
  title: 'Role assignments on the vault',
  dependsOn: CLUSTER_SIDE,
  appliesTo: () => true,
  done: 'Role assignments removed',
  async inspect(ctx) {
    const { resourceGroup } = ctx.config.azure;
    const name = ctx.config.vault.name;
    const vault = await getVault(ctx, resourceGroup, name);
    if (!vault) return { observed: { vault: null }, items: [] };
    if (permissionModel(ctx.config) === 'access-policy' && !vault.properties.enableRbacAuthorization) {
      // Access policies carry no owner mark, so the tool can't tell its own from yours.
      return {
        observed: { model: 'access-policy' },
        items: [
          keepItem(
            `access policies on vault ${name}`,
            `access policies carry no owner mark, so they're kept; remove the ones you don't want with az keyvault delete-policy --name ${name} --object-id <id>`,
          ),
        ],
      };
    }
    const scope = vaultId(ctx.azure, resourceGroup, name);
    const atVault = (await listAssignments(ctx, scope)).filter((a) => a.scope?.toLowerCase() === scope.toLowerCase());
    const items: Removal[] = atVault.map((a) => {
      const role =
        ROLE_NAMES[(a.roleDefinitionId ?? '').split('/').pop()!.toLowerCase()] ??
        a.roleDefinitionId?.split('/').pop() ??
        'role';
      const resource = `role assignment ${role} for ${a.principalId} on vault ${name}`;
      if (!isOurRoleAssignment(a.description)) return keepItem(resource, 'not made by this tool');
      return removeItem(resource, 'granted by this tool', () => deleteRoleAssignment(ctx, scope, a.name ?? ''));
    });
    return { observed: atVault.map((a) => `${a.name}:${a.description ?? ''}`).sort(), items };
  },
});
