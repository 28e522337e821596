/**
 * ARM's subscription limits: a token bucket per subscription, principal and kind of request
 * (reads 250 refilling 25 a second, writes and deletes 200 refilling 10 a second). Every
 * answer carries `x-ms-ratelimit-remaining-subscription-<kind>`; an empty bucket answers 429
 * with `Retry-After` (whole seconds until a token is back). A throttled request takes no token.
 * Sources in ../README.md § ARM throttling.
 */
import type { SandboxState } from '../world/state.js';

export type ArmRequestKind = 'reads' | 'writes' | 'deletes';

const ARM_BUCKETS: Record<ArmRequestKind, { size: number; refillPerSecond: number }> = {
  reads: { size: 250, refillPerSecond: 25 },
  writes: { size: 200, refillPerSecond: 10 },
  deletes: { size: 200, refillPerSecond: 10 },
};

export type ThrottleDecision =
  | { allowed: true; kind: ArmRequestKind; remaining: number }
  | { allowed: false; kind: ArmRequestKind; retryAfterSeconds: number };

function requestKind(method: string): ArmRequestKind {
  if (method === 'GET' || method === 'HEAD') return 'reads';
  return method === 'DELETE' ? 'deletes' : 'writes';
}

export function takeArmToken(
  state: SandboxState,
  now: number,
  scope: string,
  principalId: string,
  method: string,
): ThrottleDecision {
  const kind = requestKind(method);
  const limit = ARM_BUCKETS[kind];
  state.armBuckets ??= new Map();
  const key = `${scope.toLowerCase()}|${principalId}|${kind}`;
  const bucket = state.armBuckets.get(key) ?? { tokens: limit.size, at: now };
  bucket.tokens = Math.min(limit.size, bucket.tokens + (Math.max(0, now - bucket.at) / 1000) * limit.refillPerSecond);
  bucket.at = now;
  state.armBuckets.set(key, bucket);
  if (bucket.tokens < 1) {
    return {
      allowed: false,
      kind,
      retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / limit.refillPerSecond)),
    };
  }
  bucket.tokens -= 1;
  return { allowed: true, kind, remaining: Math.floor(bucket.tokens) };
}

export function remainingHeader(kind: ArmRequestKind): string {
  return `x-ms-ratelimit-remaining-subscription-${kind}`;
}

/** ARM's text for a subscription-level throttle. */
export function throttledMessage(
  kind: ArmRequestKind,
  subscriptionId: string,
  principalId: string,
  retryAfterSeconds: number,
): string {
  const operation = kind === 'reads' ? 'read' : kind === 'writes' ? 'write' : 'delete';
  return `Number of '${operation}' requests for subscription '${subscriptionId}' actor '${principalId}' exceeded. Please try again after '${retryAfterSeconds}' seconds after additional tokens are available. Refer to https://aka.ms/arm-throttling`;
}
