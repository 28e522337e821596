/**
 * Turns `clusters:` specs into simulated clusters. The one path for both the default world's
 * clusters (cluster/default-clusters.ts) and a world file's. Runs after the ARM resources
 * exist, because an AKS cluster's nodes take their subnet and egress IP from its managedCluster.
 * Everything a cluster holds at start is written through its API store: system namespaces,
 * Node objects, the world's namespaces, Secrets and ServiceAccounts, and a CSI driver installed
 * before the tool (a chart release with its Helm record, or plain manifests).
 */
import { nodePosition } from '../arm/managed-clusters.js';
import { preinstallDriver } from '../cluster/preinstall.js';
import { T, encodeData, ensureNamespace } from '../cluster/objects.js';
import type { ClusterNode, ClusterState } from '../cluster/state.js';
import { reconcile } from '../cluster/controllers/reconcile.js';
import { KubeStore } from '../k8s/store.js';
import type { AksClusterSpec, ClusterSpec, ExternalClusterSpec } from './cluster-spec.js';
import type { SandboxState } from './state.js';

/** Namespaces every cluster has before anyone touches it. */
const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

function addNumber(ip: string, offset: number): string {
  const n = ip.split('.').reduce((sum, octet) => sum * 256 + Number(octet), 0) + offset;
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

function seed(cluster: ClusterState, spec: ClusterSpec, now: number): void {
  for (const name of SYSTEM_NAMESPACES) ensureNamespace(cluster, name, {}, now);
  for (const node of cluster.nodes) {
    const address = node.position.kind === 'vnet' ? node.position.privateIp : node.position.egressIp;
    cluster.store.put(
      T.node,
      {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: {
          name: node.name,
          labels: { 'kubernetes.io/os': node.os, 'kubernetes.io/hostname': node.name, 'kubernetes.io/arch': 'amd64' },
        },
        spec: {},
        status: {
          conditions: [
            { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
          ],
          // A node outside Azure here has a public address of its own (ExternalIP, as EKS nodes in a
          // public subnet publish); AKS nodes leave through the load balancer and publish none.
          addresses: [
            { type: 'InternalIP', address },
            ...(node.position.kind === 'external' ? [{ type: 'ExternalIP', address: node.position.egressIp }] : []),
            { type: 'Hostname', address: node.name },
          ],
          nodeInfo: { kubeletVersion: cluster.serverVersion, operatingSystem: node.os, architecture: 'amd64' },
        },
      },
      now,
    );
  }
  for (const entry of spec.namespaces) {
    ensureNamespace(cluster, entry.name, entry.labels, now);
    for (const secret of entry.secrets) {
      cluster.store.put(
        T.secret,
        {
          apiVersion: 'v1',
          kind: 'Secret',
          type: secret.type,
          metadata: {
            name: secret.name,
            namespace: entry.name,
            labels: { ...secret.labels },
            annotations: { ...secret.annotations },
          },
          data: encodeData(secret.data),
        },
        now,
      );
    }
    for (const account of entry.serviceAccounts) {
      cluster.store.put(
        T.serviceAccount,
        {
          apiVersion: 'v1',
          kind: 'ServiceAccount',
          metadata: {
            name: account.name,
            namespace: entry.name,
            labels: { ...account.labels },
            annotations: { ...account.annotations },
          },
        },
        now,
      );
    }
  }
}

function base(spec: ClusterSpec, nodes: ClusterNode[], serverVersion: string): ClusterState {
  return {
    context: spec.context,
    kind: spec.kind,
    serverVersion,
    nodes,
    nodeIdentityClientIds: [],
    rotationTicks: new Map(),
    settled: {},
    store: new KubeStore(),
    logs: new Map(),
    serviceCount: 0,
    access: { ...(spec.operatorAccess?.namespaces ? { namespaceScope: [...spec.operatorAccess.namespaces] } : {}) },
  };
}

function aksCluster(state: SandboxState, spec: AksClusterSpec): ClusterState {
  const { resourceGroup, name } = spec.managedCluster;
  const id = `/subscriptions/${state.subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.ContainerService/managedClusters/${name}`;
  const resource = state.resources.get(id.toLowerCase());
  // spec.ts checks the reference; this guards callers that build a spec by hand.
  if (!resource)
    throw new Error(
      `Cluster context "${spec.context}" names managed cluster ${resourceGroup}/${name}, which the world doesn't define.`,
    );
  const position = nodePosition(state, resource);
  if (position.kind !== 'vnet')
    throw new Error(
      `Managed cluster ${resourceGroup}/${name} has no subnet in the world, so context "${spec.context}" can't place its nodes.`,
    );
  const nodes: ClusterNode[] = spec.nodes.map((node, index) => ({
    name: node.name,
    os: node.os,
    position: {
      ...position,
      privateIp: addNumber(position.privateIp, index),
      egressIp: node.egressIp ?? position.egressIp,
    },
  }));
  const version = (resource.properties as Record<string, unknown> | undefined)?.currentKubernetesVersion ?? '1.32.3';
  const cluster = base(spec, nodes, `v${String(version)}`);
  cluster.managedClusterId = resource.id;
  return cluster;
}

function externalCluster(spec: ExternalClusterSpec): ClusterState {
  const nodes: ClusterNode[] = spec.nodes.map((node) => ({
    name: node.name,
    os: node.os,
    position: { kind: 'external', egressIp: node.egressIp },
  }));
  const cluster = base(spec, nodes, `v${spec.kubernetesVersion}`);
  if (spec.oidcIssuer) cluster.oidcIssuer = spec.oidcIssuer;
  return cluster;
}

function buildCluster(state: SandboxState, spec: ClusterSpec, now = Date.now()): ClusterState {
  const cluster = spec.kind === 'aks' ? aksCluster(state, spec) : externalCluster(spec);
  seed(cluster, spec, now);
  if (typeof spec.csiDriver !== 'string') preinstallDriver(cluster, spec.csiDriver, now);
  reconcile(state, cluster, now);
  return cluster;
}

export function buildClusters(
  state: SandboxState,
  specs: readonly ClusterSpec[],
  now = Date.now(),
): Map<string, ClusterState> {
  return new Map(specs.map((spec) => [spec.context, buildCluster(state, spec, now)]));
}
