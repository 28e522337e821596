/**
 * The operator (whoever runs the tool) needs to write secrets through the data plane during
 * migration: Key Vault Secrets Officer on an RBAC vault (Owner on the subscription doesn't
 * include data-plane rights), or an access policy with get/list/set.
 */
import { defineStep } from './step-context.js';
import { fromChanges, noOp } from '../kernel/plan.js';
import { UserError } from '../kernel/errors.js';
import { ROLE } from '../azure/roles.js';
import { accessChange, grantAccess, holdsAccess, type AccessWanted } from './vault-access.js';

const WRITE = {
  roleId: ROLE.keyVaultSecretsOfficer,
  secretPermissions: ['get', 'list', 'set'] as AccessWanted['secretPermissions'],
};
const WHO = 'you (the operator)';

export const operatorAccessStep = defineStep<'config' | 'azure' | 'signal' | 'operator'>({
  id: 'operator-access',
  title: 'Secret write access for the operator',
  dependsOn: ['vault'],
  appliesTo: () => true,
  async plan(ctx) {
    const op = await ctx.operator.whoAmI();
    if (!op)
      return noOp({ operator: null }, [
        {
          mark: '=',
          resource: `access for ${WHO}`,
          reason:
            "can't tell who you are from the credential; grant yourself Key Vault Secrets Officer if writing secrets fails",
        },
      ]);
    const { holds, observed } = await holdsAccess(ctx, {
      who: WHO,
      objectId: op.objectId,
      principalType: op.principalType,
      ...WRITE,
    });
    return fromChanges({ operator: op.objectId, ...(observed as object) }, [
      accessChange(ctx.config, { who: WHO, ...WRITE }, holds),
    ]);
  },
  async apply(ctx) {
    const op = await ctx.operator.whoAmI();
    if (!op) return;
    const want: AccessWanted = { who: WHO, objectId: op.objectId, principalType: op.principalType, ...WRITE };
    if (!(await holdsAccess(ctx, want)).holds) await grantAccess(ctx, want);
  },
  async verify(ctx) {
    const op = await ctx.operator.whoAmI();
    if (!op) return 'Operator access not checked: identity unknown';
    const holds = (
      await holdsAccess(ctx, { who: WHO, objectId: op.objectId, principalType: op.principalType, ...WRITE })
    ).holds;
    if (!holds)
      throw new UserError(
        `You have no secret write access to vault ${ctx.config.vault.name}.`,
        'Run the same command again.',
      );
    return `Secret write access granted to ${WHO}`;
  },
});
