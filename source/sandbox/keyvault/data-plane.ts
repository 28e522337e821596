/**
 * The Key Vault data plane at `${baseUrl}/kv/<vault>` (SecretClient's vaultUrl). Each request
 * is judged as Key Vault does: the vault exists, the caller is authenticated (challenge 401
 * first, which the SDK answers with a token), the network, RBAC or access policies, then
 * throttling; only then is the body validated and the operation run.
 *
 * A vault that doesn't exist answers 404 `VaultNotFound`: a real client fails earlier, on DNS
 * (ENOTFOUND), but the sandbox serves every vault on one host, so it can only say so in a body.
 * The caller's network position is its principal's default position (the operator on the
 * internet from 203.0.113.7); pods are judged in-process by the cluster simulation.
 */
import type { PlaneHandler, SandboxRequest, SandboxResponse } from '../http.js';
import { findVault } from '../network/arm-lookup.js';
import { judgeVaultAccess } from './access.js';
import { badParameter, keyVaultError } from './errors.js';
import type { SecretDataAction } from './roles.js';
import { admitVaultRequest } from './throttle.js';
import * as ops from './secret-ops.js';

const SECRET_NAME = /^[0-9a-zA-Z-]{1,127}$/;

interface Route {
  action: SecretDataAction;
  name?: string;
  run(ctx: ops.OpContext, body: Record<string, any>): SandboxResponse;
}

function matchRoute(method: string, segments: string[]): Route | undefined {
  const [collection, rawName, third, ...rest] = segments;
  if (rest.length > 0) return undefined;
  const name = rawName === undefined ? undefined : decodeURIComponent(rawName);
  if (collection === 'secrets') {
    if (name === undefined)
      return method === 'GET' ? { action: 'readMetadata', run: (ctx) => ops.listSecrets(ctx) } : undefined;
    if (third === 'versions' && method === 'GET')
      return { action: 'readMetadata', name, run: (ctx) => ops.listVersions(ctx, name) };
    const version = third ?? '';
    switch (method) {
      case 'PUT':
        return third === undefined
          ? { action: 'setSecret', name, run: (ctx, body) => ops.setSecret(ctx, name, body) }
          : undefined;
      case 'GET':
        return { action: 'getSecret', name, run: (ctx) => ops.getSecret(ctx, name, version) };
      case 'PATCH':
        return { action: 'update', name, run: (ctx, body) => ops.updateSecret(ctx, name, version, body) };
      case 'DELETE':
        return third === undefined ? { action: 'delete', name, run: (ctx) => ops.deleteSecret(ctx, name) } : undefined;
      default:
        return undefined;
    }
  }
  if (collection === 'deletedsecrets') {
    if (name === undefined)
      return method === 'GET' ? { action: 'readMetadata', run: (ctx) => ops.listDeletedSecrets(ctx) } : undefined;
    if (third === 'recover' && method === 'POST')
      return { action: 'recover', name, run: (ctx) => ops.recoverDeletedSecret(ctx, name) };
    if (third !== undefined) return undefined;
    if (method === 'GET') return { action: 'readMetadata', name, run: (ctx) => ops.getDeletedSecret(ctx, name) };
    if (method === 'DELETE') return { action: 'purge', name, run: (ctx) => ops.purgeDeletedSecret(ctx, name) };
  }
  return undefined;
}

function parseBody(req: SandboxRequest): Record<string, any> | undefined {
  if (req.body.length === 0) return {};
  try {
    const parsed = JSON.parse(req.body.toString('utf8'));
    return parsed && typeof parsed === 'object' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function challenge(tenantId: string, message: string): SandboxResponse {
  return keyVaultError(401, 'Unauthorized', message, undefined, {
    'www-authenticate': `Bearer authorization="https://login.microsoftonline.com/${tenantId}", resource="https://vault.azure.net"`,
  });
}

export const handleDataPlane: PlaneHandler = (ctx, req) => {
  // /kv/<vault>/<collection>/...
  const [, , vaultName = '', ...segments] = req.url.pathname.split('/');
  // GET /secrets/<name>/ (trailing slash) is how the SDK asks for the latest version.
  const route = matchRoute(req.method, segments);
  const vault = findVault(ctx.state, vaultName);
  if (!vault)
    return keyVaultError(
      404,
      'VaultNotFound',
      `The vault ${vaultName} doesn't exist: ${vaultName}.vault.azure.net doesn't resolve.`,
    );
  if (!route)
    return keyVaultError(
      404,
      'NotFound',
      `The requested resource ${req.method} ${segments.join('/')} isn't a Key Vault secrets operation.`,
    );
  if (!req.url.searchParams.get('api-version')) return badParameter('The api-version query parameter is required.');
  if (!req.headers.authorization)
    return challenge(ctx.state.tenantId, 'AKV10000: Request is missing a Bearer or PoP token.');
  if (!req.principalId) return challenge(ctx.state.tenantId, 'The bearer token is invalid or has expired.');
  if (route.name !== undefined && !SECRET_NAME.test(route.name)) {
    return badParameter(`The request URI contains an invalid name: ${route.name}`);
  }
  const principal = ctx.state.principals.get(req.principalId);
  const now = ctx.now();
  const verdict = judgeVaultAccess(
    ctx.state,
    vault.name,
    principal!.position,
    req.principalId,
    route.action,
    now,
    route.name,
  );
  const clientAddress = verdict.route && 'clientAddress' in verdict.route ? verdict.route.clientAddress : undefined;
  const networkInfo: Record<string, string> = clientAddress
    ? { 'x-ms-keyvault-network-info': `conn_type=Ipv4;addr=${clientAddress};act_addr_fam=InterNetwork;` }
    : {};
  if (!verdict.allowed) {
    const body = verdict.body ?? {
      error: {
        code: 'Forbidden',
        message: `The vault ${vault.name} isn't reachable from this caller (${verdict.reason}).`,
      },
    };
    return {
      status: verdict.status ?? 403,
      headers: { 'content-type': 'application/json; charset=utf-8', ...networkInfo },
      body,
    };
  }
  const throttled = admitVaultRequest(
    ctx.state,
    vault.name,
    route.action === 'setSecret' ? 'secretSets' : 'other',
    now,
  );
  if (throttled) return { ...throttled, headers: { ...throttled.headers, ...networkInfo } };
  const body = parseBody(req);
  if (!body) return badParameter("The request body isn't valid JSON.");
  const response = route.run(
    {
      state: ctx.state,
      vault,
      vaultBase: `${ctx.baseUrl}/kv/${vaultName}`,
      nowSeconds: Math.floor(now / 1000),
      query: req.url.searchParams,
    },
    body,
  );
  return { ...response, headers: { ...response.headers, ...networkInfo } };
};
