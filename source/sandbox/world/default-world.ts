/**
 * The sandbox's default world (docs/sandbox-world.md describes it), as a value of the world-file
 * format. The simulated Kubernetes clusters (feathr-aks and feathr-eks contexts, namespace
 * legacy with feathr-online-secret) are `clusters:` entries from cluster/default-clusters.ts.
 */
import type { SandboxState } from './state.js';
import { buildWorld } from './build.js';
import { defaultClusterSpecs } from '../cluster/default-clusters.js';
import { worldSpecSchema, type WorldSpec } from './spec.js';

export const DEFAULT_TENANT_ID = '00000000-0000-0000-0000-0000000000aa';
export const DEFAULT_SUBSCRIPTION_ID = '00000000-0000-0000-0000-00000000feed';
export const OPERATOR_PUBLIC_IP = '203.0.113.7';
/** The AKS cluster's load-balancer egress IP (any fixed Azure-looking public address). */
const AKS_EGRESS_IP = '20.81.5.10';
/** The service principal for service-principal mode; its secret is a sandbox value, not a real one. */
export const SERVICE_PRINCIPAL = {
  name: 'feathr-sp',
  clientSecret: 'sandbox-feathr-sp-secret',
  egressIp: '52.14.20.1',
} as const;

export const DEFAULT_WORLD: WorldSpec = worldSpecSchema.parse({
  version: 1,
  tenantId: DEFAULT_TENANT_ID,
  subscriptionId: DEFAULT_SUBSCRIPTION_ID,
  operator: { name: 'operator', publicIp: OPERATOR_PUBLIC_IP },
  principals: [
    {
      name: SERVICE_PRINCIPAL.name,
      type: 'ServicePrincipal',
      objectId: '00000000-0000-0000-0000-00000000b001',
      clientId: '00000000-0000-0000-0000-00000000b002',
      clientSecret: SERVICE_PRINCIPAL.clientSecret,
      egressIp: SERVICE_PRINCIPAL.egressIp,
    },
  ],
  resourceGroups: [{ name: 'feathr-rg', location: 'eastus' }],
  virtualNetworks: [
    {
      name: 'aks-vnet',
      resourceGroup: 'feathr-rg',
      addressPrefixes: ['10.10.0.0/16'],
      subnets: [{ name: 'nodes', addressPrefix: '10.10.0.0/20' }],
    },
    { name: 'shared-vnet', resourceGroup: 'feathr-rg', addressPrefixes: ['10.20.0.0/16'] },
    { name: 'overlap-vnet', resourceGroup: 'feathr-rg', addressPrefixes: ['10.10.0.0/16'] },
  ],
  aksClusters: [
    {
      name: 'feathr-aks',
      resourceGroup: 'feathr-rg',
      vnet: 'aks-vnet',
      subnet: 'nodes',
      egressIp: AKS_EGRESS_IP,
      oidcIssuer: true,
      keyVaultAddon: false,
    },
  ],
  vaults: [
    {
      name: 'feathr-kv-old',
      resourceGroup: 'feathr-rg',
      deleted: true,
      secrets: { 'FEATHRCI-HOST': 'feathrci.sandbox.test' },
    },
  ],
  clusters: defaultClusterSpecs(),
});

export function buildDefaultWorld(options: { baseUrl: string; now?: number }): SandboxState {
  return buildWorld(DEFAULT_WORLD, options);
}
