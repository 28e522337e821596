/**
 * An access-policy vault: the policies the run adds reach the data plane only after the
 * world's propagation delay (403 AccessDenied meanwhile), and the run waits for them as it
 * waits for a role, instead of failing. About 1 s (the delay).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAzureClients } from '../../source/azure/clients.js';
import { azureConfig, startHarness, type Harness } from './helpers/sandbox-run.js';

describe('access-policy vault with propagation delay', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ rbacPropagationSeconds: 1 });
  });
  afterAll(() => h.close());

  it('applies, waiting for the operator’s new access policy before writing secrets', async () => {
    const config = azureConfig({
      vault: { name: 'feathr-kv-policy', create: true, permissionModel: 'access-policy', purgeProtection: false },
      secrets: { sources: [{ env: ['CONN_STR'] }] },
    });
    const { outcome, events } = await h.run(config, 'apply', { secrets: { env: { CONN_STR: 'sandbox-only' } } });
    expect(events.filter((e) => e.type === 'step.failed')).toEqual([]);
    expect(outcome.exitCode).toBe(0);
    const vault = await createAzureClients(h.connection).keyVault.vaults.get('feathr-rg', 'feathr-kv-policy');
    expect(vault.properties.accessPolicies?.map((p) => p.permissions.secrets?.sort())).toContainEqual([
      'get',
      'list',
      'set',
    ]);
    expect(h.sandbox.state.vaultSecrets.get('feathr-kv-policy')?.get('conn-str')?.versions).toHaveLength(1);
  });
});
