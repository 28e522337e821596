/**
 * The real KubePort over the operator's own kubectl and helm. Every call is
 * pinned to one context; secrets travel only through stdin; helm values through a 0600
 * temp file that is removed afterwards.
 */
import type {
  AccessQuestion,
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
import { commandFailed, type ToolBinary } from './run-tool.js';
import { ExternalCommandError, UserError } from '../kernel/errors.js';
import { bindTools, currentContext, type BoundTools } from './tool-context.js';
import type { HelmVersion } from './helm-version.js';
import * as helmOps from './helm-operations.js';
import { runProbePods } from './probe-runner.js';
import { gatherCsiState, readNamed } from './csi-gather.js';
import { bringsCsiDriver, type NodeJson } from './csi-detection.js';
import { Readings } from './readings.js';
import { templateChart, type ChartVerdict } from './helm-template.js';
import { resolveToolPaths } from './tool-paths.js';
import { askBinary } from './binary-answers.js';

export interface KubectlHelmAdapterOptions {
  /** Kube context to use; when absent, kubectl's current context (read once at creation). */
  context?: string;
  /** Executables; default `kubectl` and `helm` from PATH, else a development checkout's `.tools/`. */
  kubectlPath?: string;
  helmPath?: string;
  /** Extra environment for both tools (e.g. PATH, HELM_CACHE_HOME). */
  env?: Record<string, string>;
  /** A kubeconfig passed explicitly to every call (sandbox runs); default: the user's own. */
  kubeconfig?: string;
  /** A chart repository helm trusts with its own CA file (the sandbox's). */
  trustedRepo?: helmOps.TrustedRepo;
  /** Where the values temp file is created (default: the OS temp dir). */
  tempDir?: string;
  probe?: { timeoutMs?: number; pollIntervalMs?: number; imdsClientId?: string };
}

interface ObjectJson {
  kind?: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  data?: Record<string, string>;
}

/** A Secret's values, decoded, and its labels: what a reading of it keeps. */
function secretContents(secret: ObjectJson): { data: Record<string, string>; labels: Record<string, string> } {
  const data = Object.fromEntries(
    Object.entries(secret.data ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64').toString('utf8')]),
  );
  return { data, labels: secret.metadata.labels ?? {} };
}

/** The CSI driver's objects read by name: under 'csi', so a write that touches the driver makes it stale too. */
const CSI_NAMED = 'csi/named';

export class KubectlHelmAdapter implements KubePort {
  private helmVersion?: Promise<HelmVersion>;
  private readonly readings: Readings;

  private constructor(
    private readonly tools: BoundTools,
    private readonly options: KubectlHelmAdapterOptions,
  ) {
    // A write changes neither whether the API server answers nor its version.
    this.readings = new Readings((key) => (key === 'reachability' ? 0 : tools.writesTo(key)));
  }

  static async create(options: KubectlHelmAdapterOptions = {}): Promise<KubectlHelmAdapter> {
    const { kubectl, helm } = binaries(options);
    const context = options.context ?? (await currentContext(kubectl, options.kubeconfig));
    if (!context)
      throw new UserError(
        'kubectl has no current context.',
        'Pick one with `kubectl config use-context NAME` or pass --kube-context NAME.',
      );
    return new KubectlHelmAdapter(bindTools(kubectl, helm, context, options.kubeconfig), options);
  }

  /** For a known context: nothing to ask kubectl first. */
  static forContext(options: KubectlHelmAdapterOptions & { context: string }): KubectlHelmAdapter {
    const { kubectl, helm } = binaries(options);
    return new KubectlHelmAdapter(bindTools(kubectl, helm, options.context, options.kubeconfig), options);
  }

  get context(): string {
    return this.tools.context;
  }

  private helm(): Promise<HelmVersion> {
    // Asked once per adapter; the answer decides --atomic vs --rollback-on-failure.
    this.helmVersion ??= helmOps.detectHelmVersion(this.tools);
    return this.helmVersion;
  }

  async toolVersions(): Promise<ToolVersions> {
    // A tool that isn't installed is an answer here (the preflight says how to install it).
    const kubectl = await askBinary(this.tools.kubectlBinary, ['version', '--client', '--output', 'json'])
      .then(
        (client) =>
          (JSON.parse(client.stdout) as { clientVersion?: { gitVersion?: string } }).clientVersion?.gitVersion,
      )
      .catch((error: unknown) => (isNotInstalled(error) ? undefined : Promise.reject(error)));
    const helm = await this.helm().catch((error: unknown) => {
      this.helmVersion = undefined;
      return isNotInstalled(error) ? undefined : Promise.reject(error);
    });
    return { ...(kubectl ? { kubectl } : {}), ...(helm ? { helm: helm.raw, helmMajor: helm.major } : {}) };
  }

  async reachability(): Promise<ClusterReachability> {
    const reach = await this.readings.read('reachability', () => this.askServerVersion());
    // An unreachable cluster is asked again each time: it may be back.
    if (!reach.reachable) this.readings.forget('reachability');
    return reach;
  }

  private async askServerVersion(): Promise<ClusterReachability> {
    const run = await this.tools.kubectl(['version', '--output', 'json', '--request-timeout', '10s'], {
      allowFailure: true,
    });
    const serverVersion = run.stdout
      ? (JSON.parse(run.stdout) as { serverVersion?: { gitVersion?: string } }).serverVersion?.gitVersion
      : undefined;
    if (run.exitCode === 0 && serverVersion) return { reachable: true, serverVersion };
    const error =
      run.stderr
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
        .at(-1) ?? `kubectl exited with ${run.exitCode}`;
    return { reachable: false, error };
  }

  async canI(verb: string, resource: string, namespace?: string): Promise<boolean> {
    // `auth can-i` answers "no" with exit code 1; that is an answer, not a failure.
    const run = await this.tools.kubectl(['auth', 'can-i', verb, resource, ...this.scope(namespace)], {
      allowFailure: true,
    });
    if (run.stdout.trim() === 'yes') return true;
    if (run.stdout.trim().startsWith('no')) return false;
    throw new UserError(
      `Can't check permission to ${verb} ${resource}: ${run.stderr.trim() || 'no answer from kubectl auth can-i'}`,
    );
  }

  async canIAll(questions: readonly AccessQuestion[]): Promise<boolean[]> {
    if (questions.length === 0) return [];
    // The SelfSubjectAccessReviews `auth can-i` would send one process at a time, created by
    // one kubectl: it prints each review's answer on its own line, in order.
    const reviews = questions.map(({ verb, resource, namespace }) => {
      const dot = resource.indexOf('.');
      const [plural, group] = dot === -1 ? [resource, ''] : [resource.slice(0, dot), resource.slice(dot + 1)];
      return {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        spec: { resourceAttributes: { verb, resource: plural, group, ...(namespace ? { namespace } : {}) } },
      };
    });
    const run = await this.tools.kubectl(
      ['create', '--filename', '-', '--output', 'jsonpath={.status.allowed}{"\\n"}'],
      {
        input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: reviews }),
        allowFailure: true,
        // A review is a question: the API server answers it and stores nothing.
        touches: [],
      },
    );
    const answers = run.stdout.split('\n').map((line) => line.trim());
    if (run.exitCode !== 0 || answers.length !== questions.length)
      throw new UserError(
        `Can't check permissions (${questions.map((q) => `${q.verb} ${q.resource}`).join(', ')}): ${run.stderr.trim() || 'no answer from the cluster'}`,
      );
    return answers.map((answer) => answer === 'true');
  }

  namespaceExists(namespace: string): Promise<boolean> {
    return this.readings.read(`namespace/${namespace}`, () => this.askNamespace(namespace));
  }

  private async askNamespace(namespace: string): Promise<boolean> {
    // With the CSI driver's named objects in the same call, kept as their reading: every run
    // that asks for its namespace reads those moments later (the CSI gather), and a kubectl start
    // costs tens of milliseconds of CPU. When that call fails, the namespace is asked alone.
    const before = this.tools.writesSoFar();
    const both = await readNamed(this.tools, namespace).catch(() => undefined);
    if (both?.namespaceExists !== undefined) {
      const { kinds, syncRoleReadable } = both;
      this.keepUnlessWritten(before, CSI_NAMED, { kinds, syncRoleReadable });
      return both.namespaceExists;
    }
    const args = ['get', 'namespace', namespace, '--ignore-not-found', '--output', 'name'];
    const run = await this.tools.kubectl(args, { allowFailure: true });
    // A user without rights there may not read it; it isn't ours to create then either, and
    // what the user may do there is what the rights checks report.
    if (run.exitCode !== 0 && /\(Forbidden\)/.test(run.stderr)) return true;
    if (run.exitCode !== 0)
      throw commandFailed(this.tools.kubectlBinary, [...args, '--context', this.tools.context], run);
    return run.stdout.trim() !== '';
  }

  async ensureNamespace(namespace: string, labels: Record<string, string> = {}): Promise<'created' | 'exists'> {
    if (await this.namespaceExists(namespace)) return 'exists';
    await this.tools.kubectl(['apply', '--filename', '-'], {
      input: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels } }),
      touches: [`namespace/${namespace}`],
    });
    this.readings.keep(`namespace/${namespace}`, true);
    return 'created';
  }

  async deleteNamespace(namespace: string): Promise<void> {
    await this.tools.kubectl(['delete', 'namespace', namespace, '--ignore-not-found']);
  }

  async readSecret(namespace: string, name: string): Promise<Record<string, string> | null> {
    return (await this.secretReading(namespace, name))?.data ?? null;
  }

  async secretLabels(namespace: string, name: string): Promise<Record<string, string> | null> {
    return (await this.secretReading(namespace, name))?.labels ?? null;
  }

  /**
   * One reading per Secret, its decoded values and its labels together: the preflight, the plan
   * and the migration each read a source Secret, and a step that checks the values also checks
   * the labels. Kept in memory only, like every reading: the values never leave this process.
   */
  private secretReading(
    namespace: string,
    name: string,
  ): Promise<{ data: Record<string, string>; labels: Record<string, string> } | null> {
    return this.readings.read(`secret/${namespace}/${name}`, async () => {
      const secret = await this.getJson<ObjectJson>('secret', name, namespace);
      return secret ? secretContents(secret) : null;
    });
  }

  // From the same reading: the release's verify and the synced-Secret check after it ask for
  // the same Secret's keys within seconds.
  async secretKeys(namespace: string, name: string): Promise<string[] | null> {
    const secret = await this.secretReading(namespace, name);
    return secret ? Object.keys(secret.data).sort() : null;
  }

  async applySecret(
    namespace: string,
    name: string,
    data: Record<string, string>,
    labels: Record<string, string>,
  ): Promise<void> {
    const manifest = {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'Opaque',
      metadata: { name, namespace, labels },
      data: Object.fromEntries(
        Object.entries(data).map(([key, value]) => [key, Buffer.from(value, 'utf8').toString('base64')]),
      ),
    };
    const run = await this.tools.kubectl(['apply', '--filename', '-', '--output', 'json'], {
      input: JSON.stringify(manifest),
      redact: Object.values(data),
      touches: [`secret/${namespace}/${name}`],
    });
    // kubectl prints the Secret as the API server stored it (labels and keys others added
    // included): kept as its reading, so the step's verify doesn't read it back. Without a
    // printed Secret, the next question reads it.
    if (run.stdout.trim())
      this.readings.keep(`secret/${namespace}/${name}`, secretContents(JSON.parse(run.stdout) as ObjectJson));
  }

  async deleteObject(kind: string, namespace: string | undefined, name: string): Promise<'deleted' | 'absent'> {
    const run = await this.tools.kubectl([
      'delete',
      kind,
      name,
      ...this.scope(namespace),
      '--ignore-not-found',
      '--output',
      'name',
    ]);
    return run.stdout.trim() ? 'deleted' : 'absent';
  }

  async listLabelled(kind: string, selector: string, namespace?: string): Promise<LabelledObject[]> {
    const args = [
      'get',
      kind,
      '--selector',
      selector,
      ...(namespace ? ['--namespace', namespace] : ['--all-namespaces']),
      '--output',
      'json',
    ];
    const run = await this.tools.kubectl(args, { allowFailure: true });
    // A kind the cluster doesn't serve (its CRD is gone, e.g. after the driver's removal) has no
    // objects; kubectl then lists none of the others either, so several kinds are asked one by one.
    if (run.exitCode !== 0 && /doesn't have a resource type|could not find the requested resource/.test(run.stderr)) {
      const kinds = kind.split(',');
      if (kinds.length === 1) return [];
      return (await Promise.all(kinds.map((one) => this.listLabelled(one, selector, namespace)))).flat();
    }
    if (run.exitCode !== 0)
      throw commandFailed(this.tools.kubectlBinary, [...args, '--context', this.tools.context], run);
    const items = (JSON.parse(run.stdout) as { items?: ObjectJson[] }).items ?? [];
    return items.map((item) => ({
      kind: item.kind ?? kind,
      ...(item.metadata.namespace ? { namespace: item.metadata.namespace } : {}),
      name: item.metadata.name,
      labels: item.metadata.labels ?? {},
    }));
  }

  async applyManifest(manifest: string): Promise<void> {
    await this.tools.kubectl(['apply', '--filename', '-'], { input: manifest });
  }

  async configMapData(namespace: string, name: string): Promise<Record<string, string> | null> {
    const configMap = await this.getJson<{ data?: Record<string, string> }>('configmap', name, namespace);
    return configMap ? (configMap.data ?? {}) : null;
  }

  async getSecretProviderClass(
    namespace: string,
    name: string,
    syncedSecret?: string,
  ): Promise<Record<string, unknown> | null> {
    const both = syncedSecret ? await this.spcWithSecret(namespace, name, syncedSecret) : undefined;
    return both ? both.spc : this.getJson<Record<string, unknown>>('secretproviderclass', name, namespace);
  }

  /**
   * A release's SecretProviderClass and its synced Secret from one kubectl: the release's verify
   * asks for both, one after the other. Undefined when that call fails (a kind not served, a
   * denied read): each is then read on its own, so a failure names its object.
   */
  private async spcWithSecret(
    namespace: string,
    name: string,
    secret: string,
  ): Promise<{ spc: Record<string, unknown> | null } | undefined> {
    const objects = [`secretproviderclass/${name}`, `secret/${secret}`];
    const before = this.tools.writesSoFar();
    const run = await this.tools.kubectl(
      ['get', ...objects, '--namespace', namespace, '--ignore-not-found', '--output', 'json'],
      { allowFailure: true },
    );
    if (run.exitCode !== 0) return undefined;
    // Several objects by name print as a List of those found.
    type Item = ObjectJson & Record<string, unknown>;
    const items = run.stdout.trim() ? ((JSON.parse(run.stdout) as { items?: Item[] }).items ?? []) : [];
    const synced = items.find((item) => item.kind === 'Secret');
    this.keepUnlessWritten(before, `secret/${namespace}/${secret}`, synced ? secretContents(synced) : null);
    return { spc: items.find((item) => item.kind === 'SecretProviderClass') ?? null };
  }

  csiDriverState(options: { fresh?: boolean } = {}): Promise<CsiDriverState> {
    return this.readings.read(
      'csi',
      () => {
        // The gather lists every node and, where the driver is, every release: kept as the nodes
        // reading and each release's status reading (`helm list` with the same filters), unless
        // this port wrote anything while it ran.
        const before = this.tools.writesSoFar();
        const keep = (key: string, value: unknown) => this.keepUnlessWritten(before, key, value);
        return gatherCsiState(
          this.tools,
          {
            nodes: (nodes) => keep('nodes', nodes),
            releases: (releases) => {
              for (const release of releases) keep(`status/${release.namespace}/${release.name}`, release);
            },
          },
          this.readings.read(CSI_NAMED, () => readNamed(this.tools), options),
        );
      },
      options,
    );
  }

  /**
   * Keeps what a read brought beside its own question, unless this port wrote something while it
   * ran (`before`: the writes so far when it started): the write may have changed it.
   */
  private keepUnlessWritten(before: number, key: string, value: unknown): void {
    if (this.tools.writesSoFar() === before) this.readings.keep(key, value);
  }

  forgetReadings(): void {
    this.readings.forgetAll();
  }

  helmStatus(release: string, namespace: string): Promise<HelmRelease | null> {
    return this.readings.read(`status/${namespace}/${release}`, () =>
      helmOps.helmStatus(this.tools, release, namespace),
    );
  }

  async helmUpgradeInstall(request: HelmInstallRequest): Promise<HelmRelease> {
    // A release changes its own status and values, its namespace (--create-namespace) and the
    // Secrets there (Helm's record; the driver syncs some). A chart that brings the CSI driver
    // changes the CSI reading too, and cluster-wide objects (CRDs, the CSIDriver, ClusterRoles)
    // that no other reading holds; the Secrets its driver syncs elsewhere appear only for pods
    // that mount a SecretProviderClass, and none of those is a Secret a run reads.
    const { release, namespace } = request;
    const touches = [
      `status/${namespace}/${release}`,
      `values/${namespace}/${release}`,
      `namespace/${namespace}`,
      `secret/${namespace}`,
      ...(bringsCsiDriver(request.chart) ? ['csi'] : []),
    ];
    // A release left pending-* is refused before helm runs; the reading the plan took seconds ago
    // serves (helm refuses too if another client started an operation since).
    const existing = await this.helmStatus(release, namespace);
    const { release: installed, values } = await helmOps.helmUpgradeInstall(
      this.tools,
      await this.helm(),
      request,
      this.options.tempDir,
      this.options.trustedRepo,
      touches,
      existing,
    );
    // `upgrade --output json` prints the release as stored: what `helm list` would describe and
    // the values `helm get values` would print.
    this.readings.keep(`status/${namespace}/${release}`, installed);
    this.readings.keep(`values/${namespace}/${release}`, values);
    return installed;
  }

  async helmRollback(release: string, namespace: string, revision?: number): Promise<void> {
    await this.helm();
    await helmOps.helmRollback(this.tools, release, namespace, revision);
  }

  helmUninstall(release: string, namespace: string): Promise<'uninstalled' | 'absent'> {
    return helmOps.helmUninstall(this.tools, release, namespace);
  }

  helmValues(release: string, namespace: string): Promise<Record<string, unknown> | null> {
    return this.readings.read(`values/${namespace}/${release}`, () =>
      helmOps.helmValues(this.tools, release, namespace),
    );
  }

  async nodeAddresses(): Promise<{ name: string; externalIps: string[] }[]> {
    type AddressedNode = NodeJson & { status?: { addresses?: { type: string; address: string }[] } };
    const items = await this.readings.read('nodes', async () => {
      const run = await this.tools.kubectl(['get', 'nodes', '--output', 'json']);
      return (JSON.parse(run.stdout) as { items: AddressedNode[] }).items;
    });
    return items
      .filter((n) => (n.metadata.labels?.['kubernetes.io/os'] ?? 'linux') === 'linux')
      .map((n) => ({
        name: n.metadata.name,
        externalIps: (n.status?.addresses ?? []).filter((a) => a.type === 'ExternalIP').map((a) => a.address),
      }));
  }

  helmTemplate(request: HelmInstallRequest): Promise<ChartVerdict> {
    return templateChart(this.tools.helmBinary, request, this.options.tempDir);
  }

  async runProbe(spec: ProbeSpec): Promise<ProbeResult> {
    const [outcome] = await this.runProbes([spec]);
    if (outcome!.status === 'rejected') throw outcome!.reason;
    return outcome!.value;
  }

  runProbes(specs: readonly ProbeSpec[]): Promise<PromiseSettledResult<ProbeResult>[]> {
    const probe = this.options.probe ?? {};
    return runProbePods(
      this.tools,
      specs,
      { timeoutMs: probe.timeoutMs ?? 120_000, pollIntervalMs: probe.pollIntervalMs ?? 2_000 },
      probe.imdsClientId ? { imdsClientId: probe.imdsClientId } : {},
    );
  }

  async warningEvents(namespace: string): Promise<{ object: string; reason: string; message: string }[]> {
    const run = await this.tools.kubectl([
      'get',
      'events',
      '--namespace',
      namespace,
      '--field-selector',
      'type=Warning',
      '--output',
      'json',
    ]);
    const items =
      (
        JSON.parse(run.stdout || '{}') as {
          items?: { involvedObject?: { kind?: string; name?: string }; reason?: string; message?: string }[];
        }
      ).items ?? [];
    return items.map((event) => ({
      object: `${event.involvedObject?.kind ?? ''}/${event.involvedObject?.name ?? ''}`,
      reason: event.reason ?? '',
      message: event.message ?? '',
    }));
  }

  private scope(namespace?: string): string[] {
    return namespace ? ['--namespace', namespace] : [];
  }

  private async getJson<T>(kind: string, name: string, namespace?: string): Promise<T | null> {
    const run = await this.tools.kubectl([
      'get',
      kind,
      name,
      ...this.scope(namespace),
      '--ignore-not-found',
      '--output',
      'json',
    ]);
    return run.stdout.trim() ? (JSON.parse(run.stdout) as T) : null;
  }
}

function binaries(options: KubectlHelmAdapterOptions): { kubectl: ToolBinary; helm: ToolBinary } {
  const found = resolveToolPaths({ ...process.env, ...options.env });
  const env = options.env ? { env: options.env } : {};
  return {
    kubectl: { name: 'kubectl', path: options.kubectlPath ?? found.kubectl, ...env },
    helm: { name: 'helm', path: options.helmPath ?? found.helm, ...env },
  };
}

function isNotInstalled(error: unknown): boolean {
  return error instanceof ExternalCommandError && /isn't installed or isn't on PATH/.test(error.message);
}
