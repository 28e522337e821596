/**
 * The management plane: ARM `vaults/secrets` through @azure/arm-keyvault. Not subject to the
 * vault firewall or to disabled public access; never returns a value, only versions.
 */
import { KeyVaultManagementClient } from '@azure/arm-keyvault';
import type { AzureClients } from '../azure/clients.js';
import { MANAGED_TAGS, requireVersion, versionFromUri, type VaultPlane } from './planes.js';
import { CONTENT_TYPE, nameKey } from './secret-entry.js';
import { toVaultCallError } from './vault-errors.js';
import { withRetries } from './writer.js';
import type { ArmWritePacer } from './arm-write-pacer.js';

export interface ManagementPlaneOptions {
  client: KeyVaultManagementClient;
  resourceGroup: string;
  vaultName: string;
  /** Keeps the writes inside ARM's write bucket. */
  pacer: ArmWritePacer;
}

const REMAINING_WRITES = 'x-ms-ratelimit-remaining-subscription-writes';

function remainingWrites(raw: { headers?: unknown }): number | undefined {
  const headers = raw.headers as { get?: (name: string) => string | undefined } | Record<string, string> | undefined;
  const value =
    typeof headers?.get === 'function'
      ? headers.get(REMAINING_WRITES)
      : (headers as Record<string, string> | undefined)?.[REMAINING_WRITES];
  return value === undefined ? undefined : Number(value);
}

export function createManagementPlane(options: ManagementPlaneOptions): VaultPlane {
  const { client, resourceGroup, vaultName, pacer } = options;
  const currentVersion = async (secretName: string, signal?: AbortSignal) => {
    try {
      const secret = await client.secrets.get(resourceGroup, vaultName, secretName, { abortSignal: signal });
      return versionFromUri(secret.properties.secretUriWithVersion);
    } catch (raw) {
      const error = toVaultCallError(`Reading ${secretName} over the management plane`, raw);
      if (error.facts.kind === 'not-found') return undefined;
      throw error;
    }
  };
  return {
    kind: 'management',
    currentVersion,
    async observe(_wanted, retry) {
      const existing = new Map<string, { name: string; version?: string }>();
      await withRetries(
        'Listing secrets over the management plane',
        async () => {
          existing.clear();
          for await (const s of client.secrets.list(resourceGroup, vaultName, { abortSignal: retry.signal })) {
            if (!s.name) continue;
            existing.set(nameKey(s.name), { name: s.name, version: versionFromUri(s.properties.secretUriWithVersion) });
          }
        },
        retry,
      );
      // ARM can't list soft-deleted secrets; a write to one fails with 409 and is reported then.
      return { plane: 'management', existing, deleted: new Set() };
    },
    async write(entry, signal) {
      await pacer.acquire(signal);
      let remaining: number | undefined;
      try {
        const result = await client.secrets.createOrUpdate(
          resourceGroup,
          vaultName,
          entry.vaultName,
          { tags: { ...MANAGED_TAGS }, properties: { value: entry.value, contentType: CONTENT_TYPE } },
          { abortSignal: signal, onResponse: (raw) => void (remaining = remainingWrites(raw)) },
        );
        pacer.settle(remaining);
        return { version: requireVersion(entry, versionFromUri(result.properties.secretUriWithVersion)) };
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode === 429) pacer.throttled();
        else pacer.settle(remaining);
        throw error;
      }
    },
    async landed(entry, previousVersion, signal) {
      // No value comes back over ARM: a new current version after our PUT is taken as ours
      // (nothing else writes this vault during the run).
      const now = await currentVersion(entry.vaultName, signal);
      return now && now !== previousVersion ? now : undefined;
    },
  };
}

/**
 * A management client for secret PUTs with SDK retries off: after a 5xx the SDK would send
 * the PUT again and could make a second version; writer.ts checks first, then retries.
 */
export function secretsManagementClient(azure: AzureClients): KeyVaultManagementClient {
  const endpoint = azure.connection.endpoint.replace(/\/+$/, '');
  return new KeyVaultManagementClient(azure.connection.credential, azure.subscriptionId, {
    endpoint,
    credentials: { scopes: [`${endpoint}/.default`] },
    retryOptions: { maxRetries: 0 },
    ...(azure.connection.tlsOptions ? { tlsOptions: azure.connection.tlsOptions } : {}),
    userAgentOptions: { userAgentPrefix: 'feathr-kv-setup' },
  });
}
