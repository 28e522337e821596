/**
 * The sandbox as an Entra authority: @azure/identity's ClientSecretCredential and
 * ClientAssertionCredential, given the sandbox as authorityHost, sign in against it and the
 * token they get works on ARM; a wrong secret, an unknown tenant or an assertion no federated
 * credential matches are refused with Entra's AADSTS codes.
 */
import { ClientAssertionCredential, ClientSecretCredential } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../../source/sandbox/start.js';
import { request, rgPath, withSandbox } from '../arm/helpers.js';

const SP_CLIENT = '00000000-0000-0000-0000-00000000b002';
let sandbox: RunningSandbox;
const options = () => ({
  authorityHost: sandbox.url,
  disableInstanceDiscovery: true,
  tlsOptions: { ca: sandbox.caPem },
  retryOptions: { maxRetries: 0 },
});
const scope = () => `${sandbox.url}/.default`;
const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8'));

beforeAll(async () => {
  sandbox = await withSandbox();
});
afterAll(() => sandbox.close());

describe('sign-in against the sandbox', () => {
  it('ClientSecretCredential gets a token in the world’s tenant that ARM accepts', async () => {
    const credential = new ClientSecretCredential(sandbox.tenantId, SP_CLIENT, 'sandbox-feathr-sp-secret', options());
    const token = await credential.getToken(scope());
    expect(claims(token.token)).toMatchObject({ tid: sandbox.tenantId, appid: SP_CLIENT, idtyp: 'app' });
    expect(
      (await request(sandbox, 'GET', rgPath(sandbox, '?api-version=2025-04-01'), { token: token.token })).status,
    ).not.toBe(401);
  });

  it('refuses a wrong secret and an unknown tenant with Entra’s codes', async () => {
    await expect(
      new ClientSecretCredential(sandbox.tenantId, SP_CLIENT, 'wrong', options()).getToken(scope()),
    ).rejects.toThrow(/AADSTS7000215/);
    await expect(
      new ClientSecretCredential(
        '00000000-0000-0000-0000-0000000000bb',
        SP_CLIENT,
        'sandbox-feathr-sp-secret',
        options(),
      ).getToken(scope()),
    ).rejects.toThrow(/AADSTS90002/);
  });

  it('ClientAssertionCredential signs in a managed identity through its federated credential', async () => {
    const token = sandbox.tokenFor('operator');
    const put = (path: string, body: unknown, api = '2024-11-30') =>
      request(sandbox, 'PUT', rgPath(sandbox, `${path}?api-version=${api}`), { token, body });
    const identity = (
      await put('/providers/Microsoft.ManagedIdentity/userAssignedIdentities/feathr-wi', { location: 'eastus' })
    ).body;
    await put(
      '/providers/Microsoft.ManagedIdentity/userAssignedIdentities/feathr-wi/federatedIdentityCredentials/eks',
      {
        properties: {
          issuer: 'https://oidc.sandbox.test/feathr-eks',
          subject: 'system:serviceaccount:feathr:feathr-online',
          audiences: ['api://AzureADTokenExchange'],
        },
      },
    );
    const assertion = (sub: string) =>
      `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from(JSON.stringify({ iss: 'https://oidc.sandbox.test/feathr-eks', sub, aud: ['api://AzureADTokenExchange'] })).toString('base64url')}.sig`;
    const good = new ClientAssertionCredential(
      sandbox.tenantId,
      identity.properties.clientId,
      async () => assertion('system:serviceaccount:feathr:feathr-online'),
      options(),
    );
    expect(claims((await good.getToken(scope())).token)).toMatchObject({
      oid: identity.properties.principalId,
      tid: sandbox.tenantId,
    });
    const bad = new ClientAssertionCredential(
      sandbox.tenantId,
      identity.properties.clientId,
      async () => assertion('system:serviceaccount:other:sa'),
      options(),
    );
    await expect(bad.getToken(scope())).rejects.toThrow(/AADSTS70021/);
  });
});
