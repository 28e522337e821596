/**
 * Linked authorization: a write that references another resource (a peering's remote VNet, a
 * zone link's VNet, a zone group's zone) needs an action on that resource too. When the
 * resource lives in a subscription of another tenant than the caller's token, ARM reads that
 * right from an auxiliary token of that tenant in `x-ms-authorization-auxiliary` ("Bearer
 * <token>", up to three, comma-separated); without one it answers 403
 * LinkedAuthorizationFailed. Sources and wording: README § Tenants and subscriptions.
 */
import type { SandboxState } from '../world/state.js';
import { subscriptionOf, tokenClaims, tokenTenant } from '../auth.js';
import { fail, type ArmCall } from './call.js';
import { hasAction } from './rbac.js';

/** ARM reads at most three auxiliary tokens. */
const MAX_AUXILIARY_TOKENS = 3;

function subscriptionOfId(resourceId: string): string | undefined {
  return /^\/?subscriptions\/([^/]+)/i.exec(resourceId)?.[1];
}

/** ARM's rendering of a UTC time in token errors, e.g. `5/13/2024 6:05:58 PM`. */
function armUtc(ms: number): string {
  const d = new Date(ms);
  const hours = d.getUTCHours();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${hours % 12 || 12}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${hours < 12 ? 'AM' : 'PM'}`;
}

interface AuxiliaryToken {
  principalId: string;
  tenantId: string;
}

/** The auxiliary tokens of the request, each issued by the sandbox and unexpired; any other is a 401. */
function auxiliaryTokens(call: ArmCall): AuxiliaryToken[] {
  const { state } = call.ctx;
  const header = call.req.headers['x-ms-authorization-auxiliary'];
  if (!header) return [];
  const entries = header
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .slice(0, MAX_AUXILIARY_TOKENS);
  return entries.map((entry) => {
    const token = /^Bearer\s+(\S+)$/i.exec(entry)?.[1];
    const principalId = token ? state.tokens.get(token) : undefined;
    const claims = tokenClaims(token);
    if (!principalId || typeof claims?.tid !== 'string')
      fail(401, 'InvalidAuthenticationToken', 'The access token is invalid.');
    const expiresMs = Number(claims.exp) * 1000;
    if (!(expiresMs > call.ctx.now())) {
      fail(
        401,
        'ExpiredAuthenticationToken',
        `The access token expiry UTC time '${armUtc(expiresMs)}' is earlier than current UTC time '${armUtc(call.ctx.now())}'.`,
      );
    }
    return { principalId, tenantId: claims.tid };
  });
}

function tenantOfResource(state: SandboxState, resourceId: string): string | undefined {
  const subscriptionId = subscriptionOfId(resourceId);
  return subscriptionId ? subscriptionOf(state, subscriptionId)?.tenantId : undefined;
}

/**
 * The caller writing `writeId` may `linkedAction` on `linkedId`: with its own token when the
 * linked resource trusts the same tenant, else with an auxiliary token of the linked tenant.
 */
export function requireLinkedAccess(
  call: ArmCall,
  options: { writeAction: string; writeId: string; linkedAction: string; linkedId: string },
): void {
  const { state } = call.ctx;
  const { writeAction, writeId, linkedAction, linkedId } = options;
  const callerTenant = (tokenTenant(call.req.headers.authorization) ?? state.tenantId).toLowerCase();
  const linkedTenant = (tenantOfResource(state, linkedId) ?? callerTenant).toLowerCase();
  let principalId = call.principalId;
  if (linkedTenant !== callerTenant) {
    const auxiliary = auxiliaryTokens(call).find((token) => token.tenantId.toLowerCase() === linkedTenant);
    if (!auxiliary) {
      fail(
        403,
        'LinkedAuthorizationFailed',
        `The client has permission to perform action '${linkedAction}' on scope '${writeId}', however the current tenant '${callerTenant}' is not authorized to access linked subscription '${subscriptionOfId(linkedId)}'.`,
      );
    }
    principalId = auxiliary.principalId;
  }
  if (!hasAction(state, principalId, linkedId, linkedAction)) {
    fail(
      403,
      'LinkedAuthorizationFailed',
      `The client '${principalId}' with object id '${principalId}' has permission to perform action '${writeAction}' on scope '${writeId}'; however, it does not have permission to perform action '${linkedAction}' on the linked scope(s) '${linkedId}' or the linked scope(s) are invalid.`,
    );
  }
}
