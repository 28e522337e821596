/**
 * Principals and the bearer tokens the sandbox issues for them. A token is a JWT shaped like
 * an Entra ID access token for ARM (`tid`, `oid`, `idtyp`, `appid`, `aud`, `exp`, …, claim
 * names from learn.microsoft.com/entra/identity-platform/access-token-claims-reference), signed
 * with a key only this process knows; the sandbox looks each one up as issued, so every RBAC
 * decision names a real principal.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { NetworkPosition, Principal, SandboxState, WorldSubscription } from './world/state.js';

/** The audience of ARM tokens. */
const ARM_AUDIENCE = 'https://management.azure.com/';
/** Sandbox tokens live long: the ready line's token is used for a whole session. */
const TOKEN_LIFETIME_SECONDS = 24 * 3600;
const SIGNING_KEY = randomBytes(32);

const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

interface TokenSubject {
  tenantId: string;
  objectId: string;
  clientId: string;
  type: Principal['type'];
  displayName: string;
}

function newToken(subject: TokenSubject, nowMs = Date.now()): string {
  const iat = Math.floor(nowMs / 1000);
  const app = subject.type === 'ServicePrincipal';
  const claims = {
    aud: ARM_AUDIENCE,
    iss: `https://sts.windows.net/${subject.tenantId}/`,
    iat,
    nbf: iat,
    exp: iat + TOKEN_LIFETIME_SECONDS,
    appid: app ? subject.clientId : '04b07795-8ddb-461a-bbee-02f9e1bf7b46',
    appidacr: app ? '1' : '0',
    idtyp: app ? 'app' : 'user',
    oid: subject.objectId,
    sub: subject.objectId,
    tid: subject.tenantId,
    ver: '1.0',
    uti: randomBytes(12).toString('base64url'),
    ...(app ? {} : { scp: 'user_impersonation', name: subject.displayName }),
  };
  const unsigned = `${part({ typ: 'JWT', alg: 'HS256' })}.${part(claims)}`;
  return `${unsigned}.${createHmac('sha256', SIGNING_KEY).update(unsigned).digest('base64url')}`;
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
  const clientId = input.clientId ?? randomUUID();
  const principal: Principal = {
    objectId,
    clientId,
    displayName: input.displayName,
    type: input.type,
    token: newToken({ tenantId: state.tenantId, objectId, clientId, type: input.type, displayName: input.displayName }),
    position: input.position,
    ...(input.clientSecret !== undefined ? { clientSecret: input.clientSecret } : {}),
  };
  state.principals.set(objectId, principal);
  state.tokens.set(principal.token, objectId);
  return principal;
}

/** The principal's token for one of the world's tenants, issued on first use (the home tenant's is `token`). */
export function tokenForTenant(state: SandboxState, principal: Principal, tenantId: string): string {
  const tenant = tenantId.toLowerCase();
  if (tenant === state.tenantId.toLowerCase()) return principal.token;
  principal.tenantTokens ??= new Map();
  let token = principal.tenantTokens.get(tenant);
  if (!token) {
    token = newToken({
      tenantId: tenant,
      objectId: principal.objectId,
      clientId: principal.clientId,
      type: principal.type,
      displayName: principal.displayName,
    });
    principal.tenantTokens.set(tenant, token);
    state.tokens.set(token, principal.objectId);
  }
  return token;
}

/** The tenants the world's subscriptions trust (lower-cased), the home tenant first. */
export function worldTenants(state: SandboxState): string[] {
  return [
    ...new Set(
      [state.tenantId, ...[...state.subscriptions.values()].map((sub) => sub.tenantId)].map((id) => id.toLowerCase()),
    ),
  ];
}

export function subscriptionOf(state: SandboxState, subscriptionId: string): WorldSubscription | undefined {
  return state.subscriptions.get(subscriptionId.toLowerCase());
}

/** The claims of a JWT the sandbox issued (it signed it, so they are as issued), or undefined. */
export function tokenClaims(token: string | undefined): Record<string, unknown> | undefined {
  try {
    const claims: unknown = JSON.parse(Buffer.from(token?.split('.')[1] ?? '', 'base64url').toString('utf8'));
    return claims && typeof claims === 'object' ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The `tid` claim of a bearer token. */
export function tokenTenant(authorization: string | undefined): string | undefined {
  const tid = tokenClaims(/^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1])?.tid;
  return typeof tid === 'string' ? tid : undefined;
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
    if ([principal.displayName, principal.objectId, principal.clientId].some((value) => value.toLowerCase() === wanted))
      return principal;
  }
  return undefined;
}

export function tokenFor(state: SandboxState, nameOrId: string): string {
  const principal = findPrincipal(state, nameOrId);
  if (!principal) throw new Error(`The sandbox has no principal named "${nameOrId}".`);
  return principal.token;
}
