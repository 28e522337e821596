/**
 * The one judgement every data-plane request goes through, in Key Vault's order: the vault
 * exists, the caller is authenticated, the network lets the caller in (private endpoint,
 * `publicNetworkAccess`, `networkAcls`), then RBAC or access policies. Pure over the world,
 * so the simulated CSI driver and the probe judge pods exactly as the HTTPS data plane
 * judges the operator. Throttling is the caller's business (it counts, so it isn't pure).
 *
 * No sandbox principal is a "trusted Microsoft service": AKS isn't one (PROV #873), so
 * `bypass: AzureServices` never lets one of our callers through.
 */
import ipaddr from 'ipaddr.js';
import type { ArmResource, NetworkPosition, Principal, SandboxState } from '../world/state.js';
import { findVault, props } from '../network/arm-lookup.js';
import { routeToVault, type VaultRoute } from '../network/vault-route.js';
import { hasDataAction } from '../arm/rbac.js';
import { accessPolicyEffective } from '../arm/access-policies.js';
import { ACCESS_POLICY_PERMISSION, dataActionName, type SecretDataAction } from './roles.js';
import { keyVaultErrorBody, type KeyVaultErrorBody } from './errors.js';

export type VaultAccessVerdict =
  | { allowed: true; vault: ArmResource; route: Extract<VaultRoute, { kind: 'public' | 'private' }> }
  | {
      allowed: false;
      reason:
        | 'vault-not-found'
        | 'nxdomain'
        | 'unreachable'
        | 'unauthenticated'
        | 'wrong-endpoint'
        | 'forbidden-by-connection'
        | 'forbidden-by-firewall'
        | 'forbidden-by-rbac'
        | 'access-denied';
      /** HTTP answer for the reasons that get one; network failures get none (no connection). */
      status?: number;
      body?: KeyVaultErrorBody;
      route?: VaultRoute;
    };

function callerLine(state: SandboxState, principal: Principal): string {
  return `Caller: appid=${principal.clientId};oid=${principal.objectId};iss=https://sts.windows.net/${state.tenantId}/`;
}

function vaultLine(vault: ArmResource): string {
  return `Vault: ${vault.name};location=${vault.location ?? 'eastus'}`;
}

function ipAllowedByRules(ip: string, rules: { value?: string }[]): boolean {
  if (!ipaddr.IPv4.isValid(ip)) return false;
  const address = ipaddr.IPv4.parse(ip);
  return rules.some((rule) => {
    const value = rule.value ?? '';
    try {
      const [range, bits] = value.includes('/') ? ipaddr.IPv4.parseCIDR(value) : [ipaddr.IPv4.parse(value), 32];
      return address.match(range, bits);
    } catch {
      return false; // a malformed rule matches nothing, as an unparsable rule can't admit anyone
    }
  });
}

function networkVerdict(
  state: SandboxState,
  vault: ArmResource,
  route: VaultRoute & { clientAddress: string },
  principal: Principal,
): VaultAccessVerdict | undefined {
  if (route.kind === 'private') return undefined;
  if (route.kind === 'wrong-endpoint') {
    return {
      allowed: false,
      reason: 'wrong-endpoint',
      status: 403,
      route,
      body: keyVaultErrorBody('Forbidden', `This TCP connection does not allow access to ${route.dns.host}.`),
    };
  }
  const p = props(vault);
  const lines = [callerLine(state, principal), vaultLine(vault)].join('\r\n');
  if (p.publicNetworkAccess === 'Disabled') {
    const message = `Public network access is disabled and request is not from a trusted service nor via an approved private link.\r\n${lines}`;
    return {
      allowed: false,
      reason: 'forbidden-by-connection',
      status: 403,
      route,
      body: keyVaultErrorBody('Forbidden', message, 'ForbiddenByConnection'),
    };
  }
  const acls = (p.networkAcls ?? {}) as { defaultAction?: string; ipRules?: { value?: string }[] };
  if (acls.defaultAction === 'Deny' && !ipAllowedByRules(route.clientAddress, acls.ipRules ?? [])) {
    const message = `Client address is not authorized and caller is not a trusted service.\r\nClient address: ${route.clientAddress}\r\n${lines}`;
    return {
      allowed: false,
      reason: 'forbidden-by-firewall',
      status: 403,
      route,
      body: keyVaultErrorBody('Forbidden', message, 'ForbiddenByFirewall'),
    };
  }
  return undefined;
}

function accessPolicyAllows(
  state: SandboxState,
  vault: ArmResource,
  principalId: string,
  action: SecretDataAction,
  now: number,
): boolean {
  if (!accessPolicyEffective(state, vault.name, principalId, now)) return false;
  const policies = (props(vault).accessPolicies ?? []) as { objectId?: string; permissions?: { secrets?: string[] } }[];
  const needed = ACCESS_POLICY_PERMISSION[action];
  return policies.some(
    (policy) =>
      policy.objectId?.toLowerCase() === principalId.toLowerCase() &&
      (policy.permissions?.secrets ?? []).some((permission) => ['all', needed].includes(permission.toLowerCase())),
  );
}

/**
 * @param secretName used in the RBAC message's Resource line; omit for vault-wide actions.
 */
export function judgeVaultAccess(
  state: SandboxState,
  vaultName: string,
  position: NetworkPosition,
  principalId: string | undefined,
  action: SecretDataAction,
  now: number,
  secretName?: string,
): VaultAccessVerdict {
  const vault = findVault(state, vaultName);
  const route = routeToVault(state, vaultName, position);
  if (!vault) return { allowed: false, reason: 'vault-not-found', route };
  if (route.kind === 'nxdomain') return { allowed: false, reason: 'nxdomain', route };
  if (route.kind === 'unreachable') return { allowed: false, reason: 'unreachable', route };
  const principal = principalId ? state.principals.get(principalId) : undefined;
  if (!principal) {
    return {
      allowed: false,
      reason: 'unauthenticated',
      status: 401,
      route,
      body: keyVaultErrorBody('Unauthorized', 'AKV10000: Request is missing a Bearer or PoP token.'),
    };
  }
  const denied = networkVerdict(state, vault, route, principal);
  if (denied) return denied;
  const allowedRoute = route as Extract<VaultRoute, { kind: 'public' | 'private' }>;
  if (props(vault).enableRbacAuthorization === true) {
    if (hasDataAction(state, principal.objectId, vault.id, dataActionName(action), now))
      return { allowed: true, vault, route: allowedRoute };
    const resource = secretName ? `${vault.id}/secrets/${secretName}` : vault.id;
    const message = [
      'Caller is not authorized to perform action on resource.',
      'If role assignments, deny assignments or role definitions were changed recently, please observe propagation time.',
      callerLine(state, principal),
      `Action: '${dataActionName(action)}'`,
      `Resource: '${resource.toLowerCase()}'`,
      'Assignment: (not found)',
      "DecisionReason: 'DeniedWithNoValidRBAC' ",
      vaultLine(vault),
      '',
    ].join('\r\n');
    return {
      allowed: false,
      reason: 'forbidden-by-rbac',
      status: 403,
      route,
      body: keyVaultErrorBody('Forbidden', message, 'ForbiddenByRbac'),
    };
  }
  if (accessPolicyAllows(state, vault, principal.objectId, action, now))
    return { allowed: true, vault, route: allowedRoute };
  const who = `'appid=${principal.clientId};oid=${principal.objectId};iss=https://sts.windows.net/${state.tenantId}/'`;
  const message = `The user, group or application ${who} does not have secrets ${ACCESS_POLICY_PERMISSION[action]} permission on key vault '${vault.name};location=${vault.location ?? 'eastus'}'. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125287`;
  return {
    allowed: false,
    reason: 'access-denied',
    status: 403,
    route,
    body: keyVaultErrorBody('Forbidden', message, 'AccessDenied'),
  };
}
