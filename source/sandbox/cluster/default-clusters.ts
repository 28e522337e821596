/**
 * The two clusters of the default world (DESIGN §12): `feathr-aks` (AKS, nodes in aks-vnet/nodes,
 * OIDC issuer and add-on read from its managedCluster resource; no CSI driver until the add-on
 * is enabled) and `feathr-eks` (outside Azure, egress 52.14.20.1 and 52.14.20.2, no CSI driver).
 * Both hold namespace `legacy` with Secret `feathr-online-secret`: the eight feathr-online
 * variables with obviously fake sandbox values.
 */
import type { NetworkPosition, SandboxState } from '../world/state.js';
import { nodePosition } from '../arm/managed-clusters.js';
import { newNamespace } from './objects.js';
import type { ClusterNode, ClusterState, NamespaceState } from './state.js';

export const AKS_EGRESS_IP = '20.81.5.10';
export const EKS_EGRESS_IPS = ['52.14.20.1', '52.14.20.2'] as const;
export const EKS_OIDC_ISSUER = 'https://oidc.sandbox.test/feathr-eks';

/** Sandbox stand-ins, not secrets: they only have to look like the real variables' shapes. */
export function legacyFeathrSecretData(): Record<string, string> {
  return {
    FEATHRCI_HOST: 'feathrci.sandbox.invalid',
    FEATHRCI_PASS: 'sandbox-only-feathrci-pass',
    FEATHRCI_TABLE: 'feathrci_sandbox_table',
    IPGEOLOCATION_APIKEY: 'sandbox-only-ipgeolocation-key',
    CONN_STR: 'Server=sandbox.invalid;Database=feathr;User Id=sandbox;Password=sandbox-only-password;',
    COSMOS_ACCOUNT: 'feathr-sandbox-cosmos',
    COSMOS_API_KEY: 'sandbox-only-cosmos-api-key==',
    COSMOS_DATABASE: 'feathr-sandbox-db',
  };
}

function baseNamespaces(): Map<string, NamespaceState> {
  const namespaces = new Map<string, NamespaceState>();
  for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease', 'legacy']) namespaces.set(name, newNamespace(name));
  namespaces.get('legacy')!.secrets.set('feathr-online-secret', {
    name: 'feathr-online-secret',
    type: 'Opaque',
    labels: { app: 'feathr-online' },
    annotations: {},
    data: legacyFeathrSecretData(),
  });
  return namespaces;
}

function emptyCluster(context: string, kind: ClusterState['kind'], nodes: ClusterNode[]): ClusterState {
  return {
    context,
    kind,
    serverVersion: 'v1.32.3',
    nodes,
    nodeIdentityClientIds: [],
    namespaces: baseNamespaces(),
    helmReleases: new Map(),
    events: [],
    podCounter: 0,
  };
}

export function aksCluster(state: SandboxState, context: string, resourceGroup: string, name: string): ClusterState {
  const id = `/subscriptions/${state.subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.ContainerService/managedClusters/${name}`;
  const resource = state.resources.get(id.toLowerCase());
  const fromArm = resource ? nodePosition(state, resource) : undefined;
  const position: NetworkPosition =
    fromArm?.kind === 'vnet'
      ? { ...fromArm, egressIp: fromArm.egressIp || AKS_EGRESS_IP }
      : { kind: 'vnet', vnetId: `/subscriptions/${state.subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Network/virtualNetworks/aks-vnet`, privateIp: '10.10.0.4', egressIp: AKS_EGRESS_IP };
  const vnetPosition = position as Extract<NetworkPosition, { kind: 'vnet' }>;
  const nodes: ClusterNode[] = [0, 1].map((index) => ({
    name: `aks-nodepool1-12345678-vmss00000${index}`,
    os: 'linux',
    position: { ...vnetPosition, privateIp: vnetPosition.privateIp.replace(/\.\d+$/, (last) => `.${Number(last.slice(1)) + index}`) },
  }));
  const cluster = emptyCluster(context, 'aks', nodes);
  cluster.managedClusterId = resource?.id ?? id;
  cluster.serverVersion = `v${String((resource?.properties as Record<string, unknown> | undefined)?.currentKubernetesVersion ?? '1.32.3')}`;
  return cluster;
}

export function externalCluster(context: string, egressIps: readonly string[], oidcIssuer: string): ClusterState {
  const nodes: ClusterNode[] = egressIps.map((egressIp, index) => ({
    name: `ip-192-168-${index + 1}-10.ec2.internal`,
    os: 'linux',
    position: { kind: 'external', egressIp },
  }));
  const cluster = emptyCluster(context, 'external', nodes);
  cluster.oidcIssuer = oidcIssuer;
  return cluster;
}

export function defaultClusters(state: SandboxState): Map<string, ClusterState> {
  return new Map([
    ['feathr-aks', aksCluster(state, 'feathr-aks', 'feathr-rg', 'feathr-aks')],
    ['feathr-eks', externalCluster('feathr-eks', EKS_EGRESS_IPS, EKS_OIDC_ISSUER)],
  ]);
}
