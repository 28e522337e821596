/**
 * The model of one simulated cluster (one kube context). It holds what a real API server and
 * Helm's release storage would hold, plus where the nodes sit on the network, because the
 * probe and the CSI mount judge vault access from there. Secret values live only in
 * `KubeSecretObject.data` and leave the sandbox only through readSecret's response body.
 */
import type { NetworkPosition } from '../world/state.js';
import type { HelmReleaseStatus } from './wire.js';
import type { SetFileRecord } from './helm-files.js';

export interface ClusterNode {
  name: string;
  os: 'linux' | 'windows';
  /** 'vnet' for AKS nodes (pods share it, hostNetwork or not), 'external' outside Azure. */
  position: Extract<NetworkPosition, { kind: 'vnet' } | { kind: 'external' }>;
}

export interface KubeSecretObject {
  name: string;
  type: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Decoded values. Never copied into describe output, events or error messages. */
  data: Record<string, string>;
}

/** Any object the API stores as a manifest (ServiceAccounts, SecretProviderClasses, Deployments...). */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: unknown;
}

export interface NamespaceState {
  name: string;
  labels: Record<string, string>;
  secrets: Map<string, KubeSecretObject>;
  /** Other namespaced objects keyed by `<Kind>/<name>` (Kind as in the manifest, e.g. ServiceAccount). */
  objects: Map<string, KubeObject>;
}

export interface HelmRevisionState {
  revision: number;
  status: HelmReleaseStatus;
  /** Chart name as helm shows it in `helm status`, e.g. `feathr-online-0.1.0`. */
  chart: string;
  appVersion?: string;
  /** User-supplied values. Our chart never receives secret values (port rule). */
  values: Record<string, unknown>;
  /** Which values came from `--set-file` (keys and base names; their text is in values). */
  files?: SetFileRecord[];
  description: string;
  /** Epoch ms. */
  updated: number;
}

export interface HelmReleaseState {
  name: string;
  namespace: string;
  /** Oldest first; the last entry is the current revision. */
  history: HelmRevisionState[];
}

export interface ClusterEvent {
  namespace: string;
  /** e.g. `pod/feathr-online-7d9c-abcde`. */
  object: string;
  reason: string;
  message: string;
  at: number;
}

/** A CSI driver that was on the cluster before us and not through a Helm release we can see. */
export interface PreinstalledCsiDriver {
  syncSecret: boolean;
  rotation: boolean;
}

/** What the operator may not do (`kubectl auth can-i` answers no); an absent field matches anything. */
export interface RbacDenial {
  verb?: string;
  /** e.g. `secrets` or `deployments.apps`; compared by the plural name. */
  resource?: string;
  namespace?: string;
}

export interface ClusterState {
  context: string;
  kind: 'aks' | 'external';
  /** AKS: the managedCluster's ARM id; the add-on, OIDC issuer and identity are read from it. */
  managedClusterId?: string;
  serverVersion: string;
  nodes: ClusterNode[];
  /** External clusters: their OIDC issuer URL. AKS reads `oidcIssuerProfile.issuerURL` instead. */
  oidcIssuer?: string;
  /** Client ids of user-assigned identities attached to the nodes besides the AKS add-on one. */
  nodeIdentityClientIds: string[];
  namespaces: Map<string, NamespaceState>;
  /** Keyed by `<namespace>/<release>`. */
  helmReleases: Map<string, HelmReleaseState>;
  preinstalledCsi?: PreinstalledCsiDriver;
  events: ClusterEvent[];
  /** Counts pods the sandbox starts, so generated pod names are unique and deterministic. */
  podCounter: number;
  /** RBAC denials for the operator; absent or empty means cluster-admin. */
  rbacDenials?: RbacDenial[];
}
