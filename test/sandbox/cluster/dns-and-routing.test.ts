import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../../source/sandbox/start.js';
import type { NetworkPosition } from '../../../source/sandbox/world/state.js';
import { resolveVaultHost } from '../../../source/sandbox/network/dns.js';
import { routeToVault } from '../../../source/sandbox/network/vault-route.js';
import { vaultPublicAddress } from '../../../source/sandbox/network/public-address.js';
import { judgeVaultAccess } from '../../../source/sandbox/keyvault/access.js';
import { startWorld } from '../keyvault/world.js';
import { linkZone, peer, privateEndpointFor, vnetId } from './private-network.js';

const VAULT = 'feathr-kv-private';

describe('DNS from a position follows private zone links; routing needs peering both ways', () => {
  let sandbox: RunningSandbox;
  let endpointIp: string;
  let aksNode: NetworkPosition;
  beforeAll(async () => {
    sandbox = await startWorld({
      vaults: [
        {
          name: VAULT,
          resourceGroup: 'feathr-rg',
          publicNetworkAccess: 'Disabled',
          secrets: { 'CONN-STR': 'sandbox' },
        },
      ],
    });
    endpointIp = await privateEndpointFor(sandbox, VAULT);
    aksNode = sandbox.state.clusters.get('feathr-aks')!.nodes[0].position;
  });
  afterAll(() => sandbox?.close());

  it('resolves the public address from the internet and a name no vault has to NXDOMAIN', () => {
    const internet: NetworkPosition = { kind: 'internet', publicIp: '203.0.113.7' };
    expect(resolveVaultHost(sandbox.state, VAULT, internet)).toMatchObject({
      host: `${VAULT}.vault.azure.net`,
      addresses: [vaultPublicAddress(VAULT)],
      source: 'public',
    });
    expect(vaultPublicAddress(VAULT)).toMatch(/^20\.\d+\.\d+\.\d+$/);
    expect(resolveVaultHost(sandbox.state, 'no-such-vault-here', internet)).toMatchObject({
      addresses: [],
      error: 'NXDOMAIN',
    });
  });

  it('gives the AKS VNet the public address while the zone is not linked to it', () => {
    expect(aksNode).toMatchObject({ kind: 'vnet', vnetId: vnetId('aks-vnet') });
    expect(endpointIp).toMatch(/^10\.20\.1\.\d+$/);
    expect(resolveVaultHost(sandbox.state, VAULT, aksNode).addresses).toEqual([vaultPublicAddress(VAULT)]);
    expect(routeToVault(sandbox.state, VAULT, aksNode).kind).toBe('public');
  });

  it('gives the private IP once linked, unreachable without peering and with one-way peering, private once Connected both ways', async () => {
    await linkZone(sandbox, 'aks-vnet');
    expect(resolveVaultHost(sandbox.state, VAULT, aksNode)).toMatchObject({
      addresses: [endpointIp],
      source: 'private-zone',
    });
    expect(routeToVault(sandbox.state, VAULT, aksNode).kind).toBe('unreachable');
    await peer(sandbox, 'aks-vnet', 'shared-vnet');
    expect(routeToVault(sandbox.state, VAULT, aksNode).kind).toBe('unreachable');
    await peer(sandbox, 'shared-vnet', 'aks-vnet');
    const route = routeToVault(sandbox.state, VAULT, aksNode);
    expect(route).toMatchObject({
      kind: 'private',
      address: endpointIp,
      clientAddress: (aksNode as { privateIp: string }).privateIp,
    });
  });

  it('lets the private path past publicNetworkAccess Disabled, but not the public one', () => {
    const addon = sandbox.state.operatorId;
    const viaEndpoint = judgeVaultAccess(sandbox.state, VAULT, aksNode, addon, 'getSecret', Date.now());
    expect(viaEndpoint.allowed || viaEndpoint.reason).toBe('forbidden-by-rbac'); // network passed; the Owner has no data role
    const fromEks = judgeVaultAccess(
      sandbox.state,
      VAULT,
      { kind: 'external', egressIp: '52.14.20.1' },
      addon,
      'getSecret',
      Date.now(),
    );
    expect(fromEks).toMatchObject({ allowed: false, reason: 'forbidden-by-connection' });
  });
});
