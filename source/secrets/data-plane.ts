/** The data plane: SecretClient from @azure/keyvault-secrets, values readable, firewall applies. */
import { isIP } from 'node:net';
import type { TokenCredential } from '@azure/core-auth';
import { SecretClient } from '@azure/keyvault-secrets';
import pLimit from 'p-limit';
import { MANAGED_TAGS, requireVersion, type VaultPlane } from './planes.js';
import { CONTENT_TYPE, nameKey } from './secret-entry.js';
import { toVaultCallError } from './vault-errors.js';
import { withRetries } from './writer.js';

export interface DataPlaneOptions {
  vaultUrl: string;
  credential: TokenCredential;
  /** The sandbox's CA, trusted by this client only. */
  tlsOptions?: { ca?: string };
}

/**
 * A SecretClient for migration and verification. The SDK checks that the challenge's resource
 * matches the vault's domain, which a 127.0.0.1 URL never can: the check is
 * turned off for the sandbox's loopback address only, never for a real vault.
 */
export function createSecretClient(options: DataPlaneOptions): SecretClient {
  const host = new URL(options.vaultUrl).hostname.replace(/^\[|\]$/g, '');
  return new SecretClient(options.vaultUrl, options.credential, {
    disableChallengeResourceVerification: isIP(host) !== 0 || host === 'localhost',
    retryOptions: { maxRetries: 0 },
    ...(options.tlsOptions ? { tlsOptions: options.tlsOptions } : {}),
  });
}

export interface DataPlane extends VaultPlane {
  readonly kind: 'data';
  readValue(vaultName: string, signal?: AbortSignal): Promise<string | undefined>;
}

export function createDataPlane(client: SecretClient): DataPlane {
  const readValue = async (vaultName: string, signal?: AbortSignal) => {
    try {
      return (await client.getSecret(vaultName, { abortSignal: signal })).value;
    } catch (raw) {
      const error = toVaultCallError(`Reading ${vaultName}`, raw);
      if (error.facts.kind === 'not-found') return undefined;
      throw error;
    }
  };
  return {
    kind: 'data',
    readValue,
    async currentVersion(vaultName, signal) {
      try {
        return (await client.getSecret(vaultName, { abortSignal: signal })).properties.version;
      } catch (raw) {
        const error = toVaultCallError(`Reading ${vaultName}`, raw);
        if (error.facts.kind === 'not-found') return undefined;
        throw error;
      }
    },
    async observe(wanted, options) {
      const existing = new Map<string, { name: string; version?: string; value?: string }>();
      await withRetries(
        'Listing secrets',
        async () => {
          existing.clear();
          for await (const p of client.listPropertiesOfSecrets({ abortSignal: options.signal })) {
            if (p.managed) continue; // certificate-backed objects aren't ours to compare
            existing.set(nameKey(p.name), { name: p.name, version: p.version });
          }
        },
        options,
      );
      const limit = pLimit(options.concurrency);
      await Promise.all(
        wanted
          .filter((name) => existing.has(nameKey(name)))
          .map((name) =>
            limit(async () => {
              const secret = await withRetries(
                `Reading ${name}`,
                () => client.getSecret(name, { abortSignal: options.signal }),
                options,
              );
              existing.set(nameKey(name), {
                name: secret.name,
                version: secret.properties.version,
                value: secret.value,
              });
            }),
          ),
      );
      const deleted = new Set<string>();
      await withRetries(
        'Listing deleted secrets',
        async () => {
          deleted.clear();
          for await (const d of client.listDeletedSecrets({ abortSignal: options.signal }))
            deleted.add(nameKey(d.name));
        },
        options,
      );
      return { plane: 'data', existing, deleted };
    },
    async write(entry, signal) {
      const result = await client.setSecret(entry.vaultName, entry.value, {
        contentType: CONTENT_TYPE,
        tags: { ...MANAGED_TAGS },
        abortSignal: signal,
      });
      return { version: requireVersion(entry, result.properties.version) };
    },
    async landed(entry, _previous, signal) {
      const secret = await client.getSecret(entry.vaultName, { abortSignal: signal }).catch((raw: unknown) => {
        const error = toVaultCallError(`Reading ${entry.vaultName}`, raw);
        if (error.facts.kind === 'not-found') return undefined;
        throw error;
      });
      // Byte-equal value means our write is the current version; anything else: write again.
      return secret && secret.value === entry.value ? secret.properties.version : undefined;
    },
  };
}
