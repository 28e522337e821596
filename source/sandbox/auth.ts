/**
 * Principals and the bearer tokens the sandbox issues for them. A token is an opaque random
 * string mapped to one principal's objectId, so every RBAC decision names a real principal.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { NetworkPosition, Principal, SandboxState } from './world/state.js';

function newToken(): string {
  return `sbx.${randomBytes(24).toString('base64url')}`;
}

export interface NewPrincipal {
  displayName: string;
  type: Principal['type'];
  position: NetworkPosition;
  objectId?: string;
  clientId?: string;
  clientSecret?: string;
}

/** Adds a principal (or returns the existing one with that objectId) and issues its token. */
export function registerPrincipal(state: SandboxState, input: NewPrincipal): Principal {
  const objectId = input.objectId ?? randomUUID();
  const existing = state.principals.get(objectId);
  if (existing) return existing;
  const principal: Principal = {
    objectId,
    clientId: input.clientId ?? randomUUID(),
    displayName: input.displayName,
    type: input.type,
    token: newToken(),
    position: input.position,
    ...(input.clientSecret !== undefined ? { clientSecret: input.clientSecret } : {}),
  };
  state.principals.set(objectId, principal);
  state.tokens.set(principal.token, objectId);
  return principal;
}

/** `Authorization: Bearer <token>` → objectId, or undefined for a missing or unknown token. */
export function principalIdFromHeader(state: SandboxState, authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  return match ? state.tokens.get(match[1]) : undefined;
}

/** By display name, objectId or clientId (case-insensitive): how tests and the CLI name them. */
export function findPrincipal(state: SandboxState, nameOrId: string): Principal | undefined {
  const wanted = nameOrId.toLowerCase();
  for (const principal of state.principals.values()) {
    if ([principal.displayName, principal.objectId, principal.clientId].some((value) => value.toLowerCase() === wanted)) return principal;
  }
  return undefined;
}

export function tokenFor(state: SandboxState, nameOrId: string): string {
  const principal = findPrincipal(state, nameOrId);
  if (!principal) throw new Error(`The sandbox has no principal named "${nameOrId}".`);
  return principal.token;
}
