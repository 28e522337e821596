import { describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { TopologyPicture, topologyLines, type Topology } from '../../source/ui/topology-picture.js';

const azure: Topology = {
  kind: 'azure',
  cluster: { label: 'AKS feathr-aks', state: 'exists' },
  clusterVnet: { label: 'VNet aks-vnet 10.10.0.0/16', state: 'exists', name: 'aks-vnet' },
  peering: { label: 'peering, both directions', state: 'new' },
  endpointVnet: { label: 'VNet shared-vnet 10.20.0.0/16', state: 'exists' },
  subnet: { label: 'subnet kv-endpoints 10.20.1.0/24', state: 'new' },
  privateEndpoint: { label: 'private endpoint pe-feathr-kv', state: 'new' },
  vault: { label: 'vault feathr-kv, public access off', state: 'new' },
  dnsZone: { label: 'private DNS zone privatelink.vaultcore.azure.net', state: 'new' },
  links: [
    { label: 'link to aks-vnet', state: 'new' },
    { label: 'link to shared-vnet', state: 'exists' },
  ],
};

describe('TopologyPicture', () => {
  it('draws the azure chain with words for new and existing parts, within 80 columns', () => {
    const { lastFrame } = render(<TopologyPicture topology={azure} />);
    const frame = lastFrame() ?? '';
    expect(frame.split('\n').map((l) => l.trimEnd())).toEqual([
      'What will exist',
      'AKS feathr-aks                                                        [exists]',
      'VNet aks-vnet 10.10.0.0/16                                            [exists]',
      '  ⇅ peering, both directions                                             [new]',
      'VNet shared-vnet 10.20.0.0/16                                         [exists]',
      '  └─ subnet kv-endpoints 10.20.1.0/24                                    [new]',
      '     → private endpoint pe-feathr-kv                                     [new]',
      '     → vault feathr-kv, public access off                                [new]',
      'private DNS zone privatelink.vaultcore.azure.net                         [new]',
      '  ├─ link to aks-vnet                                                    [new]',
      '  └─ link to shared-vnet                                              [exists]',
    ]);
    expect(Math.max(...frame.split('\n').map((l) => l.length))).toBeLessThanOrEqual(80);
  });

  it('leaves out the peering when the endpoint subnet is in the cluster VNet', () => {
    const lines = topologyLines({ ...azure, peering: undefined, endpointVnet: undefined });
    expect(lines.join('\n')).not.toContain('peering');
    expect(lines.join('\n')).not.toContain('shared-vnet 10.20');
  });

  it('draws the other-cloud chain: egress IPs, firewall, vault', () => {
    const lines = topologyLines({
      kind: 'other-cloud',
      cluster: { label: 'cluster feathr-eks', state: 'exists' },
      egressIps: ['52.14.20.1', '52.14.20.2'],
      firewall: { label: 'vault firewall: deny, allow 2 IPs', state: 'changes' },
      vault: { label: 'vault feathr-kv', state: 'exists' },
    }).map((l) => l.trimEnd());
    expect(lines).toEqual([
      'cluster feathr-eks                                                    [exists]',
      '  egress IPs 52.14.20.1, 52.14.20.2',
      '  → vault firewall: deny, allow 2 IPs                                [changes]',
      '  → vault feathr-kv                                                   [exists]',
    ]);
  });
});
