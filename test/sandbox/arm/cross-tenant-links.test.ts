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
  resourceGroups: [...DEFAULT_WORLD.resourceGroups, { name: 'spoke-rg', location: 'eastus', subscriptionId: SUB2 }],
  virtualNetworks: [
    ...DEFAULT_WORLD.virtualNetworks,
    { name: 'spoke-vnet', resourceGroup: 'spoke-rg', subscriptionId: SUB2, addressPrefixes: ['10.40.0.0/16'] },
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
