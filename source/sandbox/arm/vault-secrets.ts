/**
 * Management-plane `vaults/secrets` (ARM, api "for internal use in ARM deployments"): PUT is not
 * an LRO (201 new, 200 new version), the value is never returned, and the vault firewall does
 * not apply (control plane). GET and list return metadata only. There is no DELETE.
 */
import { addSecretVersion, findSecret, latestVersion, MAX_SECRET_VALUE_BYTES } from '../keyvault/secret-store.js';
import type { ArmResource, SecretRecord } from '../world/state.js';
import { fail, json, type ArmCall } from './call.js';
import type { ArmRoute } from './router.js';
import { getResource, notFound, parentNotFound, props, resourceGroupId } from './store.js';
import { VAULT_TYPE } from './vaults.js';

const SECRETS = '/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.KeyVault/vaults/{name}/secrets';

function vaultOf(call: ArmCall, action: string): ArmResource {
  const id = `${resourceGroupId(call.ctx.state, call.params.rg, call.params.sub)}/providers/Microsoft.KeyVault/vaults/${call.params.name}`;
  const vault = getResource(call.ctx.state, id);
  if (!vault) parentNotFound(action, `${VAULT_TYPE}/secrets`, id);
  return vault;
}

function secretBody(vault: ArmResource, record: SecretRecord): Record<string, unknown> {
  const version = latestVersion(record)!;
  const uri = String(props(vault).vaultUri ?? '');
  return {
    id: `${vault.id}/secrets/${record.name}`,
    name: record.name,
    type: 'Microsoft.KeyVault/vaults/secrets',
    location: vault.location,
    ...(version.tags ? { tags: version.tags } : {}),
    properties: {
      ...(version.contentType ? { contentType: version.contentType } : {}),
      attributes: { enabled: version.enabled, created: version.created, updated: version.updated },
      secretUri: `${uri}secrets/${record.name}`,
      secretUriWithVersion: `${uri}secrets/${record.name}/${version.version}`,
    },
  };
}

function putSecret(call: ArmCall) {
  const vault = vaultOf(call, 'write');
  const secretName = call.params.secret;
  if (!/^[a-zA-Z0-9-]{1,127}$/.test(secretName)) {
    fail(
      400,
      'BadRequest',
      `The secret name '${secretName}' is invalid. It must be 1-127 characters of 0-9, a-z, A-Z and '-'.`,
    );
  }
  const body = call.body();
  const requested = (body.properties ?? {}) as {
    value?: unknown;
    contentType?: string;
    attributes?: { enabled?: boolean };
  };
  if (typeof requested.value !== 'string' || requested.value.length === 0)
    fail(400, 'BadRequest', 'The parameter properties.value is required and must not be empty.');
  if (Buffer.byteLength(requested.value, 'utf8') > MAX_SECRET_VALUE_BYTES)
    fail(400, 'BadRequest', 'The secret value exceeds the maximum size of 25 KB.');
  const existing = findSecret(call.ctx.state, vault.name, secretName);
  if (existing?.deleted) {
    fail(
      409,
      'Conflict',
      `Secret ${secretName} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the secret can only be recovered or purged.`,
      {
        innererror: { code: 'ObjectIsDeletedButRecoverable' },
      },
    );
  }
  const { record } = addSecretVersion(call.ctx.state, vault.name, secretName, requested.value, {
    contentType: requested.contentType,
    tags: body.tags,
    enabled: requested.attributes?.enabled,
    nowSeconds: Math.floor(call.ctx.now() / 1000),
  });
  return json(existing ? 200 : 201, secretBody(vault, record));
}

function getSecret(call: ArmCall) {
  const vault = vaultOf(call, 'read');
  const record = findSecret(call.ctx.state, vault.name, call.params.secret);
  if (!record || record.deleted || !latestVersion(record))
    notFound(`${VAULT_TYPE}/${vault.name}/secrets`, call.params.secret, call.params.rg);
  return json(200, secretBody(vault, record));
}

function listSecrets(call: ArmCall) {
  const vault = vaultOf(call, 'read');
  const records = [...(call.ctx.state.vaultSecrets.get(vault.name.toLowerCase())?.values() ?? [])].filter(
    (record) => !record.deleted && latestVersion(record),
  );
  return json(200, { value: records.map((record) => secretBody(vault, record)) });
}

export const vaultSecretRoutes: ArmRoute[] = [
  { methods: ['GET'], pattern: SECRETS, action: 'Microsoft.KeyVault/vaults/secrets/read', handle: listSecrets },
  {
    methods: ['GET'],
    pattern: `${SECRETS}/{secret}`,
    action: 'Microsoft.KeyVault/vaults/secrets/read',
    handle: getSecret,
  },
  {
    methods: ['PUT'],
    pattern: `${SECRETS}/{secret}`,
    action: 'Microsoft.KeyVault/vaults/secrets/write',
    handle: putSecret,
  },
];
