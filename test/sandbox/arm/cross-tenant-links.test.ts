/**
 * A peering or zone link whose VNet is in a subscription of another tenant: ARM reads the right
 * on that VNet from an auxiliary token of its tenant (`x-ms-authorization-auxiliary`), sent
 * here by the SDK's own auxiliaryAuthenticationHeaderPolicy; without one it answers
 * 403 LinkedAuthorizationFailed.
 */
import { NetworkManagementClient } from '@azure/arm-network';
import { PrivateDnsManagementClient } from '@azure/arm-privatedns';
import { auxiliaryAuthenticationHeaderPolicy } from '@azure/core-rest-pipeline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialFor } from '../../../source/connect/sandbox-client.js';
import type { RunningSandbox } from '../../../source/sandbox/start.js';
import { DEFAULT_WORLD } from '../../../source/sandbox/world/default-world.js';
import { worldSpecSchema } from '../../../source/sandbox/world/spec.js';
import { failure, LRO, NO_RETRY, request, withSandbox } from './helpers.js';

const SUB2 = '00000000-0000-0000-0000-00000000beef';
const TENANT2 = '00000000-0000-0000-0000-0000000000bb';
const ZONE = 'privatelink.vaultcore.azure.net';
const SPOKE = `/subscriptions/${SUB2}/resourceGroups/spoke-rg/providers/Microsoft.Network/virtualNetworks/spoke-vnet`;
const world = worldSpecSchema.parse({
  ...DEFAULT_WORLD,
  subscriptions: [{ id: SUB2, tenantId: TENANT2, name: 'spoke' }],
  resourceGroups: [
    ...DEFAULT_WORLD.resourceGroups,
    { name: 'spoke-rg', location: 'eastus', subscriptionId: SUB2 },
    { name: 'hub-rg', location: 'eastus' },
  ],
  virtualNetworks: [
    ...DEFAULT_WORLD.virtualNetworks,
    { name: 'spoke-vnet', resourceGroup: 'spoke-rg', subscriptionId: SUB2, addressPrefixes: ['10.40.0.0/16'] },
    {
      name: 'pe-vnet',
      resourceGroup: 'feathr-rg',
      addressPrefixes: ['10.50.0.0/16'],
      subnets: [{ name: 'kv-endpoints', addressPrefix: '10.50.1.0/24' }],
    },
  ],
  privateDnsZones: [
    { name: ZONE, resourceGroup: 'spoke-rg', subscriptionId: SUB2 },
    { name: ZONE, resourceGroup: 'hub-rg' },
  ],
  vaults: [...DEFAULT_WORLD.vaults, { name: 'feathr-kv-x', resourceGroup: 'feathr-rg' }],
  // feathr-sp may write in feathr-rg only: the hub's zone is out of its reach.
  roleAssignments: [
    {
      principal: 'feathr-sp',
      role: 'Contributor',
      scope: '/subscriptions/00000000-0000-0000-0000-00000000feed/resourceGroups/feathr-rg',
    },
  ],
});
let sandbox: RunningSandbox;
/** The sandbox's clock runs this far ahead of the tokens' issue time. */
let clockAheadMs = 0;

beforeAll(async () => {
  sandbox = await withSandbox({ world, now: () => Date.now() + clockAheadMs });
});
afterAll(() => sandbox.close());

async function tokenIn(principal: string, tenantId: string): Promise<string> {
  const answer = await request(sandbox, 'POST', '/_sandbox/token', { body: { principal, tenantId } });
  expect(answer.status).toBe(200);
  return answer.body.token;
}

/** The SDK clients of the home subscription, adding auxiliary tokens through the SDK's own policy. */
function homeClients(principal: string, auxiliaryTokens: string[] = []) {
  const scopes = [`${sandbox.url}/.default`];
  const options = {
    endpoint: sandbox.url,
    credentialScopes: scopes,
    tlsOptions: { ca: sandbox.caPem },
    retryOptions: NO_RETRY,
    additionalPolicies: auxiliaryTokens.length
      ? [
          {
            policy: auxiliaryAuthenticationHeaderPolicy({
              credentials: auxiliaryTokens.map((token) => credentialFor(token)),
              scopes,
            }),
            position: 'perRetry' as const,
          },
        ]
      : [],
  };
  const credential = credentialFor(sandbox.tokenFor(principal));
  return {
    network: new NetworkManagementClient(credential, sandbox.subscriptionId, options),
    dns: new PrivateDnsManagementClient(credential, sandbox.subscriptionId, options),
  };
}

const peer = (network: NetworkManagementClient, name: string) =>
  network.virtualNetworkPeerings.beginCreateOrUpdateAndWait(
    'feathr-rg',
    'aks-vnet',
    name,
    { remoteVirtualNetwork: { id: SPOKE }, allowVirtualNetworkAccess: true },
    LRO,
  );

describe('a peering to a VNet of another tenant', () => {
  it('is refused without an auxiliary token for that tenant, with ARM’s wording', async () => {
    const refused = await failure(peer(homeClients('operator').network, 'aks-to-spoke'));
    expect(refused).toMatchObject({ statusCode: 403, code: 'LinkedAuthorizationFailed' });
    expect(refused.message).toBe(
      `The client has permission to perform action 'Microsoft.Network/virtualNetworks/peer/action' on scope '/subscriptions/${sandbox.subscriptionId}/resourceGroups/feathr-rg/providers/Microsoft.Network/virtualNetworks/aks-vnet/virtualNetworkPeerings/aks-to-spoke', however the current tenant '${sandbox.tenantId}' is not authorized to access linked subscription '${SUB2}'.`,
    );
    // A token of the home tenant in the header does not stand for the remote one.
    const homeOnly = homeClients('operator', [sandbox.tokenFor('operator')]).network;
    expect(await failure(peer(homeOnly, 'aks-to-spoke'))).toMatchObject({ code: 'LinkedAuthorizationFailed' });
  });

  it('is created with the operator’s token of that tenant in x-ms-authorization-auxiliary', async () => {
    const network = homeClients('operator', [await tokenIn('operator', TENANT2)]).network;
    const peering = await peer(network, 'aks-to-spoke');
    expect(peering).toMatchObject({ provisioningState: 'Succeeded', remoteVirtualNetwork: { id: SPOKE } });
  });

  it('needs the right on the remote VNet from the auxiliary token’s principal', async () => {
    // The operator may peer, but the auxiliary token is feathr-sp's, which has no right there.
    const network = homeClients('operator', [await tokenIn('feathr-sp', TENANT2)]).network;
    const refused = await failure(peer(network, 'sp-to-spoke'));
    expect(refused).toMatchObject({ statusCode: 403, code: 'LinkedAuthorizationFailed' });
    expect(refused.message).toContain(
      `does not have permission to perform action 'Microsoft.Network/virtualNetworks/peer/action' on the linked scope(s) '${SPOKE}'`,
    );
  });

  it('refuses an auxiliary token the sandbox did not issue', async () => {
    const network = homeClients('operator', ['not-a-token']).network;
    expect(await failure(peer(network, 'aks-to-spoke'))).toMatchObject({
      statusCode: 401,
      code: 'InvalidAuthenticationToken',
    });
  });
});

describe('an expired auxiliary token', () => {
  it('is refused with ARM’s expiry wording', async () => {
    const network = homeClients('operator', [await tokenIn('operator', TENANT2)]).network;
    clockAheadMs = 25 * 3600_000;
    try {
      const refused = await failure(peer(network, 'aks-to-spoke'));
      expect(refused).toMatchObject({ statusCode: 401, code: 'ExpiredAuthenticationToken' });
      expect(refused.message).toMatch(
        /^The access token expiry UTC time '\d+\/\d+\/\d{4} \d+:\d\d:\d\d [AP]M' is earlier than current UTC time '\d+\/\d+\/\d{4} \d+:\d\d:\d\d [AP]M'\.$/,
      );
    } finally {
      clockAheadMs = 0;
    }
  });
});

describe('a zone link to a VNet of another tenant', () => {
  it('is refused without the auxiliary token and created with it', async () => {
    const { dns } = homeClients('operator');
    await dns.privateZones.beginCreateOrUpdateAndWait('feathr-rg', ZONE, { location: 'global' }, LRO);
    const link = (client: PrivateDnsManagementClient) =>
      client.virtualNetworkLinks.beginCreateOrUpdateAndWait(
        'feathr-rg',
        ZONE,
        'spoke-link',
        { location: 'global', virtualNetwork: { id: SPOKE }, registrationEnabled: false },
        LRO,
      );
    const refused = await failure(link(dns));
    expect(refused).toMatchObject({ statusCode: 403, code: 'LinkedAuthorizationFailed' });
    expect(refused.message).toContain(
      `perform action 'Microsoft.Network/virtualNetworks/join/action' on scope '/subscriptions/${sandbox.subscriptionId}/resourceGroups/feathr-rg/providers/Microsoft.Network/privateDnsZones/${ZONE}/virtualNetworkLinks/spoke-link', however the current tenant '${sandbox.tenantId}' is not authorized to access linked subscription '${SUB2}'.`,
    );
    const linked = await link(homeClients('operator', [await tokenIn('operator', TENANT2)]).dns);
    expect(linked).toMatchObject({ provisioningState: 'Succeeded', virtualNetwork: { id: SPOKE } });
  });
});

describe('a private endpoint’s zone group on a zone of another tenant', () => {
  const zoneIn = (subscription: string, rg: string) =>
    `/subscriptions/${subscription}/resourceGroups/${rg}/providers/Microsoft.Network/privateDnsZones/${ZONE}`;
  const group = (network: NetworkManagementClient, zoneId: string) =>
    network.privateDnsZoneGroups.beginCreateOrUpdateAndWait(
      'feathr-rg',
      'kv-pe',
      'default',
      { privateDnsZoneConfigs: [{ name: 'vaultcore', privateDnsZoneId: zoneId }] },
      LRO,
    );

  beforeAll(async () => {
    const vaultId = `/subscriptions/${sandbox.subscriptionId}/resourceGroups/feathr-rg/providers/Microsoft.KeyVault/vaults/feathr-kv-x`;
    await homeClients('operator').network.privateEndpoints.beginCreateOrUpdateAndWait(
      'feathr-rg',
      'kv-pe',
      {
        location: 'eastus',
        subnet: {
          id: `/subscriptions/${sandbox.subscriptionId}/resourceGroups/feathr-rg/providers/Microsoft.Network/virtualNetworks/pe-vnet/subnets/kv-endpoints`,
        },
        privateLinkServiceConnections: [{ name: 'kv', privateLinkServiceId: vaultId, groupIds: ['vault'] }],
      },
      LRO,
    );
  });

  it('is refused without an auxiliary token for the zone’s tenant and created with it', async () => {
    const spokeZone = zoneIn(SUB2, 'spoke-rg');
    const refused = await failure(group(homeClients('operator').network, spokeZone));
    expect(refused).toMatchObject({ statusCode: 403, code: 'LinkedAuthorizationFailed' });
    expect(refused.message).toContain(
      `perform action 'Microsoft.Network/privateDnsZones/join/action' on scope '/subscriptions/${sandbox.subscriptionId}/resourceGroups/feathr-rg/providers/Microsoft.Network/privateEndpoints/kv-pe/privateDnsZoneGroups/default', however the current tenant '${sandbox.tenantId}' is not authorized to access linked subscription '${SUB2}'.`,
    );
    const created = await group(homeClients('operator', [await tokenIn('operator', TENANT2)]).network, spokeZone);
    expect(created.privateDnsZoneConfigs?.[0]?.privateDnsZoneId).toBe(spokeZone);
  });

  it('needs join/action on a zone of the same tenant, in ARM’s wording', async () => {
    const hubZone = zoneIn(sandbox.subscriptionId, 'hub-rg');
    const sp = sandbox.state.principals.get('00000000-0000-0000-0000-00000000b001')!.objectId;
    const refused = await failure(group(homeClients('feathr-sp').network, hubZone));
    expect(refused).toMatchObject({ statusCode: 403, code: 'LinkedAuthorizationFailed' });
    expect(refused.message).toBe(
      `The client '${sp}' with object id '${sp}' has permission to perform action 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups/write' on scope '/subscriptions/${sandbox.subscriptionId}/resourceGroups/feathr-rg/providers/Microsoft.Network/privateEndpoints/kv-pe/privateDnsZoneGroups/default'; however, it does not have permission to perform action 'Microsoft.Network/privateDnsZones/join/action' on the linked scope(s) '${hubZone}' or the linked scope(s) are invalid.`,
    );
  });
});
