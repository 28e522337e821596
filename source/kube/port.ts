/**
 * The Kubernetes/Helm port. Two adapters implement it: the real one over the operator's own
 * `kubectl` and `helm` (execa; their kubeconfig, context and auth plugins apply unchanged),
 * and the sandbox one over the sandbox's HTTPS API. Steps and checks only see this interface.
 *
 * Rule for every method: no secret value ever goes on a command line or into an error message.
 */
import type { ChartVerdict } from './helm-template.js';

export type HelmReleaseStatus =
  | 'deployed'
  | 'failed'
  | 'pending-install'
  | 'pending-upgrade'
  | 'pending-rollback'
  | 'uninstalling'
  | 'superseded'
  | 'uninstalled'
  | 'unknown';

export interface HelmRelease {
  name: string;
  namespace: string;
  status: HelmReleaseStatus;
  revision: number;
  chart: string;
  appVersion?: string;
}

export interface HelmInstallRequest {
  release: string;
  namespace: string;
  /** A local chart directory, or `repo/chart` together with `repoUrl`. */
  chart: string;
  repoUrl?: string;
  version?: string;
  /** Passed to helm in a 0600 temp file that is removed afterwards, never with --set. */
  values: Record<string, unknown>;
  /** Extra files handed to the chart with --set-file key=path (e.g. pipeline.conf). */
  files?: Record<string, string>;
  createNamespace?: boolean;
  wait: boolean;
  timeoutSeconds: number;
  atomic?: boolean;
}

export interface ToolVersions {
  kubectl?: string;
  helm?: string;
  helmMajor?: number;
}

export interface ClusterReachability {
  reachable: boolean;
  serverVersion?: string;
  error?: string;
}

/** Where the Secrets Store CSI driver stands on this cluster, so it is never installed twice. */
export interface CsiDriverState {
  /** CSIDriver object `secrets-store.csi.k8s.io` exists. */
  driverRegistered: boolean;
  /** CRD `secretproviderclasses.secrets-store.csi.x-k8s.io` exists. */
  crdsInstalled: boolean;
  /** The Azure provider DaemonSet exists. */
  azureProviderInstalled: boolean;
  /** Who installed it: the AKS add-on, a Helm release, something else, or nobody. */
  installedBy: 'aks-addon' | 'helm' | 'other' | 'none';
  /** `chart` as helm lists it: `<name>-<version>`. */
  helmRelease?: { name: string; namespace: string; chart: string };
  /** Secret sync (secretObjects) allowed; null when it can't be told. */
  syncSecretEnabled: boolean | null;
  rotationEnabled: boolean | null;
  /** Per Linux node that can run Feathr: are the driver and provider pods ready there. */
  nodes: { name: string; driverReady: boolean; providerReady: boolean }[];
}

export interface LabelledObject {
  kind: string;
  namespace?: string;
  name: string;
  labels: Record<string, string>;
}

/** A `kubectl auth can-i` question: `resource` is `plural[.group]`, as can-i takes it. */
export interface AccessQuestion {
  verb: string;
  resource: string;
  namespace?: string;
}

export interface ProbeSpec {
  namespace: string;
  /** Image with nslookup/openssl/curl-like tools; configurable for private registries. */
  image?: string;
  /** The Azure provider runs on the host network, so its view of DNS and egress differs. */
  hostNetwork: boolean;
  vaultName: string;
  /** Mount this SecretProviderClass with the real identity and report each object. */
  secretProviderClass?: string;
  serviceAccount?: string;
  /** Object aliases (env names) expected in the mount. */
  expectedObjects?: string[];
  /** Service-principal mode: the nodePublishSecretRef Secret name. */
  nodePublishSecretRef?: string;
  /** Pod labels (e.g. azure.workload.identity/use). */
  labels?: Record<string, string>;
  /** Pin the pod to one node: each node reaches the vault from its own address. */
  nodeName?: string;
}

type MountedObjectState = 'mounted' | 'missing' | 'empty';

export interface ProbeResult {
  /** What `<vault>.vault.azure.net` resolved to from the pod. */
  dns: { host: string; addresses: string[]; error?: string };
  tcp443: boolean;
  tls: boolean;
  /** HTTP status of an unauthenticated/identity GET to the vault, and the 403 text if any. */
  vaultStatus?: number;
  vaultError?: string;
  /** Parsed from a 403 `Client address:` line: the egress IP the vault sees. */
  clientAddress?: string;
  mount?: {
    ok: boolean;
    /** The FailedMount text when the mount failed as a whole. */
    error?: string;
    /** sha256 hex of each object's content, computed in the pod; travels only to the CLI. */
    objects: { alias: string; state: MountedObjectState; sha256?: string }[];
  };
  /** The node's egress IP as the vault saw it, one entry per node the probe ran on. */
  podName: string;
  cleanedUp: boolean;
}

export interface KubePort {
  /** The context this port is bound to (shown and confirmed before any cluster change). */
  readonly context: string;
  toolVersions(): Promise<ToolVersions>;
  reachability(): Promise<ClusterReachability>;
  canI(verb: string, resource: string, namespace?: string): Promise<boolean>;
  /** Several `canI` questions in one call to the cluster; the answers in the same order. */
  canIAll(questions: readonly AccessQuestion[]): Promise<boolean[]>;

  namespaceExists(namespace: string): Promise<boolean>;
  ensureNamespace(namespace: string, labels?: Record<string, string>): Promise<'created' | 'exists'>;
  deleteNamespace(namespace: string): Promise<void>;

  /** Decoded values of a Secret, or null when it doesn't exist. Values never logged. */
  readSecret(namespace: string, name: string): Promise<Record<string, string> | null>;
  /** A Secret's labels, or null when it doesn't exist (the same reading as readSecret). */
  secretLabels(namespace: string, name: string): Promise<Record<string, string> | null>;
  /** Key names only (for reports). */
  secretKeys(namespace: string, name: string): Promise<string[] | null>;
  /** Create or replace a Secret from stdin (never argv), with labels. */
  applySecret(
    namespace: string,
    name: string,
    data: Record<string, string>,
    labels: Record<string, string>,
  ): Promise<void>;
  deleteObject(kind: string, namespace: string | undefined, name: string): Promise<'deleted' | 'absent'>;
  /**
   * Objects carrying a label selector, e.g. app.kubernetes.io/managed-by=feathr-kv-setup, of one
   * kind or of several comma-separated ones (`secret,configmap`: one kubectl call). A kind the
   * cluster doesn't serve has none.
   */
  listLabelled(kind: string, selector: string, namespace?: string): Promise<LabelledObject[]>;
  /** Apply a manifest (YAML/JSON, no secrets) through stdin. */
  applyManifest(manifest: string): Promise<void>;
  /** A ConfigMap's data (no Secret ever goes through this), or null when it doesn't exist. */
  configMapData(namespace: string, name: string): Promise<Record<string, string> | null>;
  /**
   * A SecretProviderClass as JSON, or null. With `syncedSecret`, the Secret the driver syncs from
   * it is read in the same call and kept for the next question about it (`secretKeys`).
   */
  getSecretProviderClass(
    namespace: string,
    name: string,
    syncedSecret?: string,
  ): Promise<Record<string, unknown> | null>;

  /**
   * What runs the CSI driver here. Reads taken since this port last wrote are shared; `fresh`
   * reads the cluster again (for a caller waiting for someone else's change).
   */
  csiDriverState(options?: { fresh?: boolean }): Promise<CsiDriverState>;
  /**
   * Drops every reading the port keeps, so each next question reads the cluster (after a
   * person took time to approve a plan, in which anyone may have changed it).
   */
  forgetReadings(): void;
  /**
   * Linux nodes and the addresses they publish as ExternalIP in status.addresses (a read): on a
   * node with a public address, where its traffic leaves from; none on a node behind NAT.
   */
  nodeAddresses(): Promise<{ name: string; externalIps: string[] }[]>;

  helmStatus(release: string, namespace: string): Promise<HelmRelease | null>;
  helmUpgradeInstall(request: HelmInstallRequest): Promise<HelmRelease>;
  helmRollback(release: string, namespace: string, revision?: number): Promise<void>;
  helmUninstall(release: string, namespace: string): Promise<'uninstalled' | 'absent'>;
  /** The values a release was installed with (secrets are never among them). */
  helmValues(release: string, namespace: string): Promise<Record<string, unknown> | null>;
  /** `helm template` with an install's arguments, offline: what the chart's own rules say of its values. */
  helmTemplate(request: HelmInstallRequest): Promise<ChartVerdict>;

  /** Run a short-lived probe pod and clean it up, even on failure. */
  runProbe(spec: ProbeSpec): Promise<ProbeResult>;
  /** Several probe pods side by side, in one batch; each one's result or failure, in order. */
  runProbes(specs: readonly ProbeSpec[]): Promise<PromiseSettledResult<ProbeResult>[]>;
  /** Recent Warning events for pods in a namespace (FailedMount etc.), for diagnosis. */
  warningEvents(namespace: string): Promise<{ object: string; reason: string; message: string }[]>;
}
