/**
 * One write at a time per VNet, with ARM's own errors, on a sandbox clock the test moves (no
 * sleeps): every operation stays InProgress until the clock passes its LRO latency.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../../source/sandbox/start.js';
import { request, rgPath, withSandbox } from './helpers.js';

const NET = '2025-05-01';
let sandbox: RunningSandbox;
let clock = Date.parse('2026-12-05T10:00:00Z');
const vnet = (name: string) => rgPath(sandbox, `/providers/Microsoft.Network/virtualNetworks/${name}`);
const arm = (method: string, path: string, body?: unknown) =>
  request(sandbox, method, `${path}?api-version=${NET}`, { token: sandbox.tokenFor('operator'), body });
const peering = (from: string, to: string) =>
  arm('PUT', `${vnet(from)}/virtualNetworkPeerings/${from}-to-${to}`, {
    properties: { remoteVirtualNetwork: { id: vnet(to) } },
  });
const subnet = (name: string, prefix: string) =>
  arm('PUT', `${vnet('shared-vnet')}/subnets/${name}`, { properties: { addressPrefix: prefix } });
const finishOperations = () => {
  clock += 1_000;
};

beforeAll(async () => {
  sandbox = await withSandbox({ latency: 'lro=500', now: () => clock });
});
afterAll(() => sandbox.close());

describe('operations on one VNet are serialised', () => {
  it('answers a second subnet write with 409 AnotherOperationInProgress and its operation URI', async () => {
    expect((await subnet('a', '10.20.1.0/24')).status).toBe(201);
    const second = await subnet('b', '10.20.2.0/24');
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('AnotherOperationInProgress');
    expect(second.body.error.message).toMatch(
      /^Another operation on this or dependent resource is in progress\. To retrieve status of the operation use uri: https:\/\/127\.0\.0\.1:\d+\/subscriptions\/[^/]+\/providers\/Microsoft\.Network\/locations\/eastus\/operations\/[0-9a-f-]+\?api-version=2025-05-01\.$/,
    );
    expect(second.headers['retry-after']).toBeUndefined();
  });

  it('answers a peering that references the busy VNet with 400 ReferencedResourceNotProvisioned naming PutSubnetOperation', async () => {
    const refused = await peering('aks-vnet', 'shared-vnet');
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('ReferencedResourceNotProvisioned');
    expect(refused.body.error.message).toBe(
      `Cannot proceed with operation because resource ${vnet('shared-vnet')} used by resource ${vnet('aks-vnet')}/virtualNetworkPeerings/aks-vnet-to-shared-vnet is not in Succeeded state. Resource is in Updating state and the last operation that updated/is updating the resource is PutSubnetOperation.`,
    );
    // Another VNet is not held.
    expect(
      (await arm('PUT', `${vnet('aks-vnet')}/subnets/extra`, { properties: { addressPrefix: '10.10.32.0/24' } }))
        .status,
    ).toBe(201);
  });

  it('lets the next write through once the operation completed', async () => {
    finishOperations();
    expect((await subnet('b', '10.20.2.0/24')).status).toBe(201);
    finishOperations();
  });

  it('holds both VNets while a peering side is put; Initiated until the second side completes, then both Connected', async () => {
    const first = await peering('aks-vnet', 'shared-vnet');
    expect(first.status).toBe(201);
    expect(first.body.properties.peeringState).toBe('Initiated');
    const reverseAtOnce = await peering('shared-vnet', 'aks-vnet');
    expect(reverseAtOnce.status).toBe(409);
    expect(reverseAtOnce.body.error.code).toBe('AnotherOperationInProgress');
    expect((await subnet('c', '10.20.3.0/24')).body.error.code).toBe('AnotherOperationInProgress');
    finishOperations();
    const second = await peering('shared-vnet', 'aks-vnet');
    expect(second.status).toBe(201);
    expect(second.body.properties.peeringState).toBe('Initiated');
    expect(
      (await arm('GET', `${vnet('aks-vnet')}/virtualNetworkPeerings/aks-vnet-to-shared-vnet`)).body.properties
        .peeringState,
    ).toBe('Initiated');
    finishOperations();
    const states = await Promise.all([
      arm('GET', `${vnet('aks-vnet')}/virtualNetworkPeerings/aks-vnet-to-shared-vnet`),
      arm('GET', `${vnet('shared-vnet')}/virtualNetworkPeerings/shared-vnet-to-aks-vnet`),
    ]);
    expect(states.map((s) => [s.body.properties.peeringState, s.body.properties.provisioningState])).toEqual([
      ['Connected', 'Succeeded'],
      ['Connected', 'Succeeded'],
    ]);
  });

  it('refuses a private endpoint whose subnet VNet is busy, naming the subnet and the NIC', async () => {
    expect((await subnet('c', '10.20.3.0/24')).status).toBe(201);
    const vault = await arm('PUT', rgPath(sandbox, '/providers/Microsoft.KeyVault/vaults/feathr-kv-busy'), {
      location: 'eastus',
      properties: { tenantId: sandbox.tenantId, sku: { family: 'A', name: 'standard' } },
    });
    expect(vault.status).toBeLessThan(300);
    const endpoint = await arm('PUT', rgPath(sandbox, '/providers/Microsoft.Network/privateEndpoints/pe-busy'), {
      location: 'eastus',
      properties: {
        subnet: { id: `${vnet('shared-vnet')}/subnets/a` },
        privateLinkServiceConnections: [
          { name: 'kv', properties: { privateLinkServiceId: vault.body.id, groupIds: ['vault'] } },
        ],
      },
    });
    expect(endpoint.status).toBe(400);
    expect(endpoint.body.error.code).toBe('ReferencedResourceNotProvisioned');
    expect(endpoint.body.error.message).toMatch(
      /resource \S+\/virtualNetworks\/shared-vnet\/subnets\/a used by resource \S+\/networkInterfaces\/pe-busy\.nic\.\S+ is not in Succeeded state\..* is PutSubnetOperation\.$/,
    );
    finishOperations();
  });
});
