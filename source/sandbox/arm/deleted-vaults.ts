/**
 * Soft-deleted vaults: list, get (location-scoped id), and purge (LRO with a Location header,
 * refused while purge protection is on).
 */
import type { DeletedVault, SandboxState } from '../world/state.js';
import { fail, json, type ArmCall } from './call.js';
import { lroResponse } from './lro.js';
import type { ArmRoute } from './router.js';

const DELETED = '/subscriptions/{sub}/providers/Microsoft.KeyVault/locations/{loc}/deletedVaults/{name}';

function deletedBody(state: SandboxState, deleted: DeletedVault): Record<string, unknown> {
  const { vault } = deleted;
  return {
    id: `/subscriptions/${state.subscriptionId}/providers/Microsoft.KeyVault/locations/${vault.location}/deletedVaults/${vault.name}`,
    name: vault.name,
    type: 'Microsoft.KeyVault/deletedVaults',
    properties: {
      vaultId: vault.id,
      location: vault.location,
      tags: vault.tags ?? {},
      deletionDate: deleted.deletionDate,
      scheduledPurgeDate: deleted.scheduledPurgeDate,
      purgeProtectionEnabled: deleted.purgeProtectionEnabled,
    },
  };
}

function requireDeleted(call: ArmCall): DeletedVault {
  const deleted = call.ctx.state.deletedVaults.get(call.params.name.toLowerCase());
  if (!deleted || deleted.vault.location?.toLowerCase() !== call.params.loc.toLowerCase()) {
    fail(
      404,
      'ResourceNotFound',
      `The Resource 'Microsoft.KeyVault/deletedVaults/${call.params.name}' in location '${call.params.loc}' was not found.`,
    );
  }
  return deleted;
}

function purge(call: ArmCall) {
  const { state } = call.ctx;
  const deleted = requireDeleted(call);
  if (deleted.purgeProtectionEnabled) {
    fail(
      409,
      'Conflict',
      `Operation 'DeletedVaultPurge' is not allowed: vault '${deleted.vault.name}' has purge protection enabled. It is purged automatically on ${deleted.scheduledPurgeDate}. (sandbox: exact Azure text unverified)`,
    );
  }
  state.deletedVaults.delete(deleted.vault.name.toLowerCase());
  state.vaultSecrets.delete(deleted.vault.name.toLowerCase());
  return lroResponse(call, 202, undefined, undefined, {
    provider: 'Microsoft.KeyVault',
    location: call.params.loc,
    asyncOperation: false,
    locationHeader: true,
  });
}

export const deletedVaultRoutes: ArmRoute[] = [
  {
    methods: ['GET'],
    pattern: '/subscriptions/{sub}/providers/Microsoft.KeyVault/deletedVaults',
    action: 'Microsoft.KeyVault/deletedVaults/read',
    handle: (call) =>
      json(200, {
        value: [...call.ctx.state.deletedVaults.values()].map((deleted) => deletedBody(call.ctx.state, deleted)),
      }),
  },
  {
    methods: ['GET'],
    pattern: DELETED,
    action: 'Microsoft.KeyVault/deletedVaults/read',
    handle: (call) => json(200, deletedBody(call.ctx.state, requireDeleted(call))),
  },
  {
    methods: ['POST'],
    pattern: `${DELETED}/purge`,
    action: 'Microsoft.KeyVault/locations/deletedVaults/purge/action',
    handle: purge,
  },
];
