/**
 * The identity Feathr's pods use gets read access to the vault: Key Vault Secrets User on the
 * vault scope (RBAC vaults) or an access policy with get/list (access-policy vaults). Which
 * identity depends on identity.mode: the AKS add-on's managed identity, the workload identity,
 * or an existing service principal.
 */
import { defineStep } from './step-context.js';
import { blocked, fromChanges } from '../kernel/plan.js';
import { UserError } from '../kernel/errors.js';
import { identityMode } from '../config/setup-config.js';
import { addonIdentity, requireCluster } from '../azure/aks.js';
import { getIdentity } from '../azure/identity.js';
import { ROLE } from '../azure/roles.js';
import { aksRef } from './topology.js';
import { workloadIdentityNames } from '../config/setup-config.js';
import { accessChange, grantAccess, holdsAccess, type AccessWanted } from './vault-access.js';

type Ctx = Parameters<typeof holdsAccess>[0];

const READ = {
  roleId: ROLE.keyVaultSecretsUser,
  secretPermissions: ['get', 'list'] as AccessWanted['secretPermissions'],
};

/** The reader's objectId, or why it isn't known yet (created by an earlier step) or can't be. */
async function readerIdentity(
  ctx: Ctx,
): Promise<{ who: string; objectId?: string; pending?: string; problem?: string; hint?: string }> {
  const mode = identityMode(ctx.config);
  if (mode === 'aks-addon') {
    const ref = aksRef(ctx.config);
    const objectId = addonIdentity(await requireCluster(ctx, ref.resourceGroup, ref.name))?.objectId;
    return {
      who: `the add-on identity of ${ref.name}`,
      ...(objectId ? { objectId } : { pending: 'known once the add-on is enabled' }),
    };
  }
  if (mode === 'workload-identity') {
    const names = workloadIdentityNames(ctx.config);
    const objectId = (await getIdentity(ctx, names.resourceGroup, names.identity))?.principalId;
    return {
      who: `managed identity ${names.identity}`,
      ...(objectId ? { objectId } : { pending: 'known once the identity is created' }),
    };
  }
  const sp = ctx.config.identity?.servicePrincipal;
  // Looking an objectId up needs Microsoft Graph, which this tool doesn't call: the preset names it.
  if (sp?.objectId) return { who: `service principal ${sp.clientId ?? sp.objectId}`, objectId: sp.objectId };
  return {
    who: `service principal ${sp?.clientId ?? ''}`.trim(),
    problem: "The service principal's objectId is needed to grant it access.",
    hint: `Set identity.servicePrincipal.objectId (az ad sp show --id ${sp?.clientId ?? '<clientId>'} --query id -o tsv).`,
  };
}

export const readerAccessStep = defineStep<'config' | 'azure' | 'signal'>({
  id: 'reader-access',
  title: 'Read access for the pod identity',
  dependsOn: ['vault', 'aks-addon', 'workload-identity'],
  appliesTo: () => true,
  async plan(ctx) {
    const reader = await readerIdentity(ctx);
    if (reader.problem) return blocked({ reader: null }, reader.problem, reader.hint);
    if (!reader.objectId) {
      return fromChanges({ reader: null }, [
        {
          ...accessChange(ctx.config, { who: reader.who, ...READ }, false),
          reason: `for ${reader.who}, ${reader.pending}`,
        },
      ]);
    }
    const { holds, observed } = await holdsAccess(ctx, {
      who: reader.who,
      objectId: reader.objectId,
      principalType: 'ServicePrincipal',
      ...READ,
    });
    return fromChanges({ reader: reader.objectId, ...(observed as object) }, [
      accessChange(ctx.config, { who: reader.who, ...READ }, holds),
    ]);
  },
  async apply(ctx) {
    const reader = await readerIdentity(ctx);
    if (!reader.objectId)
      throw new UserError(
        `Can't grant read access: the objectId of ${reader.who} isn't known (${reader.pending ?? reader.problem}).`,
        reader.hint ?? 'Run the same command again.',
      );
    const want: AccessWanted = {
      who: reader.who,
      objectId: reader.objectId,
      principalType: 'ServicePrincipal',
      ...READ,
    };
    if (!(await holdsAccess(ctx, want)).holds) await grantAccess(ctx, want);
  },
  async verify(ctx) {
    const reader = await readerIdentity(ctx);
    const holds = reader.objectId
      ? (
          await holdsAccess(ctx, {
            who: reader.who,
            objectId: reader.objectId,
            principalType: 'ServicePrincipal',
            ...READ,
          })
        ).holds
      : false;
    if (!holds)
      throw new UserError(
        `${reader.who} has no read access to vault ${ctx.config.vault.name}.`,
        'Run the same command again.',
      );
    return `Read access granted to ${reader.who}`;
  },
});
