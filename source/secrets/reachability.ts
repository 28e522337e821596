/**
 * Which plane the migration writes through, decided by probing rather than by reading the
 * vault's settings: a harmless data-plane read (GET of an unused name) tells what the vault
 * really does with this operator from this address. Blocked by the firewall or by disabled
 * public access → the management plane, which those don't apply to, so no firewall rule for
 * the operator is ever needed. Denied by RBAC → the role may still be propagating (up to 10
 * minutes): poll with the same real read, bounded, then use the data plane.
 */
import type { SecretClient } from '@azure/keyvault-secrets';
import { UserError } from '../kernel/errors.js';
import { toVaultCallError, type VaultCallError } from './vault-errors.js';
import { withRetries, type RetryOptions } from './writer.js';

export interface PlaneDecision {
  plane: 'data' | 'management';
  /** One sentence for the plan. */
  reason: string;
  clientAddress?: string;
  /** RBAC denial seen while planning: the apply will wait for propagation. */
  awaitingRole?: boolean;
}

export type DataPlaneProbe = (signal?: AbortSignal) => Promise<void>;

/**
 * GET of a name nobody uses: 404 SecretNotFound means the request passed the network and
 * authorization checks. (A paged list would do too, but the SDK drops the error body of a
 * failed page, and with it the inner code that tells firewall from RBAC.)
 */
const PROBE_SECRET_NAME = 'feathr-kv-setup-reachability-probe';

export function getUnusedSecretProbe(client: SecretClient): DataPlaneProbe {
  return async (signal) => {
    try {
      await client.getSecret(PROBE_SECRET_NAME, { abortSignal: signal });
    } catch (raw) {
      if (toVaultCallError('Probing the data plane', raw).facts.kind !== 'not-found') throw raw;
    }
  };
}

export interface DecideOptions extends RetryOptions {
  vaultName: string;
  /** false while planning (only reads, no waiting); true before writing. */
  waitForRole: boolean;
  pollIntervalMs: number;
  waitTimeoutMs: number;
  progress?: (message: string) => void;
}

export async function decidePlane(probe: DataPlaneProbe, options: DecideOptions): Promise<PlaneDecision> {
  const started = Date.now();
  for (;;) {
    const outcome = await tryProbe(probe, options);
    if (!outcome)
      return { plane: 'data', reason: `The operator reaches vault ${options.vaultName} over the data plane.` };
    const { kind, clientAddress } = outcome.facts;
    if (kind === 'firewall') {
      return {
        plane: 'management',
        clientAddress,
        reason: `The vault firewall doesn't allow the operator's address${clientAddress ? ` ${clientAddress}` : ''}: secrets go over the management plane, which the firewall doesn't apply to (no firewall rule is added).`,
      };
    }
    if (kind === 'public-access-disabled') {
      return {
        plane: 'management',
        reason: `Public network access to ${options.vaultName} is disabled: secrets go over the management plane, which isn't subject to it.`,
      };
    }
    if (kind === 'rbac') {
      if (!options.waitForRole) {
        return {
          plane: 'data',
          awaitingRole: true,
          reason: `The operator's data-plane role or access policy on ${options.vaultName} isn't effective yet: the run waits for it (at most ${Math.round(options.waitTimeoutMs / 1000)} s) before writing.`,
        };
      }
      const waited = Date.now() - started;
      if (waited >= options.waitTimeoutMs) {
        throw new UserError(
          `Can't read secrets in ${options.vaultName}: the operator has no data-plane role there after waiting ${Math.round(waited / 1000)} s.`,
          `Assign "Key Vault Secrets Officer" on the vault to the signed-in operator (az role assignment create --role "Key Vault Secrets Officer" --assignee <you> --scope <vault id>), or wait for the assignment to propagate, then run again.`,
        );
      }
      options.progress?.(
        `Waiting for the operator's role or access policy on ${options.vaultName} to propagate (${Math.round(waited / 1000)} s so far)`,
      );
      await options.clock.sleep(options.pollIntervalMs, options.signal);
      continue;
    }
    throw new UserError(
      `Can't probe vault ${options.vaultName} over the data plane: ${outcome.message}.`,
      'Check that the vault exists and that the operator is signed in to its tenant, then run again.',
    );
  }
}

async function tryProbe(probe: DataPlaneProbe, options: RetryOptions): Promise<VaultCallError | undefined> {
  try {
    await withRetries('Probing the data plane', () => probe(options.signal), options);
    return undefined;
  } catch (raw) {
    return toVaultCallError('Probing the data plane', raw);
  }
}
