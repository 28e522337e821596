import { afterEach, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../../source/sandbox/start.js';
import { OPERATOR_PUBLIC_IP } from '../../../source/sandbox/world/default-world.js';
import { httpsJson, secretClient, startWorld, vaultId, vaultProps as vaultPropsOf } from './world.js';

const VAULT = 'feathr-kv-judged';
const officer = [{ principal: 'operator', role: 'Key Vault Secrets Officer', scope: vaultId(VAULT) }];

const vaultProps = (sandbox: RunningSandbox) => vaultPropsOf(sandbox, VAULT);

describe('every data-plane request is judged as Key Vault judges it', () => {
  let sandbox: RunningSandbox | undefined;
  afterEach(async () => {
    await sandbox?.close();
    sandbox = undefined;
  });

  it('gives a blocked caller ForbiddenByFirewall with its own address, and lets an allowed CIDR in', async () => {
    sandbox = await startWorld({
      vaults: [{ name: VAULT, resourceGroup: 'feathr-rg', secrets: { 'CONN-STR': 'sandbox' } }],
      roleAssignments: officer,
    });
    vaultProps(sandbox).networkAcls = {
      defaultAction: 'Deny',
      bypass: 'AzureServices',
      ipRules: [{ value: '52.14.20.1/32' }],
      virtualNetworkRules: [],
    };
    const client = secretClient(sandbox, VAULT);
    const error = await client.getSecret('CONN-STR').catch((caught) => caught);
    expect(error).toMatchObject({ statusCode: 403, code: 'Forbidden' });
    expect(error.details.error.innerError.code).toBe('ForbiddenByFirewall');
    expect(error.message).toContain(`Client address: ${OPERATOR_PUBLIC_IP}`);
    vaultProps(sandbox).networkAcls.ipRules.push({ value: '203.0.113.0/24' });
    await expect(client.getSecret('CONN-STR')).resolves.toMatchObject({ value: 'sandbox' });
  });

  it('gives ForbiddenByConnection when public access is disabled, whatever the firewall allows', async () => {
    sandbox = await startWorld({
      vaults: [{ name: VAULT, resourceGroup: 'feathr-rg', publicNetworkAccess: 'Disabled', secrets: { a: 'b' } }],
      roleAssignments: officer,
    });
    vaultProps(sandbox).networkAcls = { defaultAction: 'Allow', ipRules: [{ value: OPERATOR_PUBLIC_IP }] };
    const error = await secretClient(sandbox, VAULT)
      .getSecret('a')
      .catch((caught) => caught);
    expect(error).toMatchObject({ statusCode: 403 });
    expect(error.details.error.innerError.code).toBe('ForbiddenByConnection');
    expect(error.message).toContain(
      'Public network access is disabled and request is not from a trusted service nor via an approved private link.',
    );
  });

  it('gives ForbiddenByRbac to an Owner without a data role, then passes after the propagation delay', async () => {
    let clock = Date.now();
    sandbox = await startWorld(
      { vaults: [{ name: VAULT, resourceGroup: 'feathr-rg', secrets: { a: 'b' } }] },
      { now: () => clock, rbacPropagationSeconds: 30 },
    );
    const client = secretClient(sandbox, VAULT);
    const error = await client.getSecret('a').catch((caught) => caught);
    expect(error.details.error.innerError.code).toBe('ForbiddenByRbac');
    expect(error.message).toContain('Caller is not authorized to perform action on resource.');
    expect(error.message).toContain("Action: 'Microsoft.KeyVault/vaults/secrets/getSecret/action'");
    const operatorId = sandbox.state.operatorId;
    const created = await httpsJson(
      sandbox,
      'PUT',
      `${vaultId(VAULT)}/providers/Microsoft.Authorization/roleAssignments/7b7f5f2e-1c1e-4b39-9a57-2f4f5e3c1a01?api-version=2022-04-01`,
      {
        token: sandbox.tokenFor('operator'),
        body: {
          properties: {
            roleDefinitionId: `/subscriptions/${sandbox.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/4633458b-17de-408a-b874-0445c86b69e6`,
            principalId: operatorId,
            principalType: 'User',
          },
        },
      },
    );
    expect(created.status).toBe(201);
    clock += 10_000;
    await expect(client.getSecret('a')).rejects.toMatchObject({ statusCode: 403 });
    clock += 25_000;
    await expect(client.getSecret('a')).resolves.toMatchObject({ value: 'b' });
    // Secrets User reads but doesn't write.
    await expect(client.setSecret('a', 'c')).rejects.toMatchObject({ statusCode: 403 });
  });

  it('honours access policies on a vault without RBAC authorization', async () => {
    sandbox = await startWorld({
      vaults: [{ name: VAULT, resourceGroup: 'feathr-rg', rbac: false, secrets: { a: 'b' } }],
    });
    const client = secretClient(sandbox, VAULT);
    const denied = await client.getSecret('a').catch((caught) => caught);
    expect(denied.details.error.innerError.code).toBe('AccessDenied');
    expect(denied.message).toContain('does not have secrets get permission');
    vaultProps(sandbox).accessPolicies = [
      { tenantId: sandbox.tenantId, objectId: sandbox.state.operatorId, permissions: { secrets: ['get'] } },
    ];
    await expect(client.getSecret('a')).resolves.toMatchObject({ value: 'b' });
    await expect(client.setSecret('a', 'c')).rejects.toMatchObject({ statusCode: 403 });
  });

  it('throttles the 301st set within 10 s with 429 Throttled and no Retry-After; 429s do not count', async () => {
    let clock = Date.now();
    sandbox = await startWorld(
      { vaults: [{ name: VAULT, resourceGroup: 'feathr-rg' }], roleAssignments: officer },
      { now: () => clock },
    );
    const token = sandbox.tokenFor('operator');
    const put = (index: number) =>
      httpsJson(sandbox!, 'PUT', `/kv/${VAULT}/secrets/s${index}?api-version=2025-07-01`, {
        token,
        body: { value: 'v' },
      });
    for (let batch = 0; batch < 300; batch += 50) {
      const statuses = await Promise.all(
        Array.from({ length: 50 }, (_, index) => put(batch + index).then((response) => response.status)),
      );
      expect(statuses.every((status) => status === 200)).toBe(true);
    }
    const throttled = await put(300);
    expect(throttled.status).toBe(429);
    expect(throttled.body).toEqual({
      error: {
        code: 'Throttled',
        message:
          'Request was not processed because too many requests were received. Reason: VaultRequestTypeLimitReached',
      },
    });
    expect(throttled.headers['retry-after']).toBeUndefined();
    // Reads have their own, larger budget.
    expect((await httpsJson(sandbox, 'GET', `/kv/${VAULT}/secrets/s1/?api-version=2025-07-01`, { token })).status).toBe(
      200,
    );
    clock += 5_000;
    const refused = await Promise.all(
      Array.from({ length: 300 }, (_, index) => put(400 + index).then((response) => response.status)),
    );
    expect(refused.every((status) => status === 429)).toBe(true);
    // The first 300 leave the window; the 300 refused ones never entered it.
    clock += 5_001;
    expect((await put(302)).status).toBe(200);
  });
});
