/**
 * `PUT …/vaults/{name}/accessPolicies/{add|replace|remove}` (Vaults_UpdateAccessPolicy, what
 * arm-keyvault's `vaults.updateAccessPolicy` sends). A policy added or widened here reaches the
 * data plane only after the world's propagation delay (`rbacPropagationSeconds`), as access
 * policy changes do in Key Vault: right after the change the data plane still answers 403
 * AccessDenied (sources in ../README.md § Access policies).
 */
import type { SandboxState } from '../world/state.js';
import { fail, json, type ArmCall } from './call.js';
import type { ArmRoute } from './router.js';
import { clone, getResource, props, putResource, resourceGroupId } from './store.js';

type Policy = {
  tenantId?: string;
  objectId?: string;
  applicationId?: string;
  permissions?: Record<string, string[] | undefined>;
};

const KINDS = ['add', 'replace', 'remove'];

function policyKey(vaultName: string, objectId: string): string {
  return `${vaultName.toLowerCase()}|${objectId.toLowerCase()}`;
}

/** Whether a policy change for this principal on this vault has reached the data plane yet. */
export function accessPolicyEffective(state: SandboxState, vaultName: string, objectId: string, now: number): boolean {
  return (state.accessPolicyEffectiveAt?.get(policyKey(vaultName, objectId)) ?? 0) <= now;
}

function merge(current: Policy[], changes: Policy[], kind: string): Policy[] {
  const same = (a: Policy, b: Policy) =>
    (a.objectId ?? '').toLowerCase() === (b.objectId ?? '').toLowerCase() &&
    (a.applicationId ?? '') === (b.applicationId ?? '');
  const next = current.map((p) => clone(p));
  for (const change of changes) {
    const found = next.find((p) => same(p, change));
    if (kind === 'remove') {
      if (found) next.splice(next.indexOf(found), 1);
    } else if (!found) {
      next.push(clone(change));
    } else if (kind === 'replace') {
      found.permissions = clone(change.permissions ?? {});
    } else {
      const permissions = { ...(found.permissions ?? {}) };
      for (const [kindOf, list] of Object.entries(change.permissions ?? {}))
        permissions[kindOf] = [...new Set([...(permissions[kindOf] ?? []), ...(list ?? [])])];
      found.permissions = permissions;
    }
  }
  return next;
}

function updateAccessPolicy(call: ArmCall) {
  const { state } = call.ctx;
  const kind = call.params.kind.toLowerCase();
  if (!KINDS.includes(kind))
    fail(400, 'BadRequest', `The operation kind '${call.params.kind}' is not valid; use add, replace or remove.`);
  const vault = getResource(
    state,
    `${resourceGroupId(state, call.params.rg, call.params.sub)}/providers/Microsoft.KeyVault/vaults/${call.params.name}`,
  );
  if (!vault)
    fail(
      404,
      'ResourceNotFound',
      `The Resource 'Microsoft.KeyVault/vaults/${call.params.name}' under resource group '${call.params.rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
    );
  const changes = (call.body().properties?.accessPolicies ?? []) as Policy[];
  const next = merge((props(vault).accessPolicies ?? []) as Policy[], changes, kind);
  (vault.properties as Record<string, unknown>).accessPolicies = next;
  putResource(state, vault);
  if (kind !== 'remove') {
    state.accessPolicyEffectiveAt ??= new Map();
    for (const change of changes) {
      if (change.objectId)
        state.accessPolicyEffectiveAt.set(
          policyKey(vault.name, change.objectId),
          call.ctx.now() + state.rbacPropagationSeconds * 1000,
        );
    }
  }
  return json(200, {
    id: `${vault.id}/accessPolicies/${kind}`,
    name: kind,
    type: 'Microsoft.KeyVault/vaults/accessPolicies',
    location: vault.location,
    properties: { accessPolicies: clone(next) },
  });
}

export const accessPolicyRoutes: ArmRoute[] = [
  {
    methods: ['PUT'],
    pattern:
      '/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.KeyVault/vaults/{name}/accessPolicies/{kind}',
    action: 'Microsoft.KeyVault/vaults/accessPolicies/write',
    handle: updateAccessPolicy,
  },
];
