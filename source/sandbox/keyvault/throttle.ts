/**
 * Key Vault's per-vault limits per 10 s: 300 secret creates, 4000 other
 * transactions. A throttled request answers 429 `Throttled` without Retry-After (as observed
 * on real vaults, so the SDK doesn't retry it) and doesn't count toward the limit.
 */
import type { SandboxState } from '../world/state.js';
import type { SandboxResponse } from '../http.js';
import { keyVaultError } from './errors.js';

export const THROTTLE_WINDOW_MS = 10_000;
export const SECRET_SET_LIMIT = 300;
const OTHER_LIMIT = 4000;

export type ThrottleBucket = 'secretSets' | 'other';

/** Counts the request when it is admitted; answers the 429 otherwise. */
export function admitVaultRequest(
  state: SandboxState,
  vaultName: string,
  bucket: ThrottleBucket,
  now: number,
): SandboxResponse | undefined {
  state.vaultThrottle ??= new Map();
  const key = vaultName.toLowerCase();
  let window = state.vaultThrottle.get(key);
  if (!window) {
    window = { secretSets: [], other: [] };
    state.vaultThrottle.set(key, window);
  }
  const recent = window[bucket].filter((at) => at > now - THROTTLE_WINDOW_MS);
  window[bucket] = recent;
  if (recent.length >= (bucket === 'secretSets' ? SECRET_SET_LIMIT : OTHER_LIMIT)) {
    return keyVaultError(
      429,
      'Throttled',
      'Request was not processed because too many requests were received. Reason: VaultRequestTypeLimitReached',
    );
  }
  recent.push(now);
  return undefined;
}
