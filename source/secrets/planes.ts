/**
 * The two ways into a vault's secrets, behind one interface. The data plane
 * (@azure/keyvault-secrets, data-plane.ts) reads values and is subject to the vault firewall;
 * the management plane (@azure/arm-keyvault `secrets.createOrUpdate`, management-plane.ts, a
 * plain PUT, not an LRO) is not subject to it and never returns a value.
 * Both clients run with SDK retries off: the SDK would repeat a PUT after a 5xx and could
 * create a second version, so writer.ts owns every retry.
 */
import type { VaultObservation } from './diff.js';
import type { SecretEntry } from './secret-entry.js';
import { VaultCallError } from './vault-errors.js';
import type { RetryOptions, WriteTarget } from './writer.js';

/** The one tag: who manages the secret. Never a hash or any fragment of the value. */
export const MANAGED_TAGS: Readonly<Record<string, string>> = { 'managed-by': 'feathr-kv-setup' };

export interface VaultPlane extends WriteTarget {
  readonly kind: 'data' | 'management';
  observe(wanted: readonly string[], options: RetryOptions & { concurrency: number }): Promise<VaultObservation>;
  /** Version current now, or undefined when the secret doesn't exist. */
  currentVersion(vaultName: string, signal?: AbortSignal): Promise<string | undefined>;
}

export function versionFromUri(uri: string | undefined): string | undefined {
  if (!uri) return undefined;
  const match = /\/secrets\/[^/]+\/([^/?#]+)\/?$/.exec(uri);
  return match?.[1];
}

export function requireVersion(entry: SecretEntry, version: string | undefined): string {
  if (!version) throw new VaultCallError(`Writing ${entry.vaultName}`, { kind: 'other', code: 'NoVersionReturned' });
  return version;
}
