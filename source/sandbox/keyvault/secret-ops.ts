/**
 * The secret operations of the data plane, run after the request was judged and admitted.
 * Names are case-insensitive (the original case of the first write is kept); a soft-deleted
 * name can only be recovered or purged.
 */
import type { ArmResource, SandboxState, SecretRecord } from '../world/state.js';
import type { SandboxResponse } from '../http.js';
import { props } from '../network/arm-lookup.js';
import { MAX_SECRET_VALUE_BYTES, addSecretVersion, findSecret, latestVersion, vaultSecrets } from './secret-store.js';
import { deletedSecretBundle, deletedSecretItem, secretBundle, secretItem } from './bundles.js';
import { badParameter, deletedSecretNotFound, keyVaultError, secretNotFound } from './errors.js';

const MAX_TAGS = 15;
const MAX_CONTENT_TYPE = 255;
const PAGE_SIZE = 25;

export interface OpContext {
  state: SandboxState;
  vault: ArmResource;
  /** `${baseUrl}/kv/<vault>`: where nextLinks point, so the SDK's pager comes back here. */
  vaultBase: string;
  nowSeconds: number;
  query: URLSearchParams;
}

function ok(body: unknown, status = 200): SandboxResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8' }, body };
}

function live(ctx: OpContext, name: string): SecretRecord | undefined {
  const record = findSecret(ctx.state, ctx.vault.name, name);
  return record && !record.deleted ? record : undefined;
}

function validateMetadata(body: Record<string, any>): SandboxResponse | undefined {
  if (body.tags !== undefined && Object.keys(body.tags ?? {}).length > MAX_TAGS) {
    return badParameter(`Too many tags: a secret can carry at most ${MAX_TAGS} tags.`);
  }
  if (typeof body.contentType === 'string' && body.contentType.length > MAX_CONTENT_TYPE) {
    return badParameter(`Content type is too long: at most ${MAX_CONTENT_TYPE} characters are allowed.`);
  }
  return undefined;
}

export function setSecret(ctx: OpContext, name: string, body: Record<string, any>): SandboxResponse {
  const value = body.value;
  if (typeof value !== 'string' || value.length === 0)
    return badParameter('The parameter value must not be null or empty.');
  if (Buffer.byteLength(value, 'utf8') > MAX_SECRET_VALUE_BYTES) {
    return badParameter(`The secret value is too large: the maximum size is ${MAX_SECRET_VALUE_BYTES} bytes (25 KB).`);
  }
  const invalid = validateMetadata(body);
  if (invalid) return invalid;
  const existing = findSecret(ctx.state, ctx.vault.name, name);
  if (existing?.deleted) {
    return keyVaultError(
      409,
      'Conflict',
      `Secret ${existing.name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the secret can only be recovered or purged.`,
      'ObjectIsDeletedButRecoverable',
    );
  }
  const { record, version } = addSecretVersion(ctx.state, ctx.vault.name, name, value, {
    contentType: body.contentType,
    tags: body.tags,
    enabled: body.attributes?.enabled,
    nowSeconds: ctx.nowSeconds,
  });
  return ok(secretBundle(ctx.vault, record, version, true));
}

export function getSecret(ctx: OpContext, name: string, versionId: string): SandboxResponse {
  const record = live(ctx, name);
  const version = record && (versionId ? record.versions.find((v) => v.version === versionId) : latestVersion(record));
  if (!record || !version) return secretNotFound(name);
  if (!version.enabled)
    return keyVaultError(403, 'Forbidden', 'Operation get is not allowed on a disabled secret.', 'SecretDisabled');
  return ok(secretBundle(ctx.vault, record, version, true));
}

export function updateSecret(
  ctx: OpContext,
  name: string,
  versionId: string,
  body: Record<string, any>,
): SandboxResponse {
  const record = live(ctx, name);
  const version = record && (versionId ? record.versions.find((v) => v.version === versionId) : latestVersion(record));
  if (!record || !version) return secretNotFound(name);
  const invalid = validateMetadata(body);
  if (invalid) return invalid;
  if (typeof body.attributes?.enabled === 'boolean') version.enabled = body.attributes.enabled;
  if (body.contentType !== undefined) version.contentType = body.contentType;
  if (body.tags !== undefined) version.tags = body.tags;
  version.updated = ctx.nowSeconds;
  return ok(secretBundle(ctx.vault, record, version, false));
}

function page(ctx: OpContext, path: string, items: unknown[]): SandboxResponse {
  const requested = Number(ctx.query.get('maxresults') ?? PAGE_SIZE);
  if (!Number.isInteger(requested) || requested < 1 || requested > PAGE_SIZE) {
    return badParameter(`maxresults must be an integer between 1 and ${PAGE_SIZE}.`);
  }
  const start = Number(ctx.query.get('$skiptoken') ?? 0) || 0;
  const slice = items.slice(start, start + requested);
  const next = start + requested < items.length;
  const apiVersion = encodeURIComponent(ctx.query.get('api-version') ?? '');
  const nextLink = next
    ? `${ctx.vaultBase}${path}?api-version=${apiVersion}&$skiptoken=${start + requested}&maxresults=${requested}`
    : null;
  return ok({ value: slice, nextLink });
}

export function listSecrets(ctx: OpContext): SandboxResponse {
  const records = [...vaultSecrets(ctx.state, ctx.vault.name).values()].filter((record) => !record.deleted);
  return page(
    ctx,
    '/secrets',
    records.map((record) => secretItem(ctx.vault, record, latestVersion(record)!, false)),
  );
}

export function listVersions(ctx: OpContext, name: string): SandboxResponse {
  const record = live(ctx, name);
  if (!record) return secretNotFound(name);
  return page(
    ctx,
    `/secrets/${record.name}/versions`,
    record.versions.map((version) => secretItem(ctx.vault, record, version, true)),
  );
}

export function deleteSecret(ctx: OpContext, name: string): SandboxResponse {
  const record = live(ctx, name);
  if (!record) return secretNotFound(name);
  const retentionDays =
    typeof props(ctx.vault).softDeleteRetentionInDays === 'number' ? props(ctx.vault).softDeleteRetentionInDays : 90;
  record.deleted = {
    deletedDate: ctx.nowSeconds,
    scheduledPurgeDate: ctx.nowSeconds + retentionDays * 86_400,
    recoveryId: `deletedsecrets/${record.name}`,
  };
  return ok(deletedSecretBundle(ctx.vault, record, latestVersion(record)!));
}

function deleted(ctx: OpContext, name: string): SecretRecord | undefined {
  const record = findSecret(ctx.state, ctx.vault.name, name);
  return record?.deleted ? record : undefined;
}

export function listDeletedSecrets(ctx: OpContext): SandboxResponse {
  const records = [...vaultSecrets(ctx.state, ctx.vault.name).values()].filter((record) => record.deleted);
  return page(
    ctx,
    '/deletedsecrets',
    records.map((record) => deletedSecretItem(ctx.vault, record, latestVersion(record)!)),
  );
}

export function getDeletedSecret(ctx: OpContext, name: string): SandboxResponse {
  const record = deleted(ctx, name);
  return record ? ok(deletedSecretBundle(ctx.vault, record, latestVersion(record)!)) : deletedSecretNotFound(name);
}

export function recoverDeletedSecret(ctx: OpContext, name: string): SandboxResponse {
  const record = deleted(ctx, name);
  if (!record) return deletedSecretNotFound(name);
  record.deleted = undefined;
  return ok(secretBundle(ctx.vault, record, latestVersion(record)!, false));
}

export function purgeDeletedSecret(ctx: OpContext, name: string): SandboxResponse {
  const record = deleted(ctx, name);
  if (!record) return deletedSecretNotFound(name);
  if (props(ctx.vault).enablePurgeProtection === true) {
    return keyVaultError(
      403,
      'Forbidden',
      'Operation "purge" is not allowed because purge protection is enabled for this vault. Key Vault service will automatically purge it after the retention period has passed.',
    );
  }
  vaultSecrets(ctx.state, ctx.vault.name).delete(name.toLowerCase());
  return { status: 204 };
}
