/**
 * ARM's front door in the sandbox: api-version and bearer token checks, subscription and
 * resource-group existence, then RBAC (403 AuthorizationFailed) and the route's handler.
 * Paths are matched case-insensitively (arm-resources sends `/resourcegroups`), and duplicate
 * slashes are collapsed (arm-authorization 9 sends `//subscriptions/...`).
 */
import type { HandlerContext, PlaneHandler, SandboxRequest, SandboxResponse } from '../http.js';
import { armError } from '../http.js';
import { ArmFailure, fail, parseJsonBody, type ArmCall } from './call.js';
import { hasAction } from './rbac.js';
import { requireKnownApiVersion } from './api-versions.js';
import { subscriptionOf, tokenTenant } from '../auth.js';
import { requireResourceGroup } from './store.js';
import { remainingHeader, takeArmToken, throttledMessage } from './throttle.js';

export interface ArmRoute {
  methods: readonly string[];
  /** e.g. `/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.KeyVault/vaults/{name}`; `{scope*}` only first. */
  pattern: string;
  /** The RBAC action the caller needs, or null when ARM checks none (polling, own permissions). */
  action: string | null | ((call: ArmCall) => string | null);
  /** Where the action is checked; defaults to the request path. */
  scope?: (call: ArmCall) => string;
  handle(call: ArmCall): SandboxResponse | Promise<SandboxResponse>;
}

interface CompiledRoute {
  route: ArmRoute;
  greedy: boolean;
  segments: string[];
}

function compileRoutes(routes: readonly ArmRoute[]): CompiledRoute[] {
  return routes.map((route) => {
    const segments = route.pattern.split('/').filter(Boolean);
    const greedy = segments[0] === '{scope*}';
    return { route, greedy, segments: greedy ? segments.slice(1) : segments };
  });
}

function matchSegments(pattern: string[], actual: string[], params: Record<string, string>): boolean {
  if (pattern.length !== actual.length) return false;
  for (let index = 0; index < pattern.length; index += 1) {
    const expected = pattern[index];
    if (expected.startsWith('{')) params[expected.slice(1, -1)] = actual[index];
    else if (expected.toLowerCase() !== actual[index].toLowerCase()) return false;
  }
  return true;
}

function match(compiled: CompiledRoute, segments: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  if (!compiled.greedy) return matchSegments(compiled.segments, segments, params) ? params : undefined;
  if (segments.length < compiled.segments.length) return undefined;
  const head = segments.slice(0, segments.length - compiled.segments.length);
  if (!matchSegments(compiled.segments, segments.slice(head.length), params)) return undefined;
  params.scope = `/${head.join('/')}`;
  return params;
}

function armPathSegments(pathname: string): string[] {
  return pathname
    .split('/')
    .filter(Boolean)
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    });
}

/** POSTs that only read (name checks, list* actions) are not writes in the request log. */
export function isArmWrite(method: string, pathname: string): boolean {
  if (method === 'GET' || method === 'HEAD') return false;
  if (method !== 'POST') return true;
  const last = pathname.split('/').filter(Boolean).pop()?.toLowerCase() ?? '';
  return !(last === 'checknameavailability' || last.startsWith('list'));
}

/** The tenant a subscription in the path trusts: ARM names it in the challenge of an unauthenticated call. */
function tenantOfPath(ctx: HandlerContext, segments: string[]): string | undefined {
  return segments[0]?.toLowerCase() === 'subscriptions' && segments[1]
    ? subscriptionOf(ctx.state, segments[1])?.tenantId
    : undefined;
}

/** A token of one tenant sent to a subscription of another (ARM's wording, README § Tenants). */
function wrongTenant(tokenTenantId: string, subscriptionTenantId: string): SandboxResponse {
  const response = armError(
    401,
    'InvalidAuthenticationTokenTenant',
    `The access token is from the wrong issuer 'https://sts.windows.net/${tokenTenantId}/'. It must match the tenant 'https://sts.windows.net/${subscriptionTenantId}/' associated with this subscription. Please use the authority (URL) 'https://login.windows.net/${subscriptionTenantId}' to get the token. Note, if the subscription is transferred to another tenant there is no impact to the services, but information about new tenant could take time to propagate (up to an hour). If you just transferred your subscription and see this error message, please try back later.`,
  );
  response.headers = {
    ...response.headers,
    'www-authenticate': `Bearer authorization_uri="https://login.windows.net/${subscriptionTenantId}", error="invalid_token", error_description="The access token is from the wrong issuer."`,
  };
  return response;
}

function authenticationFailure(req: SandboxRequest, tenantId: string | undefined): SandboxResponse {
  const missing = !req.headers.authorization;
  const response = missing
    ? armError(401, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing.")
    : armError(401, 'InvalidAuthenticationToken', 'The access token is invalid.');
  response.headers = {
    ...response.headers,
    'www-authenticate': `Bearer authorization_uri="https://login.windows.net/${tenantId ?? ''}", error="invalid_token", error_description="${missing ? "The authentication failed because of missing 'Authorization' header." : 'The access token is invalid.'}"`,
  };
  return response;
}

export function createArmHandler(routes: readonly ArmRoute[]): PlaneHandler {
  const compiled = compileRoutes(routes);
  return async (ctx: HandlerContext, req: SandboxRequest) => {
    const segments = armPathSegments(req.url.pathname);
    const path = `/${segments.join('/')}`;
    try {
      const apiVersion = req.url.searchParams.get('api-version');
      if (!apiVersion)
        fail(
          400,
          'MissingApiVersionParameter',
          'The api-version query parameter (?api-version=) is required for all requests.',
        );
      if (!req.principalId) return authenticationFailure(req, tenantOfPath(ctx, segments));
      if (segments[0]?.toLowerCase() === 'subscriptions' && segments[1]) {
        const subscription = subscriptionOf(ctx.state, segments[1]);
        if (!subscription) fail(404, 'SubscriptionNotFound', `The subscription '${segments[1]}' could not be found.`);
        const tenant = tokenTenant(req.headers.authorization);
        if (tenant && tenant.toLowerCase() !== subscription.tenantId.toLowerCase())
          return wrongTenant(tenant, subscription.tenantId);
      }
      requireKnownApiVersion(segments, apiVersion, requestLocation(ctx, segments), worldLocations(ctx));
      const caller = { ...req, principalId: req.principalId };
      const throttle = throttleHeaders(ctx, caller, segments);
      if ('throttled' in throttle) return throttle.throttled;
      return withHeaders(await dispatch(ctx, caller, segments, path, apiVersion), throttle.headers);
    } catch (error) {
      if (error instanceof ArmFailure) return error.response;
      return armError(
        500,
        'InternalServerError',
        `Encountered internal server error. (sandbox: ${(error as Error).message})`,
      );
    }
  };

  async function dispatch(
    ctx: HandlerContext,
    req: SandboxRequest & { principalId: string },
    segments: string[],
    path: string,
    apiVersion: string,
  ): Promise<SandboxResponse> {
    try {
      let pathMatched = false;
      const principalId = req.principalId;
      for (const candidate of compiled) {
        const params = match(candidate, segments);
        if (!params) continue;
        pathMatched = true;
        if (!candidate.route.methods.includes(req.method)) continue;
        let parsed: Record<string, any> | undefined;
        const call: ArmCall = {
          ctx,
          req,
          method: req.method,
          path,
          params,
          apiVersion,
          principalId,
          body: () => (parsed ??= parseJsonBody(req.body)),
        };
        if (params.rg !== undefined && candidate.segments.length > 4)
          requireResourceGroup(ctx.state, params.rg, params.sub);
        const action =
          typeof candidate.route.action === 'function' ? candidate.route.action(call) : candidate.route.action;
        const scope = candidate.route.scope ? candidate.route.scope(call) : path;
        if (action && !hasAction(ctx.state, principalId, scope, action)) {
          fail(
            403,
            'AuthorizationFailed',
            `The client '${principalId}' with object id '${principalId}' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
          );
        }
        return await candidate.route.handle(call);
      }
      if (pathMatched)
        fail(405, 'MethodNotAllowed', `The requested resource does not support http method '${req.method}'.`);
      fail(
        404,
        'InvalidResourceType',
        `The resource type could not be found for api version '${apiVersion}'. (sandbox: no ARM route for ${req.method} ${path})`,
      );
    } catch (error) {
      if (error instanceof ArmFailure) return error.response;
      return armError(
        500,
        'InternalServerError',
        `Encountered internal server error. (sandbox: ${(error as Error).message})`,
      );
    }
  }
}

/** The location ARM names in a NoRegisteredProviderFound: the resource group's, or '*' above groups. */
function requestLocation(ctx: HandlerContext, segments: string[]): string {
  const at = segments.findIndex((s) => s.toLowerCase() === 'resourcegroups');
  if (at !== 2 || !segments[3]) return '*';
  return (
    ctx.state.resources.get(`/subscriptions/${segments[1]}/resourcegroups/${segments[3]}`.toLowerCase())?.location ??
    '*'
  );
}

function worldLocations(ctx: HandlerContext): string[] {
  const all = new Set<string>();
  for (const resource of ctx.state.resources.values())
    if (resource.location && resource.location !== 'global') all.add(resource.location);
  return [...all].sort();
}

function withHeaders(response: SandboxResponse, headers: Record<string, string>): SandboxResponse {
  return { ...response, headers: { ...(response.headers ?? {}), ...headers } };
}

/** The subscription's token bucket for this principal and kind: the remaining-count header, or the 429. */
function throttleHeaders(
  ctx: HandlerContext,
  req: SandboxRequest & { principalId: string },
  segments: string[],
): { headers: Record<string, string> } | { throttled: SandboxResponse } {
  if (ctx.state.armThrottling === false) return { headers: {} };
  const subscription =
    segments[0]?.toLowerCase() === 'subscriptions' && segments[1] ? segments[1] : ctx.state.subscriptionId;
  const decision = takeArmToken(ctx.state, ctx.now(), subscription, req.principalId, req.method);
  if (decision.allowed) return { headers: { [remainingHeader(decision.kind)]: String(decision.remaining) } };
  const response = armError(
    429,
    'SubscriptionRequestsThrottled',
    throttledMessage(decision.kind, subscription, req.principalId, decision.retryAfterSeconds),
  );
  return {
    throttled: withHeaders(response, {
      'retry-after': String(decision.retryAfterSeconds),
      [remainingHeader(decision.kind)]: '0',
    }),
  };
}
