/**
 * The values the migration carries in memory. A value lives only in these objects and in
 * request bodies to Key Vault: never in events, errors, logs, argv or files.
 */

/** One secret from one source, after name translation. */
export interface SecretEntry {
  /** The name the pod sees (env var / objectAlias), e.g. CONN_STR. */
  env: string;
  /** The Key Vault object name, e.g. CONN-STR. */
  vaultName: string;
  /** Where the value came from, for messages: ".env ./feathr.env", "Kubernetes Secret legacy/x". */
  source: string;
  value: string;
}

/** A value read from one source, before translation. */
export interface SourcedValue {
  env: string;
  source: string;
  value: string;
}

/** Key Vault compares object names case-insensitively. */
export function nameKey(vaultName: string): string {
  return vaultName.toLowerCase();
}

/** Key Vault's limit: 25 KB, stored as octets. */
export const MAX_VALUE_BYTES = 25 * 1024;

export const CONTENT_TYPE = 'text/plain; charset=utf-8';
