/**
 * The two clusters of the default world, written in the world file's own
 * `clusters:` format and built by the same code as a world file's: `feathr-aks` (the kube side
 * of managed cluster feathr-rg/feathr-aks: nodes in aks-vnet/nodes, OIDC issuer and add-on read
 * from ARM, so no CSI driver until the add-on is enabled) and `feathr-eks` (outside Azure,
 * egress 52.14.20.1 and 52.14.20.2, no CSI driver). Both hold namespace `legacy` with Secret
 * `feathr-online-secret`: the eight feathr-online variables with obviously fake sandbox values.
 */
import { clusterSpecSchema, type ClusterSpec } from '../world/cluster-spec.js';

const EKS_EGRESS_IPS = ['52.14.20.1', '52.14.20.2'] as const;
const EKS_OIDC_ISSUER = 'https://oidc.sandbox.test/feathr-eks';

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

const legacyNamespace = () => ({
  name: 'legacy',
  secrets: [{ name: 'feathr-online-secret', labels: { app: 'feathr-online' }, data: legacyFeathrSecretData() }],
});

/** A fresh copy each call, so no caller can change the default world for the next one. */
export function defaultClusterSpecs(): ClusterSpec[] {
  return clusterSpecSchema.array().parse([
    {
      context: 'feathr-aks',
      kind: 'aks',
      managedCluster: { resourceGroup: 'feathr-rg', name: 'feathr-aks' },
      nodes: [{ name: 'aks-nodepool1-12345678-vmss000000' }, { name: 'aks-nodepool1-12345678-vmss000001' }],
      csiDriver: 'aks-addon',
      namespaces: [legacyNamespace()],
    },
    {
      context: 'feathr-eks',
      kind: 'external',
      oidcIssuer: EKS_OIDC_ISSUER,
      nodes: EKS_EGRESS_IPS.map((egressIp, index) => ({ name: `ip-192-168-${index + 1}-10.ec2.internal`, egressIp })),
      csiDriver: 'none',
      namespaces: [legacyNamespace()],
    },
  ]);
}
