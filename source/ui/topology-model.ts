/**
 * Turns the answers and what discovery saw into the topology picture's parts, marking each
 * part new or existing from facts read before the plan (not guessed from the answers).
 */
import type { Answers } from '../discovery/port.js';
import type { AzureTopology, OtherCloudTopology, Topology } from './topology-picture.js';
import type { AksInfo, NetworkFacts, VnetInfo } from '../discovery/port.js';

export interface TopologyFacts {
  aks?: AksInfo;
  endpointVnet?: VnetInfo;
  network?: NetworkFacts;
  /** Whether the vault firewall already lists exactly these IPs (other-cloud). */
  firewallMatches?: boolean;
}

const ZONE = 'privatelink.vaultcore.azure.net';

function vaultState(a: Answers) {
  return a.vault?.create === false ? 'exists' : 'new';
}

export function buildTopology(a: Answers, facts: TopologyFacts): Topology | undefined {
  const vaultName = a.vault?.name ?? '?';
  if (a.target === 'other-cloud') {
    const ips = a.allowedIps ?? [];
    const t: OtherCloudTopology = {
      kind: 'other-cloud',
      cluster: { label: `cluster ${a.kubeContext ?? '?'}`, state: 'exists' },
      egressIps: ips,
      firewall: {
        label: `vault firewall: deny by default, allow ${ips.length} IP${ips.length === 1 ? '' : 's'}`,
        state: a.vault?.create === false ? (facts.firewallMatches ? 'exists' : 'changes') : 'new',
      },
      vault: { label: `vault ${vaultName}, public endpoint`, state: vaultState(a) },
    };
    return t;
  }
  const clusterVnet = facts.aks?.vnet;
  const endpoint = facts.endpointVnet;
  const pe = a.privateEndpoint;
  if (!clusterVnet || !endpoint || !pe) return undefined;
  const separate = clusterVnet.id.toLowerCase() !== endpoint.id.toLowerCase();
  const subnet = endpoint.subnets.find((s) => s.name.toLowerCase() === pe.subnet.toLowerCase());
  const linked = new Set((facts.network?.linkedVnets ?? []).map((n) => n.toLowerCase()));
  const linkNames = separate ? [clusterVnet.name, endpoint.name] : [clusterVnet.name];
  const t: AzureTopology = {
    kind: 'azure',
    cluster: { label: `AKS ${a.aks?.name ?? facts.aks?.name ?? '?'}`, state: 'exists' },
    clusterVnet: {
      label: `VNet ${clusterVnet.name} ${clusterVnet.addressSpace.join(', ')}`,
      state: 'exists',
      name: clusterVnet.name,
    },
    ...(separate
      ? {
          peering: { label: 'peering, both directions', state: facts.network?.peeringExists ? 'exists' : 'new' },
          endpointVnet: { label: `VNet ${endpoint.name} ${endpoint.addressSpace.join(', ')}`, state: 'exists' },
        }
      : {}),
    subnet: {
      label: `subnet ${pe.subnet} ${subnet?.addressPrefix ?? pe.addressPrefix ?? ''}`.trimEnd(),
      state: subnet ? 'exists' : 'new',
    },
    privateEndpoint: {
      label: `private endpoint to vault ${vaultName}`,
      state: vaultState(a) === 'new' ? 'new' : 'exists',
    },
    vault: { label: `vault ${vaultName}, public access off`, state: vaultState(a) },
    dnsZone: { label: `private DNS zone ${ZONE}`, state: facts.network?.dnsZoneExists ? 'exists' : 'new' },
    links: linkNames.map((name) => ({
      label: `link to ${name}`,
      state: linked.has(name.toLowerCase()) ? 'exists' : 'new',
    })),
  };
  return t;
}
