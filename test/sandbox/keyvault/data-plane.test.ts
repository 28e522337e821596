import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../../source/sandbox/start.js';
import { httpsJson, secretClient, startWorld, vaultId } from './world.js';

const VAULT = 'feathr-kv-dp';

describe('Key Vault data plane through the real SecretClient', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startWorld({
      vaults: [{ name: VAULT, resourceGroup: 'feathr-rg' }],
      roleAssignments: [{ principal: 'operator', role: 'Key Vault Secrets Officer', scope: vaultId(VAULT) }],
    });
  });
  afterAll(() => sandbox?.close());

  it('keeps the /kv/<vault> prefix and answers the challenge first', async () => {
    const client = secretClient(sandbox, VAULT);
    const set = await client.setSecret('feathr-redis-password', 'sandbox-value-1');
    expect(set.value).toBe('sandbox-value-1');
    expect(set.properties.vaultUrl).toBe(`https://${VAULT}.vault.azure.net`);
    const log = sandbox.state.requestLog.filter((entry) => entry.plane === 'dataplane');
    expect(log[0]).toMatchObject({ method: 'PUT', path: `/kv/${VAULT}/secrets/feathr-redis-password`, status: 401 });
    expect(log[1]).toMatchObject({ method: 'PUT', status: 200 });
  });

  it('sends WWW-Authenticate with the tenant and the vault resource', async () => {
    const response = await httpsJson(sandbox, 'GET', `/kv/${VAULT}/secrets?api-version=2025-07-01`);
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe(
      `Bearer authorization="https://login.microsoftonline.com/${sandbox.tenantId}", resource="https://vault.azure.net"`,
    );
  });

  it('treats CONN-STR and conn-str as one secret and keeps the first case', async () => {
    const client = secretClient(sandbox, VAULT);
    await client.setSecret('CONN-STR', 'first');
    await client.setSecret('conn-str', 'second');
    const latest = await client.getSecret('Conn-Str');
    expect(latest.value).toBe('second');
    expect(latest.name).toBe('CONN-STR');
    const versions = [];
    for await (const version of client.listPropertiesOfSecretVersions('conn-str')) versions.push(version.version);
    expect(versions).toHaveLength(2);
    const byVersion = await client.getSecret('conn-str', { version: versions[0] });
    expect(byVersion.value).toBe('first');
  });

  it('refuses a 26 KB value and an empty one, accepts exactly 25 KB', async () => {
    const client = secretClient(sandbox, VAULT);
    await expect(client.setSecret('big', 'x'.repeat(26 * 1024))).rejects.toMatchObject({
      statusCode: 400,
      code: 'BadParameter',
    });
    await expect(client.setSecret('empty', '')).rejects.toMatchObject({ statusCode: 400, code: 'BadParameter' });
    await expect(client.setSecret('exact', 'x'.repeat(25 * 1024))).resolves.toMatchObject({ name: 'exact' });
  });

  it('refuses names outside ^[0-9a-zA-Z-]{1,127}$ with the real message', async () => {
    const client = secretClient(sandbox, VAULT);
    const error = await client.setSecret('CONN_STR', 'v').catch((caught) => caught);
    expect(error).toMatchObject({ statusCode: 400, code: 'BadParameter' });
    expect(error.message).toContain('The request URI contains an invalid name: CONN_STR');
    await expect(client.setSecret('a'.repeat(128), 'v')).rejects.toMatchObject({ statusCode: 400 });
  });

  it('limits tags to 15 and contentType to 255 characters', async () => {
    const client = secretClient(sandbox, VAULT);
    const tags = Object.fromEntries(Array.from({ length: 16 }, (_, index) => [`t${index}`, 'v']));
    await expect(client.setSecret('tagged', 'v', { tags })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.setSecret('typed', 'v', { contentType: 'x'.repeat(256) })).rejects.toMatchObject({
      statusCode: 400,
    });
  });

  it('lists secrets in pages with nextLink and never a value', async () => {
    const client = secretClient(sandbox, VAULT);
    for (let index = 0; index < 30; index += 1) await client.setSecret(`page-${index}`, `v${index}`);
    const names: string[] = [];
    for await (const properties of client.listPropertiesOfSecrets()) names.push(properties.name);
    expect(names.filter((name) => name.startsWith('page-'))).toHaveLength(30);
    const first = await httpsJson(sandbox, 'GET', `/kv/${VAULT}/secrets?api-version=2025-07-01`, {
      token: sandbox.tokenFor('operator'),
    });
    expect(first.body.value).toHaveLength(25);
    expect(first.body.nextLink).toContain(`${sandbox.url}/kv/${VAULT}/secrets?`);
    expect(JSON.stringify(first.body)).not.toContain('"value":"v');
  });

  it('soft-deletes, blocks the name with ObjectIsDeletedButRecoverable, recovers and purges', async () => {
    const client = secretClient(sandbox, VAULT);
    await client.setSecret('to-delete', 'gone-soon');
    const poller = await client.beginDeleteSecret('to-delete', { intervalInMs: 1 });
    const deleted = await poller.pollUntilDone();
    expect(deleted.recoveryId).toContain('/deletedsecrets/to-delete');
    await expect(client.getSecret('to-delete')).rejects.toMatchObject({ statusCode: 404, code: 'SecretNotFound' });
    const conflict = await client.setSecret('TO-DELETE', 'again').catch((caught) => caught);
    expect(conflict).toMatchObject({ statusCode: 409, code: 'Conflict' });
    expect(conflict.details.error.innerError.code).toBe('ObjectIsDeletedButRecoverable');
    const names = [];
    for await (const item of client.listDeletedSecrets()) names.push(item.name);
    expect(names).toContain('to-delete');
    const recover = await client.beginRecoverDeletedSecret('to-delete', { intervalInMs: 1 });
    await recover.pollUntilDone();
    expect((await client.getSecret('to-delete')).value).toBe('gone-soon');
    await (await client.beginDeleteSecret('to-delete', { intervalInMs: 1 })).pollUntilDone();
    await client.purgeDeletedSecret('to-delete');
    await expect(client.getDeletedSecret('to-delete')).rejects.toMatchObject({ statusCode: 404 });
    await expect(client.setSecret('to-delete', 'reborn')).resolves.toMatchObject({ value: 'reborn' });
  });

  it('updates attributes, and a disabled version can no longer be read', async () => {
    const client = secretClient(sandbox, VAULT);
    const set = await client.setSecret('toggle', 'v1', { contentType: 'text/plain' });
    const updated = await client.updateSecretProperties('toggle', set.properties.version!, {
      enabled: false,
      tags: { owner: 'feathr' },
    });
    expect(updated).toMatchObject({ enabled: false, tags: { owner: 'feathr' }, contentType: 'text/plain' });
    await expect(client.getSecret('toggle')).rejects.toMatchObject({ statusCode: 403 });
  });

  it('answers 404 VaultNotFound for a vault that does not exist', async () => {
    const response = await httpsJson(sandbox, 'GET', '/kv/no-such-vault/secrets?api-version=2025-07-01', {
      token: sandbox.tokenFor('operator'),
    });
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('VaultNotFound');
  });
});
