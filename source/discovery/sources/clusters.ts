/**
 * The clusters the operator can reach, for the wizard's pickers: which kube contexts exist,
 * a KubePort bound to one of them, and what only a listing across namespaces can tell
 * (Secrets holding Feathr's variables, by key name). Two implementations, like every port:
 * the real one over the operator's kubectl (execa), the sandbox one over the sandbox's
 * cluster API. Neither ever reads a Secret value.
 */
import { request } from 'node:https';
import type { KubePort } from '../../kube/port.js';
import type { NodeEgress, SecretCandidate } from '../port.js';

export interface ClusterDirectory {
  contexts(): Promise<{ name: string; current: boolean }[]>;
  /** A port bound to `context`; the same object for the same context. */
  port(context: string): Promise<KubePort>;
  /** Secrets with at least one key, as namespace/name and key names only. */
  secretsWithKeys(context: string): Promise<SecretCandidate[]>;
  /** The cluster's OIDC issuer (for workload identity), when it publishes one. */
  oidcIssuer(context: string): Promise<string | undefined>;
  /** Egress addresses the cluster itself can tell, per node (the sandbox knows its nodes'); [] when unknown. */
  egressHints(context: string): Promise<NodeEgress[]>;
  close(): void;
}

interface DescribedCluster {
  context: string;
  oidcIssuer?: string | null;
  nodes: { name?: string; position: { kind: string; egressIp?: string } }[];
  namespaces: { name: string; secrets: { name: string; type?: string; keys: string[] }[] }[];
}

function getJson(url: string, ca: string, token: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { ca, headers: { authorization: `Bearer ${token}`, accept: 'application/json' }, timeout: 5000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          if (res.statusCode !== 200) return reject(new Error(`the sandbox answered HTTP ${res.statusCode}`));
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
          } catch (error) {
            reject(error as Error);
          }
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('the sandbox did not answer within 5 s')));
    req.on('error', reject);
    req.end();
  });
}

/** Secrets a service account or Helm keeps for itself are never a source of Feathr's variables. */
const SYSTEM_TYPES = new Set([
  'kubernetes.io/service-account-token',
  'helm.sh/release.v1',
  'kubernetes.io/dockerconfigjson',
  'kubernetes.io/tls',
]);

export function sandboxDirectory(options: {
  url: string;
  ca: string;
  token: string;
  portFor: (context: string) => Promise<KubePort>;
}): ClusterDirectory {
  const ports = new Map<string, Promise<KubePort>>();
  const describe = async (): Promise<DescribedCluster[]> =>
    ((await getJson(`${options.url}/_sandbox/cluster`, options.ca, options.token)) as { clusters: DescribedCluster[] })
      .clusters;
  const cluster = async (context: string) => (await describe()).find((c) => c.context === context);
  return {
    // The sandbox has no "current" context of its own; the first one (the AKS cluster) stands in.
    contexts: async () => (await describe()).map((c, i) => ({ name: c.context, current: i === 0 })),
    port(context) {
      let port = ports.get(context);
      if (!port) ports.set(context, (port = options.portFor(context)));
      return port;
    },
    async secretsWithKeys(context) {
      const found = await cluster(context);
      return (found?.namespaces ?? []).flatMap((ns) =>
        ns.secrets
          .filter((s) => !SYSTEM_TYPES.has(s.type ?? '') && s.keys.length > 0)
          .map((s) => ({ namespace: ns.name, name: s.name, keys: s.keys })),
      );
    },
    oidcIssuer: async (context) => (await cluster(context))?.oidcIssuer ?? undefined,
    async egressHints(context) {
      const found = await cluster(context);
      return (found?.nodes ?? []).flatMap((n) =>
        n.position.egressIp ? [{ ...(n.name ? { node: n.name } : {}), address: n.position.egressIp }] : [],
      );
    },
    close() {
      // The ports are plain kubectl/helm runs over the sandbox kubeconfig: nothing to close.
      ports.clear();
    },
  };
}
