/**
 * The real ClusterDirectory over the operator's own kubectl (execa through runTool): contexts
 * from the kubeconfig, and Secrets listed with a go-template that prints key names only, so
 * no value ever reaches this process.
 */
import { KubectlHelmAdapter } from '../../kube/kubectl-helm-adapter.js';
import { runTool, type ToolBinary } from '../../kube/run-tool.js';
import type { KubePort } from '../../kube/port.js';
import type { ClusterDirectory } from './clusters.js';

const KEYS_ONLY =
  '{{range .items}}{{.type}} {{.metadata.namespace}} {{.metadata.name}}{{range $k, $v := .data}} {{$k}}{{end}}{{"\\n"}}{{end}}';

const SYSTEM_TYPES = new Set([
  'kubernetes.io/service-account-token',
  'helm.sh/release.v1',
  'kubernetes.io/dockerconfigjson',
  'kubernetes.io/tls',
]);

/** Parses the KEYS_ONLY template's lines: `type namespace name key1 key2 …`. */
function parseSecretListing(text: string): { namespace: string; name: string; keys: string[] }[] {
  return text
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((words) => words.length >= 4 && !SYSTEM_TYPES.has(words[0]!))
    .map(([, namespace, name, ...keys]) => ({ namespace: namespace!, name: name!, keys }));
}

export function kubectlDirectory(options: { kubectlPath?: string } = {}): ClusterDirectory {
  const kubectl: ToolBinary = { name: 'kubectl', path: options.kubectlPath ?? 'kubectl' };
  const ports = new Map<string, Promise<KubePort>>();
  const portOf = (context: string) => {
    let port = ports.get(context);
    if (!port)
      ports.set(
        context,
        (port = KubectlHelmAdapter.create({
          context,
          ...(options.kubectlPath ? { kubectlPath: options.kubectlPath } : {}),
        })),
      );
    return port;
  };
  return {
    async contexts() {
      const [names, current] = await Promise.all([
        runTool(kubectl, ['config', 'get-contexts', '--output', 'name']),
        runTool(kubectl, ['config', 'current-context'], { allowFailure: true }),
      ]);
      const active = current.exitCode === 0 ? current.stdout.trim() : '';
      return names.stdout
        .split('\n')
        .map((n) => n.trim())
        .filter(Boolean)
        .map((name) => ({ name, current: name === active }));
    },
    port: portOf,
    async secretsWithKeys(context) {
      const run = await runTool(
        kubectl,
        ['get', 'secrets', '--all-namespaces', '--output', `go-template=${KEYS_ONLY}`, '--context', context],
        { timeoutMs: 20_000 },
      );
      return parseSecretListing(run.stdout);
    },
    async oidcIssuer(context) {
      // The API server publishes its issuer when service-account issuer discovery is on.
      const run = await runTool(kubectl, ['get', '--raw', '/.well-known/openid-configuration', '--context', context], {
        allowFailure: true,
        timeoutMs: 10_000,
      });
      if (run.exitCode !== 0) return undefined;
      try {
        const issuer = (JSON.parse(run.stdout) as { issuer?: unknown }).issuer;
        return typeof issuer === 'string' && issuer.startsWith('https://') ? issuer : undefined;
      } catch {
        return undefined; // not JSON: the cluster doesn't publish discovery documents
      }
    },
    // A cluster outside Azure can't tell its egress NAT address by itself; the probe can,
    // once a vault with a firewall exists (see discovery.ts).
    egressHints: async () => [],
    close() {},
  };
}
