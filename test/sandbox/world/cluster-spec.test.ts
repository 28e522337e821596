/**
 * The `clusters:` part of the world format: each mistake is reported with the path to fix and
 * a message that says what is wrong, table-driven from the lab fixture world.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SandboxInputError } from '../../../source/sandbox/input-error.js';
import { parseWorld } from '../../../source/sandbox/world/world-file.js';

const LAB = parse(readFileSync(join('test', 'fixtures', 'worlds', 'lab-clusters.yaml'), 'utf8'));

/** Given the lab world changed by `edit`, the details parseWorld reports. */
function problems(edit: (world: any) => void): string[] {
  const world = structuredClone(LAB);
  edit(world);
  try {
    parseWorld(world, 'lab.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(SandboxInputError);
    return [...(error as SandboxInputError).details];
  }
  return [];
}

const cases: { name: string; edit: (world: any) => void; expected: string }[] = [
  {
    name: 'an AKS context names a managed cluster the world lacks',
    edit: (w) => (w.clusters[0].managedCluster = { resourceGroup: 'lab-rg', name: 'other' }),
    expected: "clusters.0.managedCluster: managed cluster lab-rg/other isn't in aksClusters",
  },
  {
    name: 'two clusters share a context',
    edit: (w) => (w.clusters[1].context = 'lab-aks-admin'),
    expected: 'clusters.1.context: context "lab-aks-admin" is listed twice',
  },
  {
    name: 'an external node has no egress IP',
    edit: (w) => delete w.clusters[1].nodes[0].egressIp,
    expected: "clusters.1.nodes.0.egressIp: required: the public address this node's traffic leaves from",
  },
  {
    name: 'an external cluster has no nodes',
    edit: (w) => (w.clusters[2].nodes = []),
    expected: 'clusters.2.nodes: an external cluster needs at least one node with its egressIp',
  },
  {
    name: 'an AKS cluster sets its own OIDC issuer',
    edit: (w) => (w.clusters[0].oidcIssuer = 'https://x.test/'),
    expected: 'clusters.0: Unrecognized key: "oidcIssuer"',
  },
  {
    name: 'an AKS cluster claims no driver',
    edit: (w) => (w.clusters[0].csiDriver = 'none'),
    expected: "clusters.0.csiDriver: must be aks-addon (follows the managed cluster's add-on)",
  },
  {
    name: 'an external cluster claims the add-on',
    edit: (w) => (w.clusters[1].csiDriver = 'aks-addon'),
    expected:
      'clusters.1.csiDriver: must be none, { helm: { syncSecret, rotation } } or { other: { syncSecret, rotation } } (aks-addon is only for kind: aks)',
  },
  {
    name: 'the OIDC issuer is plain http',
    edit: (w) => (w.clusters[1].oidcIssuer = 'http://oidc.test/x'),
    expected: 'clusters.1.oidcIssuer: must be an https URL',
  },
  {
    name: 'a cluster kind is unknown',
    edit: (w) => (w.clusters[2].kind = 'eks'),
    expected: 'clusters.2.kind: kind must be aks or external',
  },
  {
    name: 'a Secret key has a character Kubernetes refuses',
    edit: (w) => (w.clusters[1].namespaces[0].secrets[0].data['CONN STR'] = 'x'),
    expected: 'clusters.1.namespaces.0.secrets.0.data.CONN STR: Secret keys may hold only letters, digits, -, _ and .',
  },
  {
    name: 'a namespace name has capitals',
    edit: (w) => (w.clusters[0].namespaces[0].name = 'Feathr'),
    expected: 'clusters.0.namespaces.0.name: must be a lower-case RFC 1123 label',
  },
  {
    name: 'a Secret is listed twice in one namespace',
    edit: (w) => w.clusters[1].namespaces[0].secrets.push({ name: 'feathr-online-secret', data: {} }),
    expected: 'clusters.1.namespaces.0.secrets.1.name: Secret "feathr-online-secret" is listed twice',
  },
  {
    name: 'a node is listed twice',
    edit: (w) => (w.clusters[0].nodes[1].name = 'aks-system-0'),
    expected: 'clusters.0.nodes.1.name: node "aks-system-0" is listed twice',
  },
  {
    name: 'both clusters and simulatedClusters are given',
    edit: (w) => (w.simulatedClusters = 'none'),
    expected: 'simulatedClusters: give either clusters (the list) or simulatedClusters, not both',
  },
  {
    name: 'the default clusters need feathr-aks, which this world lacks',
    edit: (w) => delete w.clusters,
    expected:
      "clusters.0.managedCluster: managed cluster feathr-rg/feathr-aks isn't in aksClusters (in the default clusters; list your own under clusters:, or set simulatedClusters: none)",
  },
  {
    name: 'an AKS cluster names a subnet its VNet lacks',
    edit: (w) => (w.aksClusters[0].subnet = 'pods'),
    expected: 'aksClusters.0.subnet: VNet "lab-vnet" has no subnet "pods"',
  },
  {
    name: 'an AKS cluster names a VNet the world lacks',
    edit: (w) => (w.aksClusters[0].vnet = 'hub'),
    expected: 'aksClusters.0.vnet: VNet "hub" in resource group lab-rg isn\'t in virtualNetworks',
  },
];

describe('world file clusters: validation', () => {
  it('accepts the lab world as it is', () => {
    expect(problems(() => {})).toEqual([]);
  });

  it.each(cases)('reports it when $name', ({ edit, expected }) => {
    const found = problems(edit);
    expect(
      found.some((line) => line.startsWith(expected)),
      `got:\n${found.join('\n')}`,
    ).toBe(true);
  });

  it('fills the defaults a file may leave out', () => {
    const world = parseWorld(
      {
        ...LAB,
        clusters: [
          { context: 'a', kind: 'aks', managedCluster: { resourceGroup: 'LAB-RG', name: 'lab-aks' } },
          { context: 'b', kind: 'external', nodes: [{ name: 'n1', egressIp: '34.76.1.1' }], csiDriver: { helm: {} } },
        ],
      },
      'lab.yaml',
    );
    expect(world.clusters[0]).toMatchObject({
      csiDriver: 'aks-addon',
      namespaces: [],
      nodes: [
        { name: 'aks-nodepool1-12345678-vmss000000', os: 'linux' },
        { name: 'aks-nodepool1-12345678-vmss000001', os: 'linux' },
      ],
    });
    expect(world.clusters[1]).toMatchObject({
      kubernetesVersion: '1.32.3',
      csiDriver: {
        helm: {
          release: 'csi-secrets-store-provider-azure',
          namespace: 'kube-system',
          syncSecret: false,
          rotation: false,
        },
      },
    });
    expect(parseWorld({ ...LAB, clusters: undefined, simulatedClusters: 'none' }, 'lab.yaml').clusters).toEqual([]);
  });
});

describe('the world-file example in docs/sandbox-world.md', () => {
  it('is a valid world, so the documentation can be copied as it stands', () => {
    const readme = readFileSync(join('docs', 'sandbox-world.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## World files'));
    const example = /```yaml\n([\s\S]*?)```/.exec(section)![1];
    const world = parseWorld(parse(example), 'README example');
    expect(world.clusters.map((cluster) => cluster.context)).toEqual(['feathr-aks', 'feathr-eks']);
  });
});
