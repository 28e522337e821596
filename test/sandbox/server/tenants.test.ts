/**
 * Several subscriptions in several tenants: ARM refuses a token of one tenant on a subscription
 * of another (401 InvalidAuthenticationTokenTenant, naming the right authority), names a
 * subscription's tenant in the challenge to an unauthenticated call, and the token endpoints
 * issue a token per tenant.
 */
import { ClientSecretCredential } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../../source/sandbox/start.js';
import { DEFAULT_WORLD } from '../../../source/sandbox/world/default-world.js';
import { worldSpecSchema } from '../../../source/sandbox/world/spec.js';
import { request, withSandbox } from '../arm/helpers.js';

const SUB2 = '00000000-0000-0000-0000-00000000beef';
const TENANT2 = '00000000-0000-0000-0000-0000000000bb';
const SP_CLIENT = '00000000-0000-0000-0000-00000000b002';
const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8'));
const world = worldSpecSchema.parse({
  ...DEFAULT_WORLD,
  subscriptions: [{ id: SUB2, tenantId: TENANT2, name: 'spoke' }],
  resourceGroups: [...DEFAULT_WORLD.resourceGroups, { name: 'spoke-rg', location: 'eastus', subscriptionId: SUB2 }],
});
let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await withSandbox({ world });
});
afterAll(() => sandbox.close());

async function tokenIn(tenantId: string): Promise<string> {
  const answer = await request(sandbox, 'POST', '/_sandbox/token', { body: { principal: 'operator', tenantId } });
  expect(answer.status).toBe(200);
  return answer.body.token;
}

describe('subscriptions of several tenants', () => {
  it('refuse a token of another tenant with ARM’s wording and the right authority', async () => {
    const home = sandbox.tokenFor('operator');
    const refused = await request(
      sandbox,
      'GET',
      `/subscriptions/${SUB2}/resourceGroups/spoke-rg?api-version=2025-04-01`,
      { token: home },
    );
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('InvalidAuthenticationTokenTenant');
    expect(refused.body.error.message).toContain(
      `It must match the tenant 'https://sts.windows.net/${TENANT2}/' associated with this subscription. Please use the authority (URL) 'https://login.windows.net/${TENANT2}' to get the token.`,
    );
    expect(refused.headers['www-authenticate']).toContain(`authorization_uri="https://login.windows.net/${TENANT2}"`);
    const other = await tokenIn(TENANT2);
    expect(claims(other)).toMatchObject({ tid: TENANT2, oid: sandbox.state.operatorId });
    expect(
      (
        await request(sandbox, 'GET', `/subscriptions/${SUB2}/resourceGroups/spoke-rg?api-version=2025-04-01`, {
          token: other,
        })
      ).status,
    ).toBe(200);
    const back = await request(
      sandbox,
      'GET',
      `/subscriptions/${sandbox.subscriptionId}/resourceGroups/feathr-rg?api-version=2025-04-01`,
      { token: other },
    );
    expect(back.body.error.code).toBe('InvalidAuthenticationTokenTenant');
  });

  it('name a subscription’s tenant to an unauthenticated call, and list per tenant', async () => {
    const anonymous = await request(sandbox, 'GET', `/subscriptions/${SUB2}?api-version=2022-12-01`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toContain(`authorization_uri="https://login.windows.net/${TENANT2}"`);
    const listed = await request(sandbox, 'GET', '/subscriptions?api-version=2022-12-01', {
      token: await tokenIn(TENANT2),
    });
    expect(
      listed.body.value.map((s: { subscriptionId: string; tenantId: string }) => [s.subscriptionId, s.tenantId]),
    ).toEqual([[SUB2, TENANT2]]);
    expect(
      (
        await request(
          sandbox,
          'GET',
          `/subscriptions/00000000-0000-0000-0000-000000000bad/resourceGroups?api-version=2025-04-01`,
          { token: sandbox.tokenFor('operator') },
        )
      ).body.error.code,
    ).toBe('SubscriptionNotFound');
  });

  it('sign a service principal in to either tenant through the token endpoint', async () => {
    const options = {
      authorityHost: sandbox.url,
      disableInstanceDiscovery: true,
      tlsOptions: { ca: sandbox.caPem },
      retryOptions: { maxRetries: 0 },
    };
    const token = await new ClientSecretCredential(TENANT2, SP_CLIENT, 'sandbox-feathr-sp-secret', options).getToken(
      `${sandbox.url}/.default`,
    );
    expect(claims(token.token)).toMatchObject({ tid: TENANT2, appid: SP_CLIENT });
    await expect(
      new ClientSecretCredential(
        '00000000-0000-0000-0000-0000000000cc',
        SP_CLIENT,
        'sandbox-feathr-sp-secret',
        options,
      ).getToken(`${sandbox.url}/.default`),
    ).rejects.toThrow(/AADSTS90002/);
  });

  it('reject a world whose resources name a subscription it doesn’t list', () => {
    const bad = worldSpecSchema.safeParse({
      ...DEFAULT_WORLD,
      resourceGroups: [{ name: 'x', location: 'eastus', subscriptionId: '00000000-0000-0000-0000-000000000bad' }],
    });
    expect(bad.success).toBe(false);
    expect(JSON.stringify(bad.error?.issues)).toContain('neither subscriptionId nor in subscriptions');
  });
});
