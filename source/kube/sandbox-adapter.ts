/**
 * The KubePort for sandbox runs: the simulated clusters over the sandbox's own HTTPS API
 * (`${url}/_sandbox/k8s/<context>/...`), so an in-process `--sandbox` run and a CLI pointed at
 * `sandbox serve` with `--sandbox-url/--sandbox-ca` behave the same. The sandbox CA is trusted
 * per request through an https.Agent (never a global setting); secret values travel only in
 * request and response bodies, never in URLs. Failures surface as the error a real
 * kubectl/helm run would give (ExternalCommandError carrying the argv it would have used,
 * which never holds a secret).
 */
import { Agent, request } from 'node:https';
import { ExternalCommandError, UserError } from '../kernel/errors.js';
import type {
  ClusterReachability,
  CsiDriverState,
  HelmInstallRequest,
  HelmRelease,
  KubePort,
  LabelledObject,
  ProbeResult,
  ProbeSpec,
  ToolVersions,
} from './port.js';
import { readSetFiles } from './set-files.js';
import { templateChart, type ChartVerdict } from './helm-template.js';

export interface SandboxKubeOptions {
  /** e.g. https://127.0.0.1:43125 */
  url: string;
  /** PEM of the sandbox CA. */
  ca: string;
  /** The operator's bearer token. */
  token: string;
  context: string;
}

interface Call {
  method: string;
  path: string;
  body?: unknown;
  /** What kubectl/helm would have been run with, for the error (never a secret). */
  argv: readonly string[];
}

export class SandboxKubePort implements KubePort {
  readonly context: string;
  readonly #agent: Agent;
  readonly #options: SandboxKubeOptions;

  constructor(options: SandboxKubeOptions) {
    this.context = options.context;
    this.#options = options;
    this.#agent = new Agent({ ca: options.ca, keepAlive: true });
  }

  /** Closes pooled connections so a finished run doesn't keep the process alive. */
  close(): void {
    this.#agent.destroy();
  }

  async #call<T>({ method, path, body, argv }: Call): Promise<T> {
    const url = new URL(`${this.#options.url}/_sandbox/k8s/${encodeURIComponent(this.context)}/${path}`);
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body), 'utf8');
    const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        url,
        {
          method,
          agent: this.#agent,
          headers: {
            authorization: `Bearer ${this.#options.token}`,
            accept: 'application/json',
            ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('error', (cause) =>
        reject(
          new UserError(
            `Can't reach the sandbox at ${this.#options.url} for ${argv.slice(0, 4).join(' ')}: ${cause.message}`,
            'Start it with `feathr-kv-setup sandbox serve` or use --sandbox.',
          ),
        ),
      );
      req.end(payload);
    });
    let parsed: any;
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      throw new UserError(`The sandbox answered ${status} with something that isn't JSON.`);
    }
    if (status >= 200 && status < 300) return parsed as T;
    const message: string = parsed?.error?.message ?? parsed?.message ?? `HTTP ${status}`;
    const tool: string | undefined = parsed?.error?.tool;
    if (tool === 'helm' || tool === 'kubectl') throw new ExternalCommandError(message, tool, argv, message, 1);
    // Name the operation as kubectl/helm would have run it (the release or object), not only the route.
    throw new UserError(`The sandbox refused ${method} ${path} (${argv.slice(0, 4).join(' ')}): ${message}`);
  }

  async toolVersions(): Promise<ToolVersions> {
    // The sandbox stands in for both tools; it reports the versions it simulates.
    return { kubectl: 'v1.32.3', helm: 'v3.17.2', helmMajor: 3 };
  }

  async reachability(): Promise<ClusterReachability> {
    try {
      return await this.#call<ClusterReachability>({
        method: 'GET',
        path: 'reachability',
        argv: ['version', '--context', this.context],
      });
    } catch (error) {
      return { reachable: false, error: (error as Error).message };
    }
  }

  async canI(verb: string, resource: string, namespace?: string): Promise<boolean> {
    const result = await this.#call<{ allowed: boolean }>({
      method: 'POST',
      path: 'can-i',
      body: { verb, resource, namespace },
      argv: ['auth', 'can-i', verb, resource],
    });
    return result.allowed;
  }

  async namespaceExists(namespace: string): Promise<boolean> {
    try {
      await this.#call({
        method: 'GET',
        path: `namespaces/${encodeURIComponent(namespace)}`,
        argv: ['get', 'namespace', namespace],
      });
      return true;
    } catch (error) {
      if (error instanceof ExternalCommandError && /NotFound/.test(error.message)) return false;
      throw error;
    }
  }

  async ensureNamespace(namespace: string, labels: Record<string, string> = {}): Promise<'created' | 'exists'> {
    const result = await this.#call<{ result: 'created' | 'exists' }>({
      method: 'PUT',
      path: `namespaces/${encodeURIComponent(namespace)}`,
      body: { labels },
      argv: ['create', 'namespace', namespace],
    });
    return result.result;
  }

  async deleteNamespace(namespace: string): Promise<void> {
    await this.#call({
      method: 'DELETE',
      path: `namespaces/${encodeURIComponent(namespace)}`,
      argv: ['delete', 'namespace', namespace],
    });
  }

  async readSecret(namespace: string, name: string): Promise<Record<string, string> | null> {
    const result = await this.#call<{ data: Record<string, string> | null }>({
      method: 'GET',
      path: `secrets/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`,
      argv: ['get', 'secret', name, '-n', namespace, '-o', 'json'],
    });
    return result.data;
  }

  async secretKeys(namespace: string, name: string): Promise<string[] | null> {
    const result = await this.#call<{ keys: string[] | null }>({
      method: 'GET',
      path: `secrets/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}/keys`,
      argv: ['get', 'secret', name, '-n', namespace],
    });
    return result.keys;
  }

  async applySecret(
    namespace: string,
    name: string,
    data: Record<string, string>,
    labels: Record<string, string>,
  ): Promise<void> {
    await this.#call({
      method: 'PUT',
      path: `secrets/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`,
      body: { data, labels },
      argv: ['apply', '-n', namespace, '-f', '-'],
    });
  }

  async deleteObject(kind: string, namespace: string | undefined, name: string): Promise<'deleted' | 'absent'> {
    const path = `objects/${encodeURIComponent(kind)}/${encodeURIComponent(namespace ?? '-')}/${encodeURIComponent(name)}`;
    const result = await this.#call<{ result: 'deleted' | 'absent' }>({
      method: 'DELETE',
      path,
      argv: ['delete', kind, name, ...(namespace ? ['-n', namespace] : []), '--ignore-not-found'],
    });
    return result.result;
  }

  async listLabelled(kind: string, selector: string, namespace?: string): Promise<LabelledObject[]> {
    const query = new URLSearchParams({ kind, selector, ...(namespace ? { namespace } : {}) });
    const result = await this.#call<{ items: LabelledObject[] }>({
      method: 'GET',
      path: `labelled?${query}`,
      argv: ['get', kind, '-l', selector, ...(namespace ? ['-n', namespace] : ['-A']), '-o', 'json'],
    });
    return result.items;
  }

  async applyManifest(manifest: string): Promise<void> {
    await this.#call({ method: 'POST', path: 'manifests', body: { manifest }, argv: ['apply', '-f', '-'] });
  }

  async getSecretProviderClass(namespace: string, name: string): Promise<Record<string, unknown> | null> {
    const result = await this.#call<{ spc: Record<string, unknown> | null }>({
      method: 'GET',
      path: `spc/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`,
      argv: ['get', 'secretproviderclass', name, '-n', namespace, '-o', 'json'],
    });
    return result.spc;
  }

  async nodeAddresses(): Promise<{ name: string; externalIps: string[] }[]> {
    return (
      await this.#call<{ nodes: { name: string; externalIps: string[] }[] }>({
        method: 'GET',
        path: 'nodes',
        argv: ['get', 'nodes', '-o', 'json'],
      })
    ).nodes;
  }

  async csiDriverState(): Promise<CsiDriverState> {
    return this.#call<CsiDriverState>({
      method: 'GET',
      path: 'csi-driver',
      argv: ['get', 'csidriver', 'secrets-store.csi.k8s.io', '-o', 'json'],
    });
  }

  async helmStatus(release: string, namespace: string): Promise<HelmRelease | null> {
    const result = await this.#call<{ release: HelmRelease | null }>({
      method: 'GET',
      path: `helm/${encodeURIComponent(namespace)}/${encodeURIComponent(release)}`,
      argv: ['status', release, '-n', namespace, '-o', 'json'],
    });
    return result.release;
  }

  async helmUpgradeInstall(install: HelmInstallRequest): Promise<HelmRelease> {
    const setFiles = Object.entries(install.files ?? {}).flatMap(([key, file]) => ['--set-file', `${key}=${file}`]);
    const argv = [
      'upgrade',
      '--install',
      install.release,
      install.chart,
      '-n',
      install.namespace,
      '-f',
      '<values file>',
      ...setFiles,
      ...(install.wait ? ['--wait'] : []),
      ...(install.atomic ? ['--atomic'] : []),
      '--timeout',
      `${install.timeoutSeconds}s`,
    ];
    // helm's client reads --set-file files; so does this one, and sends their text in the body.
    const fileContents = await readSetFiles(install.files).catch((error: Error) => {
      throw new ExternalCommandError(error.message, 'helm', argv, error.message, 1);
    });
    return this.#call<HelmRelease>({
      method: 'POST',
      path: 'helm/upgrade-install',
      body: { ...install, ...(fileContents ? { fileContents } : {}) },
      argv,
    });
  }

  async helmRollback(release: string, namespace: string, revision?: number): Promise<void> {
    await this.#call({
      method: 'POST',
      path: `helm/${encodeURIComponent(namespace)}/${encodeURIComponent(release)}/rollback`,
      body: { revision },
      argv: ['rollback', release, ...(revision ? [String(revision)] : []), '-n', namespace],
    });
  }

  async helmUninstall(release: string, namespace: string): Promise<'uninstalled' | 'absent'> {
    const result = await this.#call<{ result: 'uninstalled' | 'absent' }>({
      method: 'DELETE',
      path: `helm/${encodeURIComponent(namespace)}/${encodeURIComponent(release)}`,
      argv: ['uninstall', release, '-n', namespace],
    });
    return result.result;
  }

  async helmValues(release: string, namespace: string): Promise<Record<string, unknown> | null> {
    const result = await this.#call<{ values: Record<string, unknown> | null }>({
      method: 'GET',
      path: `helm/${encodeURIComponent(namespace)}/${encodeURIComponent(release)}/values`,
      argv: ['get', 'values', release, '-n', namespace, '-o', 'json'],
    });
    return result.values;
  }

  /**
   * `helm template` needs no cluster, so the sandbox runs the real helm found on PATH (the same
   * binary a real run would use): the chart judges the values exactly as it would for real.
   */
  async helmTemplate(request: HelmInstallRequest): Promise<ChartVerdict> {
    return templateChart({ name: 'helm', path: 'helm' }, request);
  }

  async runProbe(spec: ProbeSpec): Promise<ProbeResult> {
    return this.#call<ProbeResult>({
      method: 'POST',
      path: 'probe',
      body: spec,
      argv: ['run', 'feathr-kv-probe', '-n', spec.namespace, '--rm'],
    });
  }

  async warningEvents(namespace: string): Promise<{ object: string; reason: string; message: string }[]> {
    const result = await this.#call<{ events: { object: string; reason: string; message: string }[] }>({
      method: 'GET',
      path: `events/${encodeURIComponent(namespace)}`,
      argv: ['get', 'events', '-n', namespace, '--field-selector', 'type=Warning'],
    });
    return result.events;
  }
}
