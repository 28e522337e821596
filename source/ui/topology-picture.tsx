/**
 * The topology that will exist after the run, drawn above the plan. Existing and new parts
 * are told apart by words in brackets ([new], [exists], [changes]), never by colour alone,
 * so the picture reads the same with NO_COLOR and in a screen reader. Every line stays under
 * 80 columns for names of ordinary length.
 *
 * Azure, rendered:
 *   AKS feathr-aks                                   [exists]
 *   VNet aks-vnet 10.10.0.0/16                       [exists]
 *     ⇅ peering, both directions                     [new]
 *   VNet shared-vnet 10.20.0.0/16                    [exists]
 *     └─ subnet kv-endpoints 10.20.1.0/24            [new]
 *        → private endpoint pe-feathr-kv              [new]
 *        → vault feathr-kv, public access off        [new]
 *   private DNS zone privatelink.vaultcore.azure.net [new]
 *     ├─ link to aks-vnet                            [new]
 *     └─ link to shared-vnet                         [new]
 */
import { Box, Text } from 'ink';

type PartState = 'new' | 'exists' | 'changes';

interface Part {
  label: string;
  state: PartState;
}

export interface AzureTopology {
  kind: 'azure';
  cluster: Part;
  clusterVnet: Part & { name: string };
  /** Absent when the endpoint subnet sits in the cluster's own VNet (no peering needed). */
  peering?: Part;
  endpointVnet?: Part;
  subnet: Part;
  privateEndpoint: Part;
  vault: Part;
  dnsZone: Part;
  links: Part[];
}

export interface OtherCloudTopology {
  kind: 'other-cloud';
  cluster: Part;
  egressIps: string[];
  firewall: Part;
  vault: Part;
}

export type Topology = AzureTopology | OtherCloudTopology;

const WIDTH = 78;

/** One row: indent + label, the state word right-aligned when it fits. */
function row(indent: number, label: string, state?: PartState): string {
  const left = ' '.repeat(indent) + label;
  if (!state) return left;
  const mark = `[${state}]`;
  const gap = WIDTH - left.length - mark.length;
  return gap >= 1 ? left + ' '.repeat(gap) + mark : `${left} ${mark}`;
}

export function topologyLines(topology: Topology): string[] {
  if (topology.kind === 'other-cloud') {
    const ips = topology.egressIps.length > 0 ? topology.egressIps.join(', ') : '(none given)';
    return [
      row(0, topology.cluster.label, topology.cluster.state),
      row(2, `egress IPs ${ips}`),
      row(2, `→ ${topology.firewall.label}`, topology.firewall.state),
      row(2, `→ ${topology.vault.label}`, topology.vault.state),
    ];
  }
  const t = topology;
  const lines = [row(0, t.cluster.label, t.cluster.state), row(0, t.clusterVnet.label, t.clusterVnet.state)];
  if (t.peering && t.endpointVnet) {
    lines.push(row(2, `⇅ ${t.peering.label}`, t.peering.state));
    lines.push(row(0, t.endpointVnet.label, t.endpointVnet.state));
  }
  lines.push(
    row(2, `└─ ${t.subnet.label}`, t.subnet.state),
    row(5, `→ ${t.privateEndpoint.label}`, t.privateEndpoint.state),
    row(5, `→ ${t.vault.label}`, t.vault.state),
    row(0, t.dnsZone.label, t.dnsZone.state),
  );
  t.links.forEach((link, i) => {
    const branch = i === t.links.length - 1 ? '└─' : '├─';
    lines.push(row(2, `${branch} ${link.label}`, link.state));
  });
  return lines;
}

export function TopologyPicture({ topology }: { topology: Topology }) {
  return (
    <Box flexDirection="column">
      <Text bold>What will exist</Text>
      {topologyLines(topology).map((line, i) => (
        <Text key={i}>{line}</Text>
      ))}
    </Box>
  );
}
