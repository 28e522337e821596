/**
 * The model of one simulated cluster (one kube context): its Kubernetes API (objects in a
 * store, as an API server keeps them; Helm keeps its releases there as Secrets, as it does on
 * a real cluster) plus where the nodes sit on the network, because the CSI mount and the
 * probe judge vault access from there. Secret values live only in stored Secrets.
 */
import type { ApiCluster } from '../k8s/cluster.js';
import type { NetworkPosition } from '../world/state.js';

export type { KubeObject } from '../k8s/types.js';

export interface ClusterNode {
  name: string;
  os: 'linux' | 'windows';
  /** 'vnet' for AKS nodes (pods share it, hostNetwork or not), 'external' outside Azure. */
  position: Extract<NetworkPosition, { kind: 'vnet' } | { kind: 'external' }>;
}

export interface ClusterState extends ApiCluster {
  context: string;
  kind: 'aks' | 'external';
  /** AKS: the managedCluster's ARM id; the add-on, OIDC issuer and identity are read from it. */
  managedClusterId?: string;
  nodes: ClusterNode[];
  /** External clusters: their OIDC issuer URL. AKS reads `oidcIssuerProfile.issuerURL` instead. */
  oidcIssuer?: string;
  /** Client ids of user-assigned identities attached to the nodes besides the AKS add-on one. */
  nodeIdentityClientIds: string[];
  /** Each rotating driver pod's (by uid) last rotation tick. */
  rotationTicks: Map<string, number>;
  /**
   * Controller passes that depend only on the store (and, for the add-on, its ARM settings)
   * and found nothing to do: the store revision (and settings) they saw. Run again at the same
   * inputs they would find nothing again, so they are skipped.
   */
  settled: { workloads?: string; addon?: string };
}
