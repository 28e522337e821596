/**
 * What one run of the chart's kv-monitor script (charts/feathr-online/files/kv-monitor.sh)
 * finds from a pod on `node`, computed from the world because the sandbox can't run the
 * script: the same checks in the same order, with the same sentences, so the ConfigMap record
 * and the Event read as the real monitor writes them. The identity is the pod's, as the script
 * gets its token: IMDS with IMDS_CLIENT_ID, the federated ServiceAccount token (pod label and
 * ServiceAccount annotation), or the service principal's Secret mounted at SP_CREDENTIALS_DIR.
 */
import { judgeVaultAccess } from '../keyvault/access.js';
import { findSecret, latestVersion } from '../keyvault/secret-store.js';
import { routeToVault } from '../network/vault-route.js';
import type { SandboxState } from '../world/state.js';
import { resolveMountIdentity } from './identity.js';
import { T } from './objects.js';
import type { SpcIdentity } from './spc.js';
import type { ClusterNode, ClusterState, KubeObject } from './state.js';

export type Env = Record<string, string>;
type Result = 'pass' | 'fail' | 'skip';
type MonitorCheck = 'dns' | 'tcp' | 'tls' | 'firewall' | 'token' | 'secrets' | 'freshness';

export interface MonitorVerdict {
  checks: Record<MonitorCheck, Result>;
  first: string;
  cause: string;
  fix: string;
  client: string;
  principalId?: string;
  /** Per object: status, version id and update time, as the script reads them. */
  objects: { name: string; status: number; version: string; updated: number }[];
}

function podIdentity(
  state: SandboxState,
  cluster: ClusterState,
  pod: KubeObject,
  env: Env,
): { mode: string; principalId?: string } {
  const ns = pod.metadata.namespace!;
  const context = { namespace: ns, pod: pod.metadata.name, serviceAccount: pod.spec?.serviceAccountName ?? 'default' };
  let identity: SpcIdentity | undefined;
  let mode = 'none';
  let secretRef: string | undefined;
  if (pod.metadata.labels?.['azure.workload.identity/use'] === 'true') {
    // The webhook injects AZURE_FEDERATED_TOKEN_FILE only for an annotated ServiceAccount.
    const clientId = cluster.store.get(T.serviceAccount, ns, context.serviceAccount)?.metadata.annotations?.[
      'azure.workload.identity/client-id'
    ];
    if (clientId) [identity, mode] = [{ mode: 'workload-identity', clientId }, 'workload-identity'];
  } else if (env.SP_CREDENTIALS_DIR) {
    const container = (pod.spec?.containers ?? [])[0];
    const mount = (container?.volumeMounts ?? []).find(
      (m: { mountPath: string }) => m.mountPath === env.SP_CREDENTIALS_DIR,
    );
    secretRef = (pod.spec?.volumes ?? []).find((v: { name: string }) => v.name === mount?.name)?.secret?.secretName;
    [identity, mode] = [{ mode: 'service-principal' }, 'service-principal'];
  } else if (env.IMDS_CLIENT_ID) {
    [identity, mode] = [{ mode: 'vm-managed-identity', clientId: env.IMDS_CLIENT_ID }, 'vm-managed-identity'];
  }
  if (!identity) return { mode };
  const outcome = resolveMountIdentity(
    state,
    cluster,
    identity,
    { ...context, nodePublishSecretRef: secretRef },
    { volume: 'kv-monitor', ...context },
  );
  return { mode, ...(outcome.ok ? { principalId: outcome.principal.objectId } : {}) };
}

const isPrivate = (ip: string) => /^(10\.|192\.168\.|127\.)/.test(ip) || /^172\.(1[6-9]|2\d|3[01])\./.test(ip);
const innerCode = (body: { error?: { code?: string; innererror?: { code?: string } } } | undefined) =>
  body?.error?.innererror?.code ?? body?.error?.code ?? '';

export function judgeMonitorRun(
  state: SandboxState,
  cluster: ClusterState,
  pod: KubeObject,
  node: ClusterNode,
  env: Env,
  mounted: { id: string; version: string }[],
  now: number,
): MonitorVerdict {
  const vault = env.VAULT_NAME ?? '';
  const names = (env.OBJECTS ?? '').split(/\s+/).filter(Boolean);
  const checks: MonitorVerdict['checks'] = {
    dns: 'pass',
    tcp: 'pass',
    tls: 'pass',
    firewall: 'pass',
    token: 'pass',
    secrets: 'pass',
    freshness: 'pass',
  };
  const v: MonitorVerdict = { checks, first: '', cause: '', fix: '', client: '', objects: [] };
  const failed = (check: keyof typeof checks, cause: string, fix: string) => {
    checks[check] = 'fail';
    if (!v.first) Object.assign(v, { first: check, cause, fix });
  };
  const route = routeToVault(state, vault, node.position);
  const host = route.dns.host;
  const addrs = route.dns.addresses;
  if (addrs.length === 0)
    failed('dns', `Can't resolve ${host} from the cluster (no address for ${host}).`, env.FIX_DNS ?? '');
  else if (env.EXPECT_PRIVATE === 'true') {
    const open = addrs.find((a) => !isPrivate(a));
    if (open)
      failed(
        'dns',
        `Can't reach vault ${vault} from the cluster: it resolves to ${open}, a public address.`,
        env.FIX_DNS ?? '',
      );
  }
  const tcp = route.kind !== 'nxdomain' && route.kind !== 'unreachable';
  if (!tcp) {
    checks.tls = 'skip';
    failed(
      'tcp',
      `The cluster can't open TCP 443 to vault ${vault} at ${addrs.join(', ') || 'no address'}.`,
      env.FIX_NETWORK ?? '',
    );
  }
  const identity = podIdentity(state, cluster, pod, env);
  v.principalId = identity.principalId;
  const token = identity.principalId !== undefined;
  let listCode = '';
  let listStatus = 0;
  if (!tcp) checks.firewall = 'skip';
  else if (!token)
    checks.firewall = 'skip'; // the vault's 401 challenge comes before its network rules
  else {
    const verdict = judgeVaultAccess(state, vault, node.position, identity.principalId, 'getSecret', now);
    if (!verdict.allowed) {
      listCode = innerCode(verdict.body);
      listStatus = verdict.status ?? 0;
      v.client = /Client address: ([0-9a-fA-F.:]+)/.exec(verdict.body?.error.message ?? '')?.[1] ?? '';
      if (listCode === 'ForbiddenByFirewall')
        failed(
          'firewall',
          `Vault ${vault}'s firewall refuses the cluster: it sees the cluster's egress address ${v.client || 'unknown'}, which isn't in its ipRules.`,
          (env.FIX_FIREWALL ?? '').replaceAll('{address}', v.client || '<egress-ip>'),
        );
      else if (listCode === 'ForbiddenByConnection')
        failed(
          'firewall',
          `Vault ${vault} refuses the cluster: public network access is disabled and the request doesn't come through the private endpoint.`,
          env.FIX_DNS ?? '',
        );
    }
  }
  if (identity.mode === 'none') checks.token = 'skip';
  else if (!token)
    failed(
      'token',
      `The ${identity.mode} identity gets no token for Key Vault from node ${node.name}.`,
      env.FIX_TOKEN ?? '',
    );

  if (!token || !tcp || checks.firewall === 'fail') {
    checks.secrets = 'skip';
    checks.freshness = 'skip';
    return v;
  }
  for (const name of names) {
    const verdict = judgeVaultAccess(state, vault, node.position, identity.principalId, 'getSecret', now, name);
    const record = findSecret(state, vault, name);
    const latest = record && !record.deleted ? latestVersion(record) : undefined;
    const status = !verdict.allowed ? (verdict.status ?? 0) : !latest ? 404 : !latest.enabled ? 403 : 200;
    v.objects.push({
      name,
      status,
      version: status === 200 ? latest!.version : '',
      updated: status === 200 ? latest!.updated : 0,
    });
  }
  const unreadable = v.objects.filter((o) => o.status !== 200).map((o) => `${o.name} (${o.status || 'no answer'})`);
  if (unreadable.length > 0) {
    if (listStatus === 403 && listCode === 'ForbiddenByRbac')
      failed(
        'secrets',
        `The identity isn't allowed to read secrets in vault ${vault}: it has no Key Vault Secrets User role there, or a new assignment hasn't propagated yet.`,
        env.FIX_IDENTITY ?? '',
      );
    else
      failed(
        'secrets',
        `Vault ${vault} doesn't give the identity these secrets: ${unreadable.join(', ')}.`,
        env.FIX_SECRETS ?? '',
      );
    checks.freshness = 'skip';
    return v;
  }
  const poll = Number(env.ROTATION_POLL_SECONDS || 0);
  if (!poll || mounted.length === 0) {
    checks.freshness = 'skip';
    return v;
  }
  const seconds = Math.floor(now / 1000);
  const stale = v.objects
    .filter(
      (o) =>
        mounted.some((m) => m.id.toLowerCase().endsWith(`/${o.name.toLowerCase()}`) && m.version !== o.version) &&
        seconds - o.updated > 2 * poll,
    )
    .map((o) => o.name);
  if (stale.length > 0)
    failed(
      'freshness',
      `The synced Secret lags vault ${vault}: ${stale.join(', ')} changed more than two rotation polls (${2 * poll}s) ago and the pods still have the old version.`,
      env.FIX_FRESHNESS ?? '',
    );
  return v;
}
