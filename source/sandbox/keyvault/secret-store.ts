/**
 * Secrets of the simulated vaults, shared by the data plane and the management-plane
 * `vaults/secrets` routes. Names are case-insensitive (Key Vault compares them so).
 */
import { randomBytes } from 'node:crypto';
import type { SandboxState, SecretRecord, SecretVersion } from '../world/state.js';

/** Key Vault's limit on a secret value: 25 KB, stored as octets. */
export const MAX_SECRET_VALUE_BYTES = 25 * 1024;

export function vaultSecrets(state: SandboxState, vaultName: string): Map<string, SecretRecord> {
  const key = vaultName.toLowerCase();
  let secrets = state.vaultSecrets.get(key);
  if (!secrets) {
    secrets = new Map();
    state.vaultSecrets.set(key, secrets);
  }
  return secrets;
}

export function findSecret(state: SandboxState, vaultName: string, secretName: string): SecretRecord | undefined {
  return state.vaultSecrets.get(vaultName.toLowerCase())?.get(secretName.toLowerCase());
}

export function latestVersion(record: SecretRecord): SecretVersion | undefined {
  return record.versions[record.versions.length - 1];
}

/** Appends a new version (Key Vault always creates a version on set). Caller validates first. */
export function addSecretVersion(
  state: SandboxState,
  vaultName: string,
  secretName: string,
  value: string,
  options: { contentType?: string; tags?: Record<string, string>; enabled?: boolean; nowSeconds: number },
): { record: SecretRecord; version: SecretVersion } {
  const secrets = vaultSecrets(state, vaultName);
  const key = secretName.toLowerCase();
  let record = secrets.get(key);
  if (!record) {
    record = { name: secretName, versions: [] };
    secrets.set(key, record);
  }
  const version: SecretVersion = {
    version: randomBytes(16).toString('hex'),
    value,
    contentType: options.contentType,
    tags: options.tags,
    enabled: options.enabled ?? true,
    created: options.nowSeconds,
    updated: options.nowSeconds,
  };
  record.versions.push(version);
  return { record, version };
}
