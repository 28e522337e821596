/**
 * The shapes the simulated cluster speaks on its HTTPS API: a Helm release and install request,
 * the CSI driver's state, a probe and its result, and our chart's values. They are the sandbox's
 * own; the CLI's sandbox adapter (source/kube/sandbox-adapter.ts) sends and reads them as they
 * are: the CLI's cluster port uses the same shapes, and the sandbox-adapter tests hold the two together.
 */

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

export interface CsiDriverState {
  /** CSIDriver object `secrets-store.csi.k8s.io` exists. */
  driverRegistered: boolean;
  /** CRD `secretproviderclasses.secrets-store.csi.x-k8s.io` exists. */
  crdsInstalled: boolean;
  /** The Azure provider DaemonSet exists. */
  azureProviderInstalled: boolean;
  /** Who installed it: the AKS add-on, a Helm release, something else, or nobody. */
  installedBy: 'aks-addon' | 'helm' | 'other' | 'none';
  helmRelease?: { name: string; namespace: string };
  /** Secret sync (secretObjects) allowed; null when it can't be told. */
  syncSecretEnabled: boolean | null;
  rotationEnabled: boolean | null;
  /** Per Linux node that can run Feathr: are the driver and provider pods ready there. */
  nodes: { name: string; driverReady: boolean; providerReady: boolean }[];
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

export type MountedObjectState = 'mounted' | 'missing' | 'empty';

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

/**
 * What the simulated feathr-online chart reads from a release's values. Values arrive in a
 * request, so every key may be missing; whatever else is there passes through untouched.
 */
export interface ChartValuesRead {
  replicaCount?: number;
  serviceAccount?: { create?: boolean; name?: string; annotations?: Record<string, string> };
  commonLabels?: Record<string, string>;
  keyVault?: {
    name?: string;
    tenantId?: string;
    cloudName?: string;
    identity?: { mode?: string; clientId?: string; nodePublishSecretRef?: string };
    secrets?: { env: string; vaultName: string }[];
    syncedSecretName?: string;
    secretProviderClassName?: string;
  };
}
