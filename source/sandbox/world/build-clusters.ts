/**
 * Turns `clusters:` specs into simulated clusters. The one path for both the default world's
 * clusters (cluster/default-clusters.ts) and a world file's. Runs after the ARM resources
 * exist, because an AKS cluster's nodes take their subnet and egress IP from its managedCluster.
 */
import { nodePosition } from '../arm/managed-clusters.js';
import { newNamespace } from '../cluster/objects.js';
import type { ClusterNode, ClusterState, HelmReleaseState, NamespaceState } from '../cluster/state.js';
import { PROVIDER_CHART } from '../cluster/csi-driver.js';
import type { AksClusterSpec, ClusterSpec, ExternalClusterSpec } from './cluster-spec.js';
import type { SandboxState } from './state.js';

/** Namespaces every cluster has before anyone touches it. */
const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

function addNumber(ip: string, offset: number): string {
  const n = ip.split('.').reduce((sum, octet) => sum * 256 + Number(octet), 0) + offset;
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

function namespaces(spec: ClusterSpec): Map<string, NamespaceState> {
  const map = new Map<string, NamespaceState>();
  for (const name of SYSTEM_NAMESPACES) map.set(name, newNamespace(name));
  for (const entry of spec.namespaces) {
    const namespace = map.get(entry.name) ?? newNamespace(entry.name);
    Object.assign(namespace.labels, entry.labels);
    map.set(entry.name, namespace);
    for (const secret of entry.secrets) {
      namespace.secrets.set(secret.name, {
        name: secret.name,
        type: secret.type,
        labels: { ...secret.labels },
        annotations: { ...secret.annotations },
        data: { ...secret.data },
      });
    }
    for (const account of entry.serviceAccounts) {
      namespace.objects.set(`ServiceAccount/${account.name}`, {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: {
          name: account.name,
          namespace: entry.name,
          labels: { ...account.labels },
          annotations: { ...account.annotations },
        },
      });
    }
  }
  return map;
}

/** A Helm-installed driver is a real release in Helm's storage, so `helm list` and reuse detection see it. */
function preinstalledDriver(spec: ClusterSpec, cluster: ClusterState, now: number): void {
  const driver = spec.csiDriver;
  if (typeof driver === 'string') return; // none, or the AKS add-on read from ARM at use
  if ('other' in driver) {
    cluster.preinstalledCsi = { syncSecret: driver.other.syncSecret, rotation: driver.other.rotation };
    return;
  }
  const { helm } = driver;
  const values = {
    'secrets-store-csi-driver': {
      syncSecret: { enabled: helm.syncSecret },
      ...(helm.rotation ? { enableSecretRotation: true } : {}),
    },
  };
  const release: HelmReleaseState = {
    name: helm.release,
    namespace: helm.namespace,
    history: [
      {
        revision: 1,
        status: 'deployed',
        chart: `${PROVIDER_CHART}-${helm.version}`,
        appVersion: helm.version,
        values,
        description: 'Install complete',
        updated: now,
      },
    ],
  };
  if (!cluster.namespaces.has(helm.namespace)) cluster.namespaces.set(helm.namespace, newNamespace(helm.namespace));
  cluster.helmReleases.set(`${helm.namespace}/${helm.release}`, release);
}

function base(spec: ClusterSpec, nodes: ClusterNode[], serverVersion: string): ClusterState {
  return {
    context: spec.context,
    kind: spec.kind,
    serverVersion,
    nodes,
    nodeIdentityClientIds: [],
    namespaces: namespaces(spec),
    helmReleases: new Map(),
    events: [],
    podCounter: 0,
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
  preinstalledDriver(spec, cluster, now);
  return cluster;
}

export function buildClusters(
  state: SandboxState,
  specs: readonly ClusterSpec[],
  now = Date.now(),
): Map<string, ClusterState> {
  return new Map(specs.map((spec) => [spec.context, buildCluster(state, spec, now)]));
}
