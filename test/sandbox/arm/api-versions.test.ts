/**
 * Each resource type accepts only api-versions its provider has: a made-up version gets ARM's
 * 400 NoRegisteredProviderFound naming the supported ones, while every version the pinned SDKs
 * send (and older stable ones) is accepted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../../source/sandbox/start.js';
import { request, rgPath, subPath, withSandbox } from './helpers.js';

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await withSandbox();
});
afterAll(() => sandbox.close());

const get = (path: string) => request(sandbox, 'GET', path, { token: sandbox.tokenFor('operator') });

describe('api-versions', () => {
  it('refuses a made-up version as ARM does, naming the type and the versions it has', async () => {
    const answer = await get(rgPath(sandbox, '/providers/Microsoft.KeyVault/vaults?api-version=2099-01-01'));
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('NoRegisteredProviderFound');
    expect(answer.body.error.message).toMatch(
      /^No registered resource provider found for location 'eastus' and API version '2099-01-01' for type 'vaults'\. The supported api-versions are '2026-02-01, 2025-05-01, .*2015-06-01'\. The supported locations are '.*eastus.*'\.$/,
    );
    const zone = await get(rgPath(sandbox, '/providers/Microsoft.Network/privateDnsZones?api-version=2025-05-01'));
    expect(zone.body.error.message).toContain(
      "for type 'privateDnsZones'. The supported api-versions are '2024-06-01, 2020-06-01, 2020-01-01, 2018-09-01'",
    );
    expect((await get(subPath(sandbox, '/resourceGroups?api-version=2030-01-01'))).body.error.code).toBe(
      'NoRegisteredProviderFound',
    );
  });

  it('accepts the versions the pinned SDKs send, and older stable ones', async () => {
    const ok = [
      rgPath(sandbox, '/providers/Microsoft.KeyVault/vaults?api-version=2026-02-01'),
      rgPath(sandbox, '/providers/Microsoft.KeyVault/vaults?api-version=2023-07-01'),
      rgPath(sandbox, '/providers/Microsoft.Network/virtualNetworks?api-version=2025-05-01'),
      rgPath(sandbox, '/providers/Microsoft.Network/privateDnsZones?api-version=2020-06-01'),
      rgPath(sandbox, '/providers/Microsoft.ContainerService/managedClusters?api-version=2026-04-01'),
      rgPath(sandbox, '/providers/Microsoft.ManagedIdentity/userAssignedIdentities?api-version=2024-11-30'),
      subPath(sandbox, '/resourceGroups?api-version=2025-04-01'),
      subPath(sandbox, '?api-version=2022-12-01'),
      subPath(sandbox, '/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01'),
    ];
    for (const path of ok) expect([path, (await get(path)).status]).toEqual([path, 200]);
  });
});
