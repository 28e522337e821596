import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../../source/sandbox/start.js';
import { clientsFor, failure, LRO, request, RG, rgPath, withSandbox } from './helpers.js';

let sandbox: RunningSandbox;
let clients: ReturnType<typeof clientsFor>;
let strict: ReturnType<typeof clientsFor>;
const vnetId = (name: string) => `${rgPath(sandbox)}/providers/Microsoft.Network/virtualNetworks/${name}`;

beforeAll(async () => {
  sandbox = await withSandbox();
  clients = clientsFor(sandbox);
  strict = clientsFor(sandbox, 'operator', { retry: false });
});
afterAll(() => sandbox.close());

describe('virtual networks and subnets through arm-network 36', () => {
  it('gets the default VNets with embedded subnets', async () => {
    const vnet = await clients.network.virtualNetworks.get(RG, 'aks-vnet');
    expect(vnet.addressSpace?.addressPrefixes).toEqual(['10.10.0.0/16']);
    expect(vnet.subnets?.map((subnet) => [subnet.name, subnet.addressPrefix])).toEqual([['nodes', '10.10.0.0/20']]);
    expect((await clients.network.virtualNetworks.get(RG, 'shared-vnet')).subnets).toEqual([]);
  });

  it('creates a subnet as an LRO with privateEndpointNetworkPolicies, refusing prefixes outside the space or overlapping', async () => {
    const subnet = await clients.network.subnets.beginCreateOrUpdateAndWait(
      RG,
      'shared-vnet',
      'kv-endpoints',
      { addressPrefix: '10.20.1.0/24', privateEndpointNetworkPolicies: 'Disabled' },
      LRO,
    );
    expect(subnet).toMatchObject({
      name: 'kv-endpoints',
      addressPrefix: '10.20.1.0/24',
      privateEndpointNetworkPolicies: 'Disabled',
      provisioningState: 'Succeeded',
    });
    const outside = await failure(
      strict.network.subnets.beginCreateOrUpdateAndWait(
        RG,
        'shared-vnet',
        'outside',
        { addressPrefix: '10.30.0.0/24' },
        LRO,
      ),
    );
    expect(outside).toMatchObject({ statusCode: 400, code: 'NetcfgSubnetRangeOutsideVnet' });
    const overlap = await failure(
      strict.network.subnets.beginCreateOrUpdateAndWait(
        RG,
        'shared-vnet',
        'overlap',
        { addressPrefix: '10.20.1.128/25' },
        LRO,
      ),
    );
    expect(overlap).toMatchObject({ statusCode: 400, code: 'NetcfgSubnetRangesOverlap' });
    expect(overlap.message).toContain("existing subnet 'kv-endpoints'");
    const hostBits = await failure(
      strict.network.subnets.beginCreateOrUpdateAndWait(
        RG,
        'shared-vnet',
        'bits',
        { addressPrefix: '10.20.2.5/24' },
        LRO,
      ),
    );
    expect(hostBits).toMatchObject({ statusCode: 400, code: 'InvalidCIDRNotation' });
    expect(hostBits.message).toContain('should be 10.20.2.0/24');
    const missingVnet = await failure(strict.network.subnets.get(RG, 'no-vnet', 'x'));
    expect(missingVnet.statusCode).toBe(404);
  });

  it('creates a VNet with subnets through PUT and lists by group', async () => {
    const vnet = await clients.network.virtualNetworks.beginCreateOrUpdateAndWait(
      RG,
      'extra-vnet',
      {
        location: 'eastus',
        addressSpace: { addressPrefixes: ['10.40.0.0/16'] },
        subnets: [{ name: 'a', addressPrefix: '10.40.0.0/24' }],
        tags: { team: 'feathr' },
      },
      LRO,
    );
    expect(vnet.subnets?.[0]).toMatchObject({ name: 'a', addressPrefix: '10.40.0.0/24' });
    expect(vnet.tags).toEqual({ team: 'feathr' });
    const names: string[] = [];
    for await (const entry of clients.network.virtualNetworks.list(RG)) names.push(entry.name!);
    expect(names).toEqual(expect.arrayContaining(['aks-vnet', 'shared-vnet', 'overlap-vnet', 'extra-vnet']));
    await clients.network.virtualNetworks.beginDeleteAndWait(RG, 'extra-vnet', LRO);
    expect((await failure(strict.network.virtualNetworks.get(RG, 'extra-vnet'))).statusCode).toBe(404);
  });
});

describe('VNet peerings', () => {
  it('refuses peering overlapping address spaces, naming both prefixes', async () => {
    const error = await failure(
      strict.network.virtualNetworkPeerings.beginCreateOrUpdateAndWait(
        RG,
        'aks-vnet',
        'to-overlap',
        { remoteVirtualNetwork: { id: vnetId('overlap-vnet') }, allowVirtualNetworkAccess: true },
        LRO,
      ),
    );
    expect(error).toMatchObject({ statusCode: 400, code: 'VnetAddressSpacesOverlap' });
    expect(error.message).toContain('10.10.0.0/16, 10.10.0.0/16');
  });

  it('is Initiated until the reverse peering exists, then both Connected; deleting one side leaves the other Disconnected', async () => {
    const first = await clients.network.virtualNetworkPeerings.beginCreateOrUpdateAndWait(
      RG,
      'aks-vnet',
      'aks-to-shared',
      { remoteVirtualNetwork: { id: vnetId('shared-vnet') }, allowVirtualNetworkAccess: true },
      LRO,
    );
    expect(first.peeringState).toBe('Initiated');
    expect(first.remoteAddressSpace?.addressPrefixes).toEqual(['10.20.0.0/16']);
    const second = await clients.network.virtualNetworkPeerings.beginCreateOrUpdateAndWait(
      RG,
      'shared-vnet',
      'shared-to-aks',
      { remoteVirtualNetwork: { id: vnetId('aks-vnet') }, allowVirtualNetworkAccess: true },
      LRO,
    );
    expect(second.peeringState).toBe('Connected');
    expect((await clients.network.virtualNetworkPeerings.get(RG, 'aks-vnet', 'aks-to-shared')).peeringState).toBe(
      'Connected',
    );
    expect(
      (await clients.network.virtualNetworks.get(RG, 'aks-vnet')).virtualNetworkPeerings?.map((p) => p.name),
    ).toEqual(['aks-to-shared']);

    // A VNet overlapping an already-peered VNet can't join.
    await clients.network.virtualNetworks.beginCreateOrUpdateAndWait(
      RG,
      'clash-vnet',
      { location: 'eastus', addressSpace: { addressPrefixes: ['10.20.128.0/17'] } },
      LRO,
    );
    const clash = await failure(
      strict.network.virtualNetworkPeerings.beginCreateOrUpdateAndWait(
        RG,
        'aks-vnet',
        'aks-to-clash',
        { remoteVirtualNetwork: { id: vnetId('clash-vnet') } },
        LRO,
      ),
    );
    expect(clash).toMatchObject({ statusCode: 400, code: 'VnetAddressSpaceOverlapsWithAlreadyPeeredVnet' });
    expect(clash.message).toContain('10.20.128.0/17');
    expect(clash.message).toContain('10.20.0.0/16');

    await clients.network.virtualNetworkPeerings.beginDeleteAndWait(RG, 'shared-vnet', 'shared-to-aks', LRO);
    expect((await clients.network.virtualNetworkPeerings.get(RG, 'aks-vnet', 'aks-to-shared')).peeringState).toBe(
      'Disconnected',
    );
    const again = await failure(
      strict.network.virtualNetworkPeerings.beginCreateOrUpdateAndWait(
        RG,
        'shared-vnet',
        'shared-to-aks',
        { remoteVirtualNetwork: { id: vnetId('aks-vnet') } },
        LRO,
      ),
    );
    expect(again).toMatchObject({ statusCode: 400, code: 'RemotePeeringIsDisconnected' });
    expect(
      (
        await clients.network.virtualNetworkPeerings.beginCreateOrUpdateAndWait(
          RG,
          'aks-vnet',
          'aks-to-shared',
          { remoteVirtualNetwork: { id: vnetId('shared-vnet') } },
          LRO,
        )
      ).peeringState,
    ).toBe('Initiated');
    expect(
      (
        await clients.network.virtualNetworkPeerings.beginCreateOrUpdateAndWait(
          RG,
          'shared-vnet',
          'shared-to-aks',
          { remoteVirtualNetwork: { id: vnetId('aks-vnet') } },
          LRO,
        )
      ).peeringState,
    ).toBe('Connected');
  });
});

describe('private endpoint, private DNS zone, links and zone group', () => {
  it('allocates the first free IP after the reserved four, approves the vault connection, and writes the A record through the zone group', async () => {
    const vault = await clients.keyVault.vaults.createOrUpdate(
      RG,
      'feathr-kv-pe',
      {
        location: 'eastus',
        properties: {
          tenantId: sandbox.tenantId,
          sku: { family: 'A', name: 'standard' },
          publicNetworkAccess: 'Disabled',
        },
      },
      LRO,
    );
    const subnetId = `${vnetId('shared-vnet')}/subnets/kv-endpoints`;
    const wrongGroup = await failure(
      strict.network.privateEndpoints.beginCreateOrUpdateAndWait(
        RG,
        'pe-bad',
        {
          location: 'eastus',
          subnet: { id: subnetId },
          privateLinkServiceConnections: [{ name: 'c', privateLinkServiceId: vault.id, groupIds: ['blob'] }],
        },
        LRO,
      ),
    );
    expect(wrongGroup.statusCode).toBe(400);
    expect(wrongGroup.message).toContain('Valid group ids are: vault');
    const wrongRegion = await failure(
      strict.network.privateEndpoints.beginCreateOrUpdateAndWait(
        RG,
        'pe-bad',
        {
          location: 'westus',
          subnet: { id: subnetId },
          privateLinkServiceConnections: [{ name: 'c', privateLinkServiceId: vault.id, groupIds: ['vault'] }],
        },
        LRO,
      ),
    );
    expect(wrongRegion.statusCode).toBe(400);

    const endpoint = await clients.network.privateEndpoints.beginCreateOrUpdateAndWait(
      RG,
      'pe-kv',
      {
        location: 'eastus',
        subnet: { id: subnetId },
        privateLinkServiceConnections: [{ name: 'kv', privateLinkServiceId: vault.id, groupIds: ['vault'] }],
      },
      LRO,
    );
    expect(endpoint.provisioningState).toBe('Succeeded');
    expect(endpoint.privateLinkServiceConnections?.[0].privateLinkServiceConnectionState?.status).toBe('Approved');
    expect(endpoint.customDnsConfigs).toEqual([{ fqdn: 'feathr-kv-pe.vault.azure.net', ipAddresses: ['10.20.1.4'] }]);
    expect(endpoint.networkInterfaces?.[0].id).toMatch(/networkInterfaces\/pe-kv\.nic\./);
    const nic = await clients.network.networkInterfaces.get(RG, endpoint.networkInterfaces![0].id!.split('/').pop()!);
    expect(nic.ipConfigurations?.[0].privateIPAddress).toBe('10.20.1.4');
    const second = await clients.network.privateEndpoints.beginCreateOrUpdateAndWait(
      RG,
      'pe-kv-2',
      {
        location: 'eastus',
        subnet: { id: subnetId },
        privateLinkServiceConnections: [{ name: 'kv', privateLinkServiceId: vault.id, groupIds: ['vault'] }],
      },
      LRO,
    );
    expect(second.customDnsConfigs?.[0].ipAddresses).toEqual(['10.20.1.5']);
    expect(
      (await clients.keyVault.vaults.get(RG, 'feathr-kv-pe')).properties.privateEndpointConnections?.map(
        (c) => c.privateEndpoint?.id,
      ),
    ).toEqual([endpoint.id, second.id]);
    const inUse = await failure(strict.network.subnets.beginDeleteAndWait(RG, 'shared-vnet', 'kv-endpoints', LRO));
    expect(inUse).toMatchObject({ statusCode: 400, code: 'InUseSubnetCannotBeDeleted' });
    await clients.network.privateEndpoints.beginDeleteAndWait(RG, 'pe-kv-2', LRO);

    const zone = await clients.dns.privateZones.beginCreateOrUpdateAndWait(
      RG,
      'privatelink.vaultcore.azure.net',
      { location: 'Global' },
      LRO,
    );
    expect(zone).toMatchObject({ location: 'global', provisioningState: 'Succeeded', numberOfRecordSets: 1 });
    const link = await clients.dns.virtualNetworkLinks.beginCreateOrUpdateAndWait(
      RG,
      'privatelink.vaultcore.azure.net',
      'aks-link',
      { location: 'Global', virtualNetwork: { id: vnetId('aks-vnet') }, registrationEnabled: false },
      LRO,
    );
    expect(link).toMatchObject({
      virtualNetworkLinkState: 'Completed',
      registrationEnabled: false,
      provisioningState: 'Succeeded',
    });
    const dupe = await failure(
      strict.dns.virtualNetworkLinks.beginCreateOrUpdateAndWait(
        RG,
        'privatelink.vaultcore.azure.net',
        'aks-link-2',
        { location: 'Global', virtualNetwork: { id: vnetId('aks-vnet') } },
        LRO,
      ),
    );
    expect(dupe.statusCode).toBe(400);

    const group = await clients.network.privateDnsZoneGroups.beginCreateOrUpdateAndWait(
      RG,
      'pe-kv',
      'default',
      { privateDnsZoneConfigs: [{ name: 'vaultcore', privateDnsZoneId: zone.id }] },
      LRO,
    );
    expect(group.privateDnsZoneConfigs?.[0].recordSets?.[0]).toMatchObject({
      recordType: 'A',
      recordSetName: 'feathr-kv-pe',
      ipAddresses: ['10.20.1.4'],
    });
    const record = await clients.dns.recordSets.get(RG, 'privatelink.vaultcore.azure.net', 'A', 'feathr-kv-pe');
    expect(record).toMatchObject({
      name: 'feathr-kv-pe',
      fqdn: 'feathr-kv-pe.privatelink.vaultcore.azure.net.',
      aRecords: [{ ipv4Address: '10.20.1.4' }],
    });

    await clients.network.privateDnsZoneGroups.beginDeleteAndWait(RG, 'pe-kv', 'default', LRO);
    expect(
      (await failure(strict.dns.recordSets.get(RG, 'privatelink.vaultcore.azure.net', 'A', 'feathr-kv-pe'))).statusCode,
    ).toBe(404);
  });

  it('puts, lists and deletes A record sets as plain (non-LRO) calls, lower-casing names', async () => {
    const created = await clients.dns.recordSets.createOrUpdate(
      RG,
      'privatelink.vaultcore.azure.net',
      'A',
      'ManualRecord',
      { ttl: 600, aRecords: [{ ipv4Address: '10.20.1.9' }] },
    );
    expect(created).toMatchObject({
      name: 'manualrecord',
      ttl: 600,
      fqdn: 'manualrecord.privatelink.vaultcore.azure.net.',
    });
    const names: string[] = [];
    for await (const entry of clients.dns.recordSets.listByType(RG, 'privatelink.vaultcore.azure.net', 'A'))
      names.push(entry.name!);
    expect(names).toContain('manualrecord');
    await clients.dns.recordSets.delete(RG, 'privatelink.vaultcore.azure.net', 'A', 'manualrecord');
    const blocked = await failure(
      strict.dns.privateZones.beginDeleteAndWait(RG, 'privatelink.vaultcore.azure.net', LRO),
    );
    expect(blocked.statusCode).toBe(400);
    await clients.dns.virtualNetworkLinks.beginDeleteAndWait(RG, 'privatelink.vaultcore.azure.net', 'aks-link', LRO);
  });

  it('returns private DNS LRO headers (Azure-AsyncOperation and Location) to curl', async () => {
    const res = await request(
      sandbox,
      'PUT',
      rgPath(sandbox, '/providers/Microsoft.Network/privateDnsZones/example.internal?api-version=2024-06-01'),
      { token: sandbox.tokenFor('operator'), body: { location: 'Global' } },
    );
    expect(res.status).toBe(201);
    expect(res.headers['azure-asyncoperation']).toBeDefined();
    expect(res.headers.location).toMatch(/operationResults/);
    const poll = await request(
      sandbox,
      'GET',
      new URL(String(res.headers['azure-asyncoperation'])).pathname + '?api-version=2024-06-01',
      { token: sandbox.tokenFor('operator') },
    );
    expect(poll.body.status).toBe('Succeeded');
  });
});
