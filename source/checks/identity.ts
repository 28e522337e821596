/**
 * The identity the pods use: the SecretProviderClass names the right client id (the add-on's
 * on AKS, read from ARM, never typed by hand, a common source of mistakes), and that identity may
 * read secrets (Key Vault Secrets User on an RBAC vault, `get` in an access policy).
 */
import { getIdentity } from '../azure/identity.js';
import { ROLE, holdsRole, listAssignments } from '../azure/roles.js';
import { getVault } from '../azure/vaults.js';
import { diagnosisContext, releaseClientId } from './diagnosis-context.js';
import { fixes } from './fixes.js';
import { federationCheck } from './identity-federation.js';
import { fail, pass, skip, type Check, type CheckContext, type CheckFacts } from './types.js';

/** The client id and principal the pods should use, from ARM and the configuration. */
async function expectedIdentity(
  ctx: CheckContext,
  facts: CheckFacts,
): Promise<{ clientId?: string; principalId?: string; source: string } | string> {
  const mode = ctx.config.identity?.mode ?? (ctx.config.target === 'azure' ? 'aks-addon' : 'workload-identity');
  if (mode === 'aks-addon') {
    if (!facts.aks) return 'the AKS cluster record is unknown';
    if (!facts.aks.addonEnabled || !facts.aks.addonClientId)
      return 'the Key Vault add-on is off, so it has no identity';
    return {
      clientId: facts.aks.addonClientId,
      ...(facts.aks.addonObjectId ? { principalId: facts.aks.addonObjectId } : {}),
      source: 'the add-on identity',
    };
  }
  if (mode === 'workload-identity') {
    const name = ctx.config.identity?.workloadIdentity?.name;
    if (!name || !ctx.azure) return 'the workload identity is unknown';
    const identity = await getIdentity({ azure: ctx.azure, signal: ctx.signal }, ctx.config.azure.resourceGroup, name);
    if (!identity?.clientId) return `managed identity ${name} doesn't exist`;
    return {
      clientId: identity.clientId,
      ...(identity.principalId ? { principalId: identity.principalId } : {}),
      source: `managed identity ${name}`,
    };
  }
  const sp = ctx.config.identity?.servicePrincipal;
  return {
    ...(sp?.clientId ? { clientId: sp.clientId } : {}),
    ...(sp?.objectId ? { principalId: sp.objectId } : {}),
    source: 'the service principal',
  };
}

export const identityChecks: readonly Check[] = [
  {
    id: 'identity.client-id',
    category: 'identity',
    phase: 'installed',
    description: 'the SecretProviderClass uses the right identity',
    severity: 'fatal',
    hint: (ctx, facts) => fixes.useAddonIdentity(diagnosisContext(ctx, facts)),
    async run(ctx, facts) {
      if (!facts.release) return skip("the Feathr release isn't deployed");
      const expected = await expectedIdentity(ctx, facts);
      if (typeof expected === 'string') {
        return expected.includes('add-on is off')
          ? fail(`The ${expected}.`, { hint: fixes.installDriver(diagnosisContext(ctx, facts)) })
          : skip(expected);
      }
      const actual = releaseClientId(facts);
      const podIdentity = {
        ...(expected.clientId ? { clientId: expected.clientId } : {}),
        ...(expected.principalId ? { principalId: expected.principalId } : {}),
      };
      if (expected.clientId && actual && actual.toLowerCase() !== expected.clientId.toLowerCase()) {
        return fail(
          `The SecretProviderClass uses client id ${actual}, but ${expected.source} is ${expected.clientId}, so the token request fails with "Identity not found".`,
          {
            facts: { podIdentity },
            diagnosis: 'identity-not-found',
          },
        );
      }
      return pass(expected.clientId ? `${expected.source} ${expected.clientId}` : expected.source, { podIdentity });
    },
  },
  federationCheck,
  {
    id: 'identity.role',
    category: 'identity',
    phase: 'installed',
    description: 'the identity may read secrets in the vault',
    severity: 'fatal',
    hint: (ctx, facts) => fixes.grantSecretsUser(diagnosisContext(ctx, facts)),
    async run(ctx, facts) {
      if (!ctx.azure) return skip('no Azure connection in this run');
      if (!facts.vault) return skip("the vault can't be read");
      const principalId = facts.podIdentity?.principalId;
      if (!principalId) return skip("the identity's object id is unknown (set identity.servicePrincipal.objectId)");
      const inner = { azure: ctx.azure, signal: ctx.signal };
      let granted: boolean;
      if (facts.vault.rbac) {
        granted = Boolean(
          holdsRole(await listAssignments(inner, facts.vault.id), principalId, ROLE.keyVaultSecretsUser),
        );
      } else {
        const vault = await getVault(inner, facts.vault.resourceGroup, ctx.config.vault.name);
        granted = (vault?.properties?.accessPolicies ?? []).some(
          (p) =>
            p.objectId?.toLowerCase() === principalId.toLowerCase() &&
            (p.permissions?.secrets ?? []).some((s) => s.toLowerCase() === 'get' || s.toLowerCase() === 'all'),
        );
      }
      const podIdentity = { ...facts.podIdentity, roleAssigned: granted };
      if (!granted) {
        const what = facts.vault.rbac
          ? 'has no Key Vault Secrets User role'
          : 'has no access policy with get on secrets';
        return fail(
          `Identity ${facts.podIdentity?.clientId ?? principalId} ${what} on vault ${ctx.config.vault.name}, so every mount fails with 403.`,
          { facts: { podIdentity }, diagnosis: 'rbac-denied' },
        );
      }
      return pass(facts.vault.rbac ? 'Key Vault Secrets User (or stronger)' : 'access policy with get', {
        podIdentity,
      });
    },
  },
];
