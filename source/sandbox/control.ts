/**
 * The sandbox's own routes (`/_sandbox/*`, plane 'sandbox', never faulted):
 *   GET  /_sandbox/info      url, subscriptionId, tenantId, the operator's token (what client.ts uses)
 *   GET  /_sandbox/requests  every request so far: {requests: [{method, path, status, write, plane, at}]}, no bodies
 *   GET  /_sandbox/cluster   the simulated clusters (describeClusters: names, keys, releases; no secret values)
 *   POST /_sandbox/reset     back to the world the sandbox started with (tokens stay valid)
 *   GET  /_sandbox/faults    the fault rules and latency in force
 *   POST /_sandbox/faults    {"faults"?: SPEC, "latency"?: SPEC, "seed"?: N} replaces them
 *   POST /_sandbox/token     {"principal": NAME, "tenantId"?: ID} → {token, objectId, clientId} for a named principal, for
 *                            its home tenant or another tenant of the world (tests; the CLI's sandbox credential, as
 *                            `az account get-access-token --tenant` for a real operator)
 * These routes are for a loopback sandbox only; they carry no auth, like the ready line itself.
 */
import { findPrincipal, tokenForTenant, worldTenants } from './auth.js';
import { describeClusters } from './cluster/describe.js';
import { createFaultPlan, FaultSpecError } from './faults.js';
import type { HandlerContext, SandboxRequest, SandboxResponse } from './http.js';
import { armError } from './http.js';
import { kubeconfigYaml } from './kubeconfig.js';
import { serveChart, type ChartRepo } from './charts/repo.js';

export interface ControlOptions {
  /** Rebuilds the start world into the same state object. */
  reset(): void;
  /** The CA clients trust, embedded in the kubeconfig. */
  caPem: string;
  /** The Helm chart repository served under /_sandbox/charts/. */
  charts: ChartRepo;
}

function ok(body: unknown): SandboxResponse {
  return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body };
}

function jsonBody(req: SandboxRequest): Record<string, unknown> {
  const text = req.body.toString('utf8').trim();
  if (!text) return {};
  const value = JSON.parse(text) as unknown;
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new SyntaxError('the body must be a JSON object');
  return value as Record<string, unknown>;
}

function sandboxInfo(ctx: HandlerContext): Record<string, unknown> {
  const operator = ctx.state.principals.get(ctx.state.operatorId);
  return {
    url: ctx.baseUrl,
    subscriptionId: ctx.state.subscriptionId,
    tenantId: ctx.state.tenantId,
    token: operator?.token,
    operator: operator
      ? { objectId: operator.objectId, clientId: operator.clientId, displayName: operator.displayName }
      : undefined,
  };
}

export async function handleControl(
  ctx: HandlerContext,
  req: SandboxRequest,
  options: ControlOptions,
): Promise<SandboxResponse> {
  const route = `${req.method} ${req.url.pathname.replace(/\/+$/, '')}`;
  if (req.method === 'GET' && req.url.pathname.startsWith('/_sandbox/charts/'))
    return serveChart(options.charts, req.url.pathname.slice('/_sandbox/charts/'.length));
  try {
    switch (route) {
      case 'GET /_sandbox/info':
        return ok(sandboxInfo(ctx));
      case 'GET /_sandbox/kubeconfig':
        return {
          status: 200,
          headers: { 'content-type': 'application/yaml' },
          body: kubeconfigYaml(ctx.state, ctx.baseUrl, options.caPem),
        };
      case 'GET /_sandbox/requests':
        return ok({ requests: ctx.state.requestLog });
      case 'GET /_sandbox/cluster':
        return ok(describeClusters(ctx.state));
      case 'POST /_sandbox/reset':
        options.reset();
        return ok({ reset: true });
      case 'GET /_sandbox/faults': {
        const plan = ctx.state.faults;
        return ok({
          seed: plan?.seed,
          rules: plan?.rules.map((rule) => ({ spec: rule.spec, count: rule.count })) ?? [],
          latencyMs: plan?.latencyMs ?? {},
        });
      }
      case 'POST /_sandbox/faults': {
        const body = jsonBody(req);
        ctx.state.faults = createFaultPlan({
          faults: typeof body.faults === 'string' ? body.faults : undefined,
          latency: typeof body.latency === 'string' ? body.latency : undefined,
          seed: typeof body.seed === 'number' ? body.seed : ctx.state.faults?.seed,
        });
        return ok({
          seed: ctx.state.faults.seed,
          rules: ctx.state.faults.rules.map((rule) => rule.spec),
          latencyMs: ctx.state.faults.latencyMs,
        });
      }
      case 'POST /_sandbox/token': {
        const body = jsonBody(req);
        const principal = typeof body.principal === 'string' ? findPrincipal(ctx.state, body.principal) : undefined;
        if (!principal)
          return armError(404, 'PrincipalNotFound', `The sandbox has no principal named "${String(body.principal)}".`);
        const tenant = typeof body.tenantId === 'string' ? body.tenantId : ctx.state.tenantId;
        if (!worldTenants(ctx.state).includes(tenant.toLowerCase()))
          return armError(400, 'invalid_tenant', `AADSTS90002: Tenant '${tenant}' not found.`);
        return ok({
          token: tokenForTenant(ctx.state, principal, tenant),
          objectId: principal.objectId,
          clientId: principal.clientId,
          tenantId: tenant,
        });
      }
      default:
        return armError(404, 'NotFound', `The sandbox has no route ${route}.`);
    }
  } catch (error) {
    if (error instanceof FaultSpecError || error instanceof SyntaxError)
      return armError(400, 'BadRequest', error.message);
    throw error;
  }
}
