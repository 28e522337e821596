/**
 * Microsoft.KeyVault/vaults: PUT (LRO, Azure-AsyncOperation; create, update, or recover with
 * createMode 'recover'), PATCH, GET, list by group and subscription, DELETE (soft delete),
 * checkNameAvailability. Names are global: a live or soft-deleted vault anywhere holds its name.
 * `vaultUri` points at the sandbox's data plane (`${baseUrl}/kv/<name>/`) because
 * `https://<name>.vault.azure.net/` isn't reachable here.
 */
import type { ArmResource, SandboxState } from '../world/state.js';
import { apiAtLeast, fail, json, nowIso, type ArmCall } from './call.js';
import { lroResponse } from './lro.js';
import type { ArmRoute } from './router.js';
import {
  clone,
  getResource,
  notFound,
  props,
  putResource,
  resourceGroupId,
  resourcesOfType,
  deleteTree,
} from './store.js';
import {
  checkOneWaySwitches,
  checkRetention,
  NAME_IN_USE_MESSAGE,
  normaliseNetworkAcls,
  vaultNameProblem,
} from './vault-rules.js';

export const VAULT_TYPE = 'Microsoft.KeyVault/vaults';
const VAULT = '/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.KeyVault/vaults/{name}';
const DELETED_STATE_MESSAGE =
  'A vault with the same name already exists in deleted state. You need to either recover or purge existing key vault. Follow this link https://go.microsoft.com/fwlink/?linkid=2149745 for more information on soft delete.';

export function findVaultByName(state: SandboxState, name: string): ArmResource | undefined {
  const wanted = name.toLowerCase();
  return resourcesOfType(state, VAULT_TYPE).find((vault) => vault.name.toLowerCase() === wanted);
}

export function vaultUri(baseUrl: string, name: string): string {
  return `${baseUrl}/kv/${name}/`;
}

/** Moves a vault to the soft-deleted list (its secrets stay, for a recover). */
export function softDeleteVault(state: SandboxState, vault: ArmResource, now: number): void {
  const p = props(vault);
  const retentionDays = Number(p.softDeleteRetentionInDays ?? 90);
  state.deletedVaults.set(vault.name.toLowerCase(), {
    vault: clone(vault),
    deletionDate: new Date(now).toISOString(),
    scheduledPurgeDate: new Date(now + retentionDays * 86_400_000).toISOString(),
    purgeProtectionEnabled: p.enablePurgeProtection === true,
  });
  deleteTree(state, vault.id);
}

function systemData(call: ArmCall, previous?: Record<string, unknown>): Record<string, unknown> {
  const principal = call.ctx.state.principals.get(call.principalId);
  const by = principal?.displayName ?? call.principalId;
  const byType = principal?.type === 'User' ? 'User' : 'Application';
  const at = nowIso(call.ctx);
  return {
    createdBy: by,
    createdByType: byType,
    createdAt: at,
    ...previous,
    lastModifiedBy: by,
    lastModifiedByType: byType,
    lastModifiedAt: at,
  };
}

function requireVault(call: ArmCall): ArmResource {
  const vault = getResource(call.ctx.state, vaultId(call));
  if (!vault) notFound(VAULT_TYPE, call.params.name, call.params.rg);
  return vault;
}

function vaultId(call: ArmCall): string {
  return `${resourceGroupId(call.ctx.state, call.params.rg, call.params.sub)}/providers/Microsoft.KeyVault/vaults/${call.params.name}`;
}

function createProperties(call: ArmCall, requested: Record<string, any>): Record<string, any> {
  if (typeof requested.tenantId !== 'string') fail(400, 'BadRequest', 'The parameter properties.tenantId is required.');
  if (!requested.sku || typeof requested.sku.name !== 'string')
    fail(400, 'BadRequest', 'The parameter properties.sku is required.');
  if (requested.enableSoftDelete === false) {
    fail(
      400,
      'BadRequest',
      'The property "enableSoftDelete" cannot be set to false. Soft delete is always on for new vaults.',
    );
  }
  const retention = checkRetention(requested.softDeleteRetentionInDays);
  const networkAcls = normaliseNetworkAcls(requested.networkAcls);
  return {
    sku: { family: requested.sku.family ?? 'A', name: requested.sku.name },
    tenantId: requested.tenantId,
    accessPolicies: requested.accessPolicies ?? [],
    enabledForDeployment: requested.enabledForDeployment ?? false,
    enabledForDiskEncryption: requested.enabledForDiskEncryption ?? false,
    enabledForTemplateDeployment: requested.enabledForTemplateDeployment ?? false,
    enableSoftDelete: true,
    softDeleteRetentionInDays: retention,
    // api-version 2026-02-01 changed the default permission model to RBAC.
    enableRbacAuthorization: requested.enableRbacAuthorization ?? apiAtLeast(call.apiVersion, '2026-02-01'),
    ...(requested.enablePurgeProtection === true ? { enablePurgeProtection: true } : {}),
    ...(networkAcls ? { networkAcls } : {}),
    publicNetworkAccess: requested.publicNetworkAccess ?? 'Enabled',
    vaultUri: vaultUri(call.ctx.baseUrl, call.params.name),
    provisioningState: 'RegisteringDns',
  };
}

/** PUT on an existing vault: a full replace, except what ARM keeps (model, one-way switches, connections). */
function replaceProperties(
  call: ArmCall,
  existing: Record<string, any>,
  requested: Record<string, any>,
): Record<string, any> {
  checkOneWaySwitches(existing, requested);
  const networkAcls = normaliseNetworkAcls(requested.networkAcls);
  return {
    ...existing,
    sku: requested.sku ?? existing.sku,
    tenantId: requested.tenantId ?? existing.tenantId,
    accessPolicies: requested.accessPolicies ?? existing.accessPolicies ?? [],
    enabledForDeployment: requested.enabledForDeployment ?? false,
    enabledForDiskEncryption: requested.enabledForDiskEncryption ?? false,
    enabledForTemplateDeployment: requested.enabledForTemplateDeployment ?? false,
    enableRbacAuthorization: requested.enableRbacAuthorization ?? existing.enableRbacAuthorization,
    ...(requested.enablePurgeProtection === true || existing.enablePurgeProtection === true
      ? { enablePurgeProtection: true }
      : {}),
    networkAcls,
    publicNetworkAccess: requested.publicNetworkAccess ?? 'Enabled',
  };
}

function putVault(call: ArmCall) {
  const { state } = call.ctx;
  const body = call.body();
  const name = call.params.name;
  const problem = vaultNameProblem(name);
  if (problem) fail(400, 'VaultNameNotValid', problem);
  if (typeof body.location !== 'string')
    fail(400, 'LocationRequired', 'The location property is required for this definition.');
  const location = body.location.toLowerCase().replace(/\s+/g, '');
  const requested = (body.properties ?? {}) as Record<string, any>;
  const id = vaultId(call);
  const existing = getResource(state, id);
  const createMode = requested.createMode ?? 'default';

  if (existing) {
    if (existing.location !== location) {
      fail(
        400,
        'InvalidResourceLocation',
        `The resource '${name}' already exists in location '${existing.location}' in resource group '${call.params.rg}'. A resource with the same name cannot be created in location '${location}'. Please select a new resource name.`,
      );
    }
    const updated: ArmResource = {
      ...existing,
      tags: body.tags ?? {},
      systemData: systemData(call, existing.systemData as Record<string, unknown>),
      properties: replaceProperties(call, props(existing), requested),
    };
    putResource(state, updated);
    return lroResponse(call, 200, clone(updated), updated.id, { provider: 'Microsoft.KeyVault', location });
  }

  const elsewhere = findVaultByName(state, name);
  if (elsewhere) fail(409, 'VaultAlreadyExists', NAME_IN_USE_MESSAGE(name));
  const deleted = state.deletedVaults.get(name.toLowerCase());
  if (createMode === 'recover') {
    if (!deleted)
      fail(
        400,
        'BadRequest',
        `The vault '${name}' can't be recovered: no soft-deleted vault with this name exists in subscription '${state.subscriptionId}'. (sandbox: exact Azure text unverified)`,
      );
    if (deleted.vault.id.toLowerCase() !== id.toLowerCase()) {
      fail(
        400,
        'BadRequest',
        `The vault '${name}' can only be recovered into its original resource group and subscription: '${deleted.vault.id}'. (sandbox: exact Azure text unverified)`,
      );
    }
    if (deleted.vault.location !== location) {
      fail(
        400,
        'BadRequest',
        `The vault '${name}' can only be recovered in its original location '${deleted.vault.location}'. (sandbox: exact Azure text unverified)`,
      );
    }
    state.deletedVaults.delete(name.toLowerCase());
    const recovered: ArmResource = {
      ...clone(deleted.vault),
      // A recovered vault comes back as it was, tags included (createMode recover restores the deleted vault).
      tags: deleted.vault.tags ?? {},
      systemData: systemData(call, deleted.vault.systemData as Record<string, unknown>),
      properties: {
        ...props(deleted.vault),
        vaultUri: vaultUri(call.ctx.baseUrl, deleted.vault.name),
        provisioningState: 'RegisteringDns',
      },
    };
    putResource(state, recovered);
    return lroResponse(call, 201, clone(recovered), recovered.id, { provider: 'Microsoft.KeyVault', location });
  }
  if (deleted) fail(409, 'ConflictError', DELETED_STATE_MESSAGE);

  const vault: ArmResource = {
    id,
    name,
    type: VAULT_TYPE,
    location,
    tags: body.tags ?? {},
    systemData: systemData(call),
    properties: createProperties(call, requested),
  };
  putResource(state, vault);
  return lroResponse(call, 201, clone(vault), vault.id, { provider: 'Microsoft.KeyVault', location });
}

function patchVault(call: ArmCall) {
  const existing = requireVault(call);
  const body = call.body();
  const requested = (body.properties ?? {}) as Record<string, any>;
  const current = props(existing);
  checkOneWaySwitches(current, requested);
  const next: Record<string, any> = { ...current };
  for (const [key, value] of Object.entries(requested)) {
    if (
      ['vaultUri', 'provisioningState', 'privateEndpointConnections', 'hsmPoolResourceId', 'createMode'].includes(key)
    )
      continue;
    next[key] = key === 'networkAcls' ? normaliseNetworkAcls(value) : value;
  }
  if (next.enablePurgeProtection !== true) delete next.enablePurgeProtection;
  const updated: ArmResource = {
    ...existing,
    tags: body.tags ?? existing.tags,
    systemData: systemData(call, existing.systemData as Record<string, unknown>),
    properties: next,
  };
  putResource(call.ctx.state, updated);
  return json(200, clone(updated));
}

function deleteVault(call: ArmCall) {
  const vault = getResource(call.ctx.state, vaultId(call));
  if (!vault) return { status: 204 };
  softDeleteVault(call.ctx.state, vault, call.ctx.now());
  return { status: 200 };
}

function checkNameAvailability(call: ArmCall) {
  const body = call.body();
  const name = String(body.name ?? '');
  if (String(body.type ?? '').toLowerCase() !== VAULT_TYPE.toLowerCase()) {
    fail(400, 'BadRequest', `The parameter type must be '${VAULT_TYPE}'.`);
  }
  const problem = vaultNameProblem(name);
  if (problem) return json(200, { nameAvailable: false, reason: 'AccountNameInvalid', message: problem });
  const { state } = call.ctx;
  if (findVaultByName(state, name) || state.deletedVaults.has(name.toLowerCase())) {
    return json(200, { nameAvailable: false, reason: 'AlreadyExists', message: NAME_IN_USE_MESSAGE(name) });
  }
  return json(200, { nameAvailable: true });
}

/** GET /subscriptions/{s}/resources?$filter=resourceType eq '...' (what arm-keyvault's vaults.list() calls). */
function listResources(call: ArmCall) {
  const filter = call.req.url.searchParams.get('$filter') ?? '';
  const type = /resourceType\s+eq\s+'([^']+)'/i.exec(filter)?.[1];
  const resources = [...call.ctx.state.resources.values()].filter(
    (resource) => !type || resource.type.toLowerCase() === type.toLowerCase(),
  );
  return json(200, {
    value: resources.map(({ id, name, type: resourceType, location, tags }) => ({
      id,
      name,
      type: resourceType,
      location,
      tags: tags ?? {},
    })),
  });
}

export const vaultRoutes: ArmRoute[] = [
  { methods: ['GET'], pattern: '/subscriptions/{sub}/resources', action: '*/read', handle: listResources },
  {
    methods: ['POST'],
    pattern: '/subscriptions/{sub}/providers/Microsoft.KeyVault/checkNameAvailability',
    action: 'Microsoft.KeyVault/checkNameAvailability/read',
    handle: checkNameAvailability,
  },
  {
    methods: ['GET'],
    pattern: '/subscriptions/{sub}/providers/Microsoft.KeyVault/vaults',
    action: 'Microsoft.KeyVault/vaults/read',
    handle: (call) => json(200, { value: resourcesOfType(call.ctx.state, VAULT_TYPE).map(clone) }),
  },
  {
    methods: ['GET'],
    pattern: '/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.KeyVault/vaults',
    action: 'Microsoft.KeyVault/vaults/read',
    handle: (call) =>
      json(200, {
        value: resourcesOfType(
          call.ctx.state,
          VAULT_TYPE,
          resourceGroupId(call.ctx.state, call.params.rg, call.params.sub),
        ).map(clone),
      }),
  },
  {
    methods: ['GET'],
    pattern: VAULT,
    action: 'Microsoft.KeyVault/vaults/read',
    handle: (call) => json(200, clone(requireVault(call))),
  },
  { methods: ['PUT'], pattern: VAULT, action: 'Microsoft.KeyVault/vaults/write', handle: putVault },
  { methods: ['PATCH'], pattern: VAULT, action: 'Microsoft.KeyVault/vaults/write', handle: patchVault },
  { methods: ['DELETE'], pattern: VAULT, action: 'Microsoft.KeyVault/vaults/delete', handle: deleteVault },
];
