/**
 * Who the operator is (the principal running the tool), so the tool can grant it Key Vault
 * Secrets Officer on an RBAC vault: the `oid` claim of the ARM token, or what the connection
 * already knows (a sandbox tells it through /_sandbox/info).
 */
import type { TokenCredential } from '@azure/core-auth';

export interface Operator {
  objectId: string;
  /** Role assignments need it: users and apps (service principals, managed identities) differ. */
  principalType: 'User' | 'ServicePrincipal';
}

export interface OperatorIdentity {
  /** The operator's Entra objectId and kind, or undefined when it can't be told. */
  whoAmI(): Promise<Operator | undefined>;
}

export function jwtClaims(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const json = Buffer.from(parts[1]!.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
    const claims: unknown = JSON.parse(json);
    return claims && typeof claims === 'object' ? (claims as Record<string, unknown>) : undefined;
  } catch {
    // Not a JWT: the caller falls back to what it was told.
    return undefined;
  }
}

export function operatorIdentity(options: {
  credential: TokenCredential;
  scope: string;
  known?: Operator;
}): OperatorIdentity {
  let cached: Promise<Operator | undefined> | undefined;
  return {
    whoAmI() {
      cached ??= (async () => {
        if (options.known) return options.known;
        const token = await options.credential.getToken(options.scope);
        const claims = token ? jwtClaims(token.token) : undefined;
        const oid = claims?.['oid'];
        if (typeof oid !== 'string') return undefined;
        return { objectId: oid, principalType: principalTypeOf(claims) };
      })();
      return cached;
    },
  };
}

/**
 * `idtyp` says "app" or "user" when the token carries it (an optional claim); without it, a
 * delegated token has `scp` and an app-only one doesn't. A wrong guess is corrected by ARM's
 * UnmatchedPrincipalType answer (roles.ts assignRole).
 */
function principalTypeOf(claims: Record<string, unknown> | undefined): 'User' | 'ServicePrincipal' {
  const idtyp = claims?.['idtyp'];
  if (idtyp === 'app') return 'ServicePrincipal';
  if (idtyp === 'user') return 'User';
  return typeof claims?.['scp'] === 'string' ? 'User' : 'ServicePrincipal';
}
