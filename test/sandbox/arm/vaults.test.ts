import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../../source/sandbox/start.js';
import { clientsFor, failure, LRO, request, RG, rgPath, subPath, withSandbox } from './helpers.js';

let sandbox: RunningSandbox;
let clients: ReturnType<typeof clientsFor>;
let strict: ReturnType<typeof clientsFor>;

const vaultParams = (sb: RunningSandbox, properties: Record<string, unknown> = {}) => ({
  location: 'eastus',
  properties: { tenantId: sb.tenantId, sku: { family: 'A' as const, name: 'standard' as const }, ...properties },
});

beforeAll(async () => {
  sandbox = await withSandbox();
  clients = clientsFor(sandbox);
  strict = clientsFor(sandbox, 'operator', { retry: false });
});
afterAll(() => sandbox.close());

describe('Microsoft.KeyVault/vaults through arm-keyvault 5', () => {
  it('creates a vault as an LRO with Azure-AsyncOperation and RBAC on by default at api 2026-02-01', async () => {
    const vault = await clients.keyVault.vaults.createOrUpdate(RG, 'feathr-kv-a', vaultParams(sandbox), LRO);
    expect(vault.properties.enableRbacAuthorization).toBe(true);
    expect(vault.properties.provisioningState).toBe('Succeeded');
    expect(vault.properties.vaultUri).toBe(`${sandbox.url}/kv/feathr-kv-a/`);
    expect(vault.properties.enableSoftDelete).toBe(true);
    expect(vault.properties.softDeleteRetentionInDays).toBe(90);
    const log = sandbox.state.requestLog.filter(
      (entry) => entry.path.includes('feathr-kv-a') || entry.path.includes('operationStatuses'),
    );
    expect(log.map((entry) => `${entry.method} ${entry.status}`)).toEqual(
      expect.arrayContaining(['PUT 201', 'GET 200']),
    );
    expect(sandbox.state.requestLog.some((entry) => entry.path.includes('/operationStatuses/'))).toBe(true);
  });

  it('defaults enableRbacAuthorization to false before api 2026-02-01 (curl-style PUT)', async () => {
    const res = await request(
      sandbox,
      'PUT',
      rgPath(sandbox, '/providers/Microsoft.KeyVault/vaults/feathr-kv-legacy?api-version=2025-05-01'),
      {
        token: sandbox.tokenFor('operator'),
        body: vaultParams(sandbox),
      },
    );
    expect(res.status).toBe(201);
    expect(res.headers['azure-asyncoperation']).toMatch(/operationStatuses/);
    expect(res.headers['retry-after']).toBe('0');
    expect(res.body.properties.enableRbacAuthorization).toBe(false);
    expect(res.body.properties.provisioningState).toBe('RegisteringDns');
  });

  it('normalises ipRules to /32 and lower-cases subnet ids; refuses private and IPv6 rules', async () => {
    const subnetId = `${rgPath(sandbox)}/providers/Microsoft.Network/virtualNetworks/AKS-vnet/subnets/Nodes`;
    const vault = await clients.keyVault.vaults.createOrUpdate(
      RG,
      'feathr-kv-acl',
      vaultParams(sandbox, {
        networkAcls: {
          defaultAction: 'Deny',
          bypass: 'AzureServices',
          ipRules: [{ value: '52.14.20.1' }, { value: '52.14.21.0/24' }],
          virtualNetworkRules: [{ id: subnetId }],
        },
      }),
      LRO,
    );
    expect(vault.properties.networkAcls?.ipRules?.map((rule) => rule.value)).toEqual([
      '52.14.20.1/32',
      '52.14.21.0/24',
    ]);
    expect(vault.properties.networkAcls?.virtualNetworkRules?.[0].id).toBe(subnetId.toLowerCase());

    for (const [value, text] of [
      ['10.1.2.3', 'belongs to forbidden range 10.0.0.0–10.255.255.255 (private IP addresses)'],
      ['192.168.4.0/24', 'belongs to forbidden range 192.168.0.0–192.168.255.255 (private IP addresses)'],
      ['172.20.0.1', 'private IP addresses'],
      ['2001:db8::1', 'Only IPv4 addresses are supported'],
    ]) {
      const error = await failure(
        strict.keyVault.vaults.createOrUpdate(
          RG,
          'feathr-kv-bad',
          vaultParams(sandbox, { networkAcls: { defaultAction: 'Deny', ipRules: [{ value }] } }),
          LRO,
        ),
      );
      expect(error.statusCode).toBe(400);
      expect(error.message).toContain(text);
    }
    const tooMany = Array.from({ length: 1001 }, (_, index) => ({
      value: `52.${Math.floor(index / 250)}.${index % 250}.1`,
    }));
    const error = await failure(
      strict.keyVault.vaults.createOrUpdate(
        RG,
        'feathr-kv-bad',
        vaultParams(sandbox, { networkAcls: { ipRules: tooMany } }),
        LRO,
      ),
    );
    expect(error.message).toContain('limit of 1000');
    expect(
      await clients.keyVault.vaults.checkNameAvailability({ name: 'feathr-kv-bad', type: 'Microsoft.KeyVault/vaults' }),
    ).toEqual({ nameAvailable: true });
  });

  it('updates with PATCH, keeps purge protection irreversible and retention immutable', async () => {
    await clients.keyVault.vaults.createOrUpdate(
      RG,
      'feathr-kv-pp',
      vaultParams(sandbox, { enablePurgeProtection: true, softDeleteRetentionInDays: 7 }),
      LRO,
    );
    const patched = await clients.keyVault.vaults.update(RG, 'feathr-kv-pp', {
      properties: { publicNetworkAccess: 'Disabled' },
      tags: { env: 'sandbox' },
    });
    expect(patched.properties?.publicNetworkAccess).toBe('Disabled');
    expect(patched.tags).toEqual({ env: 'sandbox' });
    const off = await failure(
      strict.keyVault.vaults.update(RG, 'feathr-kv-pp', { properties: { enablePurgeProtection: false } }),
    );
    expect(off).toMatchObject({ statusCode: 400 });
    expect(off.message).toContain('irreversible');
    const retention = await failure(
      strict.keyVault.vaults.createOrUpdate(
        RG,
        'feathr-kv-pp',
        vaultParams(sandbox, { softDeleteRetentionInDays: 30 }),
        LRO,
      ),
    );
    expect(retention.message).toContain('softDeleteRetentionInDays');
    // A PUT without the field keeps purge protection on.
    const again = await clients.keyVault.vaults.createOrUpdate(RG, 'feathr-kv-pp', vaultParams(sandbox), LRO);
    expect(again.properties.enablePurgeProtection).toBe(true);
    expect(again.properties.softDeleteRetentionInDays).toBe(7);
  });

  it('lists vaults by resource group, by subscription and through /resources', async () => {
    const byGroup: string[] = [];
    for await (const vault of clients.keyVault.vaults.listByResourceGroup(RG)) byGroup.push(vault.name!);
    expect(byGroup).toEqual(expect.arrayContaining(['feathr-kv-a', 'feathr-kv-acl']));
    const bySub: string[] = [];
    for await (const vault of clients.keyVault.vaults.listBySubscription()) bySub.push(vault.name!);
    expect(bySub).toEqual(expect.arrayContaining(['feathr-kv-a']));
    const generic: string[] = [];
    for await (const resource of clients.keyVault.vaults.list()) generic.push(resource.name!);
    expect(generic).toEqual(expect.arrayContaining(['feathr-kv-a']));
  });

  it('checks names: invalid, live, soft-deleted, free', async () => {
    const check = (name: string) =>
      clients.keyVault.vaults.checkNameAvailability({ name, type: 'Microsoft.KeyVault/vaults' });
    expect(await check('ab')).toMatchObject({ nameAvailable: false, reason: 'AccountNameInvalid' });
    expect(await check('bad--name')).toMatchObject({ nameAvailable: false, reason: 'AccountNameInvalid' });
    expect(await check('feathr-kv-a')).toMatchObject({ nameAvailable: false, reason: 'AlreadyExists' });
    expect(await check('FEATHR-KV-OLD')).toMatchObject({ nameAvailable: false, reason: 'AlreadyExists' });
    expect(await check('feathr-kv-new')).toEqual({ nameAvailable: true });
  });

  it('refuses a new vault named like the soft-deleted feathr-kv-old, then recovers it with createMode recover', async () => {
    const conflict = await failure(
      strict.keyVault.vaults.createOrUpdate(RG, 'feathr-kv-old', vaultParams(sandbox), LRO),
    );
    expect(conflict).toMatchObject({ statusCode: 409, code: 'ConflictError' });
    expect(conflict.message).toContain(
      'A vault with the same name already exists in deleted state. You need to either recover or purge existing key vault.',
    );

    const deleted = await clients.keyVault.vaults.getDeleted('feathr-kv-old', 'eastus');
    expect(deleted.properties?.vaultId).toBe(`${rgPath(sandbox)}/providers/Microsoft.KeyVault/vaults/feathr-kv-old`);
    expect(Date.parse(deleted.properties!.scheduledPurgeDate!.toString())).toBeGreaterThan(Date.now());

    const recovered = await clients.keyVault.vaults.createOrUpdate(
      RG,
      'feathr-kv-old',
      vaultParams(sandbox, { createMode: 'recover' }),
      LRO,
    );
    expect(recovered.properties.provisioningState).toBe('Succeeded');
    expect(recovered.properties.vaultUri).toBe(`${sandbox.url}/kv/feathr-kv-old/`);
    // Its secrets come back with it.
    const secrets: string[] = [];
    for await (const secret of clients.keyVault.secrets.list(RG, 'feathr-kv-old')) secrets.push(secret.name!);
    expect(secrets).toEqual(['FEATHRCI-HOST']);
    const missing = await failure(strict.keyVault.vaults.getDeleted('feathr-kv-old', 'eastus'));
    expect(missing.statusCode).toBe(404);
    const none = await failure(
      strict.keyVault.vaults.createOrUpdate(
        RG,
        'feathr-kv-never',
        vaultParams(sandbox, { createMode: 'recover' }),
        LRO,
      ),
    );
    expect(none.statusCode).toBe(400);
  });

  it('soft-deletes on DELETE with scheduledPurgeDate from the retention, blocks the name, purges with a Location LRO', async () => {
    await clients.keyVault.vaults.createOrUpdate(
      RG,
      'feathr-kv-gone',
      vaultParams(sandbox, { softDeleteRetentionInDays: 7 }),
      LRO,
    );
    await clients.keyVault.vaults.delete(RG, 'feathr-kv-gone');
    const notFound = await failure(strict.keyVault.vaults.get(RG, 'feathr-kv-gone'));
    expect(notFound).toMatchObject({ statusCode: 404, code: 'ResourceNotFound' });
    const deleted = await clients.keyVault.vaults.getDeleted('feathr-kv-gone', 'eastus');
    const days =
      (Date.parse(String(deleted.properties!.scheduledPurgeDate)) -
        Date.parse(String(deleted.properties!.deletionDate))) /
      86_400_000;
    expect(days).toBe(7);
    const names: string[] = [];
    for await (const entry of clients.keyVault.vaults.listDeleted()) names.push(entry.name!);
    expect(names).toContain('feathr-kv-gone');
    await clients.keyVault.vaults.purgeDeleted('feathr-kv-gone', 'eastus', LRO);
    expect(sandbox.state.requestLog.some((entry) => entry.path.includes('/operationResults/'))).toBe(true);
    expect(
      await clients.keyVault.vaults.checkNameAvailability({
        name: 'feathr-kv-gone',
        type: 'Microsoft.KeyVault/vaults',
      }),
    ).toEqual({ nameAvailable: true });
  });

  it('refuses purge while purge protection is on', async () => {
    await clients.keyVault.vaults.delete(RG, 'feathr-kv-pp');
    const error = await failure(strict.keyVault.vaults.purgeDeleted('feathr-kv-pp', 'eastus', LRO));
    expect(error.statusCode).toBe(409);
    expect(error.message).toContain('purge protection');
  });

  it('keeps names global: the same name in another resource group is refused', async () => {
    await clients.resources.resourceGroups.createOrUpdate('other-rg', { location: 'westus' });
    const error = await failure(
      strict.keyVault.vaults.createOrUpdate('other-rg', 'feathr-kv-a', vaultParams(sandbox), LRO),
    );
    expect(error).toMatchObject({ statusCode: 409, code: 'VaultAlreadyExists' });
    const badName = await failure(
      strict.keyVault.vaults.createOrUpdate(RG, '1-starts-with-digit', vaultParams(sandbox), LRO),
    );
    expect(badName).toMatchObject({ statusCode: 400, code: 'VaultNameNotValid' });
    const noGroup = await failure(strict.keyVault.vaults.get('missing-rg', 'feathr-kv-a'));
    expect(noGroup).toMatchObject({ statusCode: 404, code: 'ResourceGroupNotFound' });
  });

  it('ends an LRO with Failed and the error when an lro fault fires', async () => {
    const res = await request(sandbox, 'POST', '/_sandbox/faults', {
      body: { faults: 'lro/feathr-kv-fail:failed@#1' },
    });
    expect(res.status).toBe(200);
    const error = await failure(strict.keyVault.vaults.createOrUpdate(RG, 'feathr-kv-fail', vaultParams(sandbox), LRO));
    expect(error.message).toContain('internal execution error');
    expect((await clients.keyVault.vaults.get(RG, 'feathr-kv-fail')).properties.provisioningState).toBe('Failed');
    await request(sandbox, 'POST', '/_sandbox/faults', { body: {} });
  });
});

describe('management-plane vaults/secrets', () => {
  it('creates 201 then 200, never returns the value, ignores the firewall, and lists metadata', async () => {
    await clients.keyVault.vaults.createOrUpdate(
      RG,
      'feathr-kv-s',
      vaultParams(sandbox, { publicNetworkAccess: 'Disabled', networkAcls: { defaultAction: 'Deny' } }),
      LRO,
    );
    const path = rgPath(
      sandbox,
      '/providers/Microsoft.KeyVault/vaults/feathr-kv-s/secrets/CONN-STR?api-version=2026-02-01',
    );
    const first = await request(sandbox, 'PUT', path, {
      token: sandbox.tokenFor('operator'),
      body: { properties: { value: 'sandbox-value-1' } },
    });
    expect(first.status).toBe(201);
    expect(first.headers['azure-asyncoperation']).toBeUndefined();
    expect(JSON.stringify(first.body)).not.toContain('sandbox-value-1');
    const second = await clients.keyVault.secrets.createOrUpdate(RG, 'feathr-kv-s', 'conn-str', {
      properties: { value: 'sandbox-value-2' },
    });
    expect(second.name).toBe('CONN-STR');
    expect(JSON.stringify(second)).not.toContain('sandbox-value-2');
    expect(second.properties?.secretUriWithVersion).toMatch(
      new RegExp(`^${sandbox.url}/kv/feathr-kv-s/secrets/CONN-STR/[0-9a-f]{32}$`),
    );
    expect(sandbox.state.vaultSecrets.get('feathr-kv-s')?.get('conn-str')?.versions).toHaveLength(2);
    const got = await clients.keyVault.secrets.get(RG, 'feathr-kv-s', 'CONN-STR');
    expect(got.properties?.value).toBeUndefined();
    const listed: string[] = [];
    for await (const secret of clients.keyVault.secrets.list(RG, 'feathr-kv-s')) listed.push(secret.name!);
    expect(listed).toEqual(['CONN-STR']);
    const tooBig = await failure(
      strict.keyVault.secrets.createOrUpdate(RG, 'feathr-kv-s', 'big', {
        properties: { value: 'x'.repeat(26 * 1024) },
      }),
    );
    expect(tooBig.statusCode).toBe(400);
    const noVault = await failure(
      strict.keyVault.secrets.createOrUpdate(RG, 'feathr-kv-none', 'a', { properties: { value: 'v' } }),
    );
    expect(noVault).toMatchObject({ statusCode: 404, code: 'ParentResourceNotFound' });
  });
});

describe('ARM front door', () => {
  it('answers 401 without a token, 400 without api-version, 404 for another subscription', async () => {
    expect((await request(sandbox, 'GET', rgPath(sandbox, '?api-version=2021-04-01'))).body.error.code).toBe(
      'AuthenticationFailed',
    );
    expect(
      (await request(sandbox, 'GET', rgPath(sandbox, '?api-version=2021-04-01'), { token: 'sbx.nope' })).body.error
        .code,
    ).toBe('InvalidAuthenticationToken');
    const token = sandbox.tokenFor('operator');
    expect((await request(sandbox, 'GET', rgPath(sandbox), { token })).body.error.code).toBe(
      'MissingApiVersionParameter',
    );
    const other = await request(
      sandbox,
      'GET',
      '/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/x?api-version=2021-04-01',
      { token },
    );
    expect(other).toMatchObject({ status: 404, body: { error: { code: 'SubscriptionNotFound' } } });
    const sub = await request(sandbox, 'GET', subPath(sandbox, '?api-version=2022-12-01'), { token });
    expect(sub.body).toMatchObject({ subscriptionId: sandbox.subscriptionId, tenantId: sandbox.tenantId });
  });
});
