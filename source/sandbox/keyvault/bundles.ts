/**
 * The flat data-plane shapes (azure-examples/keyvault-dataplane): SecretBundle, SecretItem,
 * DeletedSecretBundle. Ids use the vault's real DNS name (`https://<vault>.vault.azure.net`),
 * as Key Vault returns them; the SDK parses them as `/secrets/<name>/<version>`, so they
 * can't carry the sandbox's `/kv/<vault>` path prefix.
 */
import type { ArmResource, SecretRecord, SecretVersion } from '../world/state.js';
import { props } from '../network/arm-lookup.js';

function vaultDnsUrl(vault: ArmResource): string {
  return `https://${vault.name.toLowerCase()}.vault.azure.net`;
}

function attributes(vault: ArmResource, version: SecretVersion): Record<string, unknown> {
  const p = props(vault);
  return {
    enabled: version.enabled,
    created: version.created,
    updated: version.updated,
    recoveryLevel: p.enablePurgeProtection === true ? 'Recoverable' : 'Recoverable+Purgeable',
    recoverableDays: typeof p.softDeleteRetentionInDays === 'number' ? p.softDeleteRetentionInDays : 90,
  };
}

function metadata(version: SecretVersion): Record<string, unknown> {
  return {
    ...(version.contentType !== undefined ? { contentType: version.contentType } : {}),
    ...(version.tags !== undefined ? { tags: version.tags } : {}),
  };
}

/** SecretBundle; `withValue` false for update/recover answers, which carry no value. */
export function secretBundle(
  vault: ArmResource,
  record: SecretRecord,
  version: SecretVersion,
  withValue: boolean,
): Record<string, unknown> {
  return {
    ...(withValue ? { value: version.value } : {}),
    id: `${vaultDnsUrl(vault)}/secrets/${record.name}/${version.version}`,
    attributes: attributes(vault, version),
    ...metadata(version),
  };
}

/** SecretItem of a list: no value; the secrets list has no version in the id, the versions list has. */
export function secretItem(
  vault: ArmResource,
  record: SecretRecord,
  version: SecretVersion,
  withVersion: boolean,
): Record<string, unknown> {
  const { recoverableDays: _days, ...listAttributes } = attributes(vault, version);
  return {
    id: `${vaultDnsUrl(vault)}/secrets/${record.name}${withVersion ? `/${version.version}` : ''}`,
    attributes: listAttributes,
    ...metadata(version),
  };
}

export function deletedSecretBundle(
  vault: ArmResource,
  record: SecretRecord,
  version: SecretVersion,
): Record<string, unknown> {
  return {
    recoveryId: `${vaultDnsUrl(vault)}/deletedsecrets/${record.name}`,
    deletedDate: record.deleted?.deletedDate,
    scheduledPurgeDate: record.deleted?.scheduledPurgeDate,
    ...secretBundle(vault, record, version, false),
  };
}

export function deletedSecretItem(
  vault: ArmResource,
  record: SecretRecord,
  version: SecretVersion,
): Record<string, unknown> {
  return {
    recoveryId: `${vaultDnsUrl(vault)}/deletedsecrets/${record.name}`,
    deletedDate: record.deleted?.deletedDate,
    scheduledPurgeDate: record.deleted?.scheduledPurgeDate,
    ...secretItem(vault, record, version, false),
  };
}
