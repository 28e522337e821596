/**
 * `/_sandbox/k8s/<context>/...`: each simulated cluster's Kubernetes API, the `server` of its
 * kubeconfig cluster entry. Requests authenticate with a principal's bearer token (the
 * kubeconfig's user); the cluster's controllers run after every write and before every read,
 * so what a client sees has settled as far as the world allows.
 */
import type { PlaneHandler } from '../http.js';
import { serveKubeApi } from '../k8s/api-server.js';
import { statusResponse, StatusError } from '../k8s/status.js';
import { reconcile } from './controllers/reconcile.js';

export const handleKubePlane: PlaneHandler = (ctx, req) => {
  const [, , , rawContext = '', ...rest] = req.url.pathname.split('/');
  const cluster = ctx.state.clusters.get(decodeURIComponent(rawContext));
  if (!cluster)
    return statusResponse(new StatusError(404, 'NotFound', 'the server could not find the requested resource'));
  const principal = req.principalId ? ctx.state.principals.get(req.principalId) : undefined;
  if (!principal) return statusResponse(new StatusError(401, 'Unauthorized', 'Unauthorized'));
  const now = ctx.now();
  reconcile(ctx.state, cluster, now);
  return serveKubeApi(
    cluster,
    {
      method: req.method,
      path: `/${rest.join('/')}`,
      query: req.url.searchParams,
      headers: req.headers,
      body: req.body,
      user: principal.displayName,
      now,
    },
    () => reconcile(ctx.state, cluster, ctx.now()),
  );
};
