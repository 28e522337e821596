/**
 * The simulated clusters' HTTPS API at `/_sandbox/k8s/<context>/...`: small JSON routes that
 * mirror the KubePort methods, so a CLI run with `--sandbox-url` reaches the same clusters as an
 * in-process one. Only the operator's token is accepted (the operator is cluster-admin, except
 * where the cluster's rbacDenials make `can-i` answer no). Secret
 * values travel only in request bodies and in readSecret's response body, never in URLs.
 *
 * Errors: `{"error":{"code","message","tool"}}`, where `tool` says whether the real adapter
 * would have seen the text from kubectl or helm.
 */
import type { HelmInstallRequest, HelmReleaseStatus, ProbeSpec } from './wire.js';
import type { PlaneHandler, SandboxResponse } from '../http.js';
import type { SandboxState } from '../world/state.js';
import { csiDriverState } from './csi-driver.js';
import {
  HelmError,
  helmRollback,
  helmStatus,
  helmUninstall,
  helmUpgradeInstall,
  helmValues,
  setReleaseStatus,
} from './helm.js';
import {
  KubeApiError,
  canonicalKind,
  deleteObject,
  ensureNamespace,
  getObject,
  matchesSelector,
  parseManifest,
  putObject,
  putSecret,
} from './objects.js';
import { runProbe } from './probe.js';
import { canI } from './rbac.js';
import type { ClusterState } from './state.js';

type Json = Record<string, any>;

function ok(body: unknown, status = 200): SandboxResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8' }, body };
}

function error(status: number, code: string, message: string, tool?: 'kubectl' | 'helm'): SandboxResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: { error: { code, message, ...(tool ? { tool } : {}) } },
  };
}

function listLabelled(cluster: ClusterState, kind: string, selector: string, namespace?: string): Json[] {
  const canonical = canonicalKind(kind);
  const namespaces = namespace
    ? [cluster.namespaces.get(namespace)].filter((ns) => ns !== undefined)
    : [...cluster.namespaces.values()];
  if (canonical === 'Namespace') {
    return [...cluster.namespaces.values()]
      .filter((ns) => matchesSelector(ns.labels, selector))
      .map((ns) => ({ kind: 'Namespace', name: ns.name, labels: ns.labels }));
  }
  return namespaces.flatMap((ns) =>
    canonical === 'Secret'
      ? [...ns.secrets.values()]
          .filter((secret) => matchesSelector(secret.labels, selector))
          .map((secret) => ({ kind: 'Secret', namespace: ns.name, name: secret.name, labels: secret.labels }))
      : [...ns.objects.values()]
          .filter((object) => object.kind === canonical && matchesSelector(object.metadata.labels ?? {}, selector))
          .map((object) => ({
            kind: canonical,
            namespace: ns.name,
            name: object.metadata.name,
            labels: object.metadata.labels ?? {},
          })),
  );
}

function route(
  state: SandboxState,
  cluster: ClusterState,
  method: string,
  parts: string[],
  query: URLSearchParams,
  body: Json,
  now: number,
): SandboxResponse {
  const [resource, a, b, c] = parts;
  const at = `${method} ${resource}`;
  switch (true) {
    case at === 'GET reachability':
      return ok({ reachable: true, serverVersion: cluster.serverVersion });
    case at === 'POST can-i':
      return ok({
        allowed: canI(
          cluster,
          String(body.verb ?? ''),
          String(body.resource ?? ''),
          typeof body.namespace === 'string' ? body.namespace : undefined,
        ),
      });
    case at === 'GET namespaces' && a !== undefined:
      return cluster.namespaces.has(a)
        ? ok({ name: a, labels: cluster.namespaces.get(a)!.labels })
        : error(404, 'NotFound', `Error from server (NotFound): namespaces "${a}" not found`, 'kubectl');
    case at === 'PUT namespaces' && a !== undefined:
      return ok({ result: ensureNamespace(cluster, a, body.labels ?? {}) });
    case at === 'DELETE namespaces' && a !== undefined:
      return ok({ result: deleteObject(cluster, 'Namespace', undefined, a) });
    case at === 'GET secrets' && c === undefined: {
      const secret = cluster.namespaces.get(a)?.secrets.get(b);
      return secret ? ok({ data: secret.data, labels: secret.labels }) : ok({ data: null });
    }
    case at === 'GET secrets' && c === 'keys': {
      const secret = cluster.namespaces.get(a)?.secrets.get(b);
      return ok({ keys: secret ? Object.keys(secret.data) : null });
    }
    case at === 'PUT secrets':
      putSecret(cluster, a, { name: b, data: body.data ?? {}, labels: body.labels ?? {} });
      return ok({ result: 'applied' });
    case at === 'DELETE objects':
      return ok({ result: deleteObject(cluster, a, b === '-' ? undefined : b, c) });
    case at === 'GET labelled':
      return ok({
        items: listLabelled(
          cluster,
          query.get('kind') ?? '',
          query.get('selector') ?? '',
          query.get('namespace') ?? undefined,
        ),
      });
    case at === 'POST manifests': {
      const objects = parseManifest(String(body.manifest ?? ''));
      for (const object of objects) putObject(cluster, object);
      return ok({ applied: objects.map((object) => `${object.kind}/${object.metadata.name}`) });
    }
    case at === 'GET spc':
      return ok({ spc: getObject(cluster, 'SecretProviderClass', a, b) ?? null });
    case at === 'GET nodes':
      // A node outside Azure with a public address publishes it as ExternalIP; AKS nodes have
      // none (their traffic leaves through the cluster's load balancer or NAT).
      return ok({
        nodes: cluster.nodes
          .filter((node) => node.os === 'linux')
          .map((node) => ({
            name: node.name,
            externalIps: node.position.kind === 'external' && node.position.egressIp ? [node.position.egressIp] : [],
          })),
      });
    case at === 'GET csi-driver':
      return ok(csiDriverState(state, cluster));
    case at === 'POST helm' && a === 'upgrade-install':
      return ok(helmUpgradeInstall(state, cluster, body as HelmInstallRequest, now));
    case at === 'GET helm' && c === undefined:
      return ok({ release: helmStatus(cluster, b, a) });
    case at === 'GET helm' && c === 'values':
      return ok({ values: helmValues(cluster, b, a) });
    case at === 'POST helm' && c === 'rollback':
      helmRollback(state, cluster, b, a, typeof body.revision === 'number' ? body.revision : undefined, now);
      return ok({ result: 'rolled-back' });
    case at === 'PUT helm' && c === 'status':
      setReleaseStatus(cluster, b, a, body.status as HelmReleaseStatus);
      return ok({ release: helmStatus(cluster, b, a) });
    case at === 'DELETE helm':
      return ok({ result: helmUninstall(cluster, b, a) });
    case at === 'POST probe':
      return ok(runProbe(state, cluster, body as ProbeSpec, now));
    case at === 'GET events':
      return ok({
        events: cluster.events
          .filter((event) => event.namespace === a)
          .map(({ object, reason, message }) => ({ object, reason, message })),
      });
    default:
      return error(404, 'NotFound', `The sandbox cluster API has no route ${method} ${parts.join('/')}.`);
  }
}

export const handleClusterApi: PlaneHandler = (ctx, req) => {
  // /_sandbox/k8s/<context>/<resource>/...
  const [, , , rawContext = '', ...rest] = req.url.pathname.split('/');
  if (!req.principalId || req.principalId !== ctx.state.operatorId) {
    return error(401, 'Unauthorized', "The sandbox cluster API needs the operator's bearer token.");
  }
  const context = decodeURIComponent(rawContext);
  const cluster = ctx.state.clusters.get(context);
  if (!cluster) return error(404, 'ContextNotFound', `error: context "${context}" does not exist`, 'kubectl');
  let body: Json = {};
  if (req.body.length > 0) {
    try {
      body = JSON.parse(req.body.toString('utf8'));
    } catch {
      return error(400, 'BadRequest', "The request body isn't valid JSON.");
    }
  }
  try {
    return route(ctx.state, cluster, req.method, rest.map(decodeURIComponent), req.url.searchParams, body, ctx.now());
  } catch (caught) {
    if (caught instanceof HelmError) return error(500, 'HelmFailed', caught.message, 'helm');
    if (caught instanceof KubeApiError) return error(caught.status, 'KubeApiError', caught.message, 'kubectl');
    throw caught;
  }
};
