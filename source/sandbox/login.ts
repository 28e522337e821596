/**
 * The sandbox as a Microsoft Entra authority, so `@azure/identity` credentials given the
 * sandbox's URL as `authorityHost` (with `disableInstanceDiscovery`) sign in against it:
 *   GET  /{tenant}/v2.0/.well-known/openid-configuration   the tenant's OpenID metadata
 *   POST /{tenant}/oauth2/v2.0/token                        client credentials grant, with a
 *        client secret (ClientSecretCredential) or a client assertion (ClientAssertionCredential,
 *        workload identity federation: the assertion's iss/sub/aud must match a federated
 *        credential of the managed identity with that client id; its signature isn't checked)
 * Shapes: learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow and
 * v2-protocols-oidc; errors carry AADSTS codes as Entra's do (sources in README § Sign-in).
 */
import type { HandlerContext, SandboxRequest, SandboxResponse } from './http.js';
import type { Principal, SandboxState } from './world/state.js';
import { tokenForTenant, worldTenants } from './auth.js';

export const LOGIN_PATH = /^\/([^/]+)\/(v2\.0\/\.well-known\/openid-configuration|oauth2\/v2\.0\/token)$/i;
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const EXCHANGE_AUDIENCE = 'api://AzureADTokenExchange';

function json(status: number, body: unknown): SandboxResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }, body };
}

function oauthError(status: number, error: string, code: number, description: string): SandboxResponse {
  return json(status, {
    error,
    error_description: `AADSTS${code}: ${description}`,
    error_codes: [code],
    timestamp: new Date().toISOString(),
  });
}

function metadata(ctx: HandlerContext, tenant: string): Record<string, unknown> {
  const base = `${ctx.baseUrl}/${tenant}`;
  return {
    issuer: `${base}/v2.0`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    token_endpoint: `${base}/oauth2/v2.0/token`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    tenant_region_scope: 'NA',
  };
}

function claimsOf(jwt: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** A federated credential of the identity whose client id this is, matching the assertion. */
function federationMatches(state: SandboxState, principal: Principal, assertion: string): boolean {
  const claims = claimsOf(assertion);
  if (!claims) return false;
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  for (const resource of state.resources.values()) {
    if (resource.type !== 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials') continue;
    const identity = state.resources.get(
      resource.id.replace(/\/federatedIdentityCredentials\/[^/]+$/i, '').toLowerCase(),
    );
    if (
      (identity?.properties as { clientId?: string } | undefined)?.clientId?.toLowerCase() !==
      principal.clientId.toLowerCase()
    )
      continue;
    const p = resource.properties as { issuer?: string; subject?: string; audiences?: string[] };
    const wanted = p.audiences?.length ? p.audiences : [EXCHANGE_AUDIENCE];
    if (p.issuer === claims.iss && p.subject === claims.sub && audiences.some((a) => wanted.includes(String(a))))
      return true;
  }
  return false;
}

function token(ctx: HandlerContext, req: SandboxRequest, tenant: string): SandboxResponse {
  const form = new URLSearchParams(req.body.toString('utf8'));
  if (form.get('grant_type') !== 'client_credentials')
    return oauthError(
      400,
      'unsupported_grant_type',
      70003,
      `The app requested an unsupported grant type '${form.get('grant_type') ?? ''}'.`,
    );
  const clientId = form.get('client_id') ?? '';
  const { state } = ctx;
  if (!worldTenants(state).includes(tenant.toLowerCase())) {
    return oauthError(
      400,
      'invalid_tenant',
      90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
    );
  }
  const principal = [...state.principals.values()].find((p) => p.clientId.toLowerCase() === clientId.toLowerCase());
  if (!principal || principal.type !== 'ServicePrincipal') {
    return oauthError(
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenant}'.`,
    );
  }
  const secret = form.get('client_secret');
  const assertion = form.get('client_assertion');
  if (secret !== null) {
    if (!principal.clientSecret || secret !== principal.clientSecret)
      return oauthError(
        401,
        'invalid_client',
        7000215,
        'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.',
      );
  } else if (assertion !== null && form.get('client_assertion_type') === ASSERTION_TYPE) {
    if (!federationMatches(state, principal, assertion)) {
      return oauthError(
        400,
        'invalid_client',
        70021,
        'No matching federated identity record found for presented assertion.',
      );
    }
  } else {
    return oauthError(
      401,
      'invalid_client',
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    );
  }
  const exp = Number(claimsOf(principal.token)?.exp ?? 0);
  const expiresIn = Math.max(60, exp - Math.floor(ctx.now() / 1000));
  // A token for the tenant asked (its tid), as Entra issues one per tenant.
  return json(200, {
    token_type: 'Bearer',
    expires_in: expiresIn,
    ext_expires_in: expiresIn,
    access_token: tokenForTenant(state, principal, tenant),
  });
}

export function handleLogin(ctx: HandlerContext, req: SandboxRequest): SandboxResponse {
  const match = LOGIN_PATH.exec(req.url.pathname);
  if (!match) return json(404, { error: 'not_found' });
  const tenant = match[1]!;
  if (match[2]!.toLowerCase().startsWith('v2.0')) {
    if (req.method !== 'GET') return json(405, { error: 'method_not_allowed' });
    return json(200, metadata(ctx, tenant));
  }
  if (req.method !== 'POST') return json(405, { error: 'method_not_allowed' });
  return token(ctx, req, tenant);
}
