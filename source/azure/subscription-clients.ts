/**
 * Clients for a subscription other than the connection's, e.g. the VNet of a hub or of another
 * team, possibly in another tenant. ARM refuses a token of the wrong tenant
 * (401 InvalidAuthenticationTokenTenant), so each such subscription gets clients whose
 * credential asks for a token of that subscription's tenant.
 *
 * The tenant comes from ARM itself: an unauthenticated request for the subscription is answered
 * 401 with `WWW-Authenticate: Bearer authorization_uri="https://login.windows.net/<tenant>"`,
 * the same authority discovery the Azure SDKs and tools perform; it needs no credential.
 */
import https from 'node:https';
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import { createAzureClients, type AzureClients, type AzureConnection } from './clients.js';
import { UserError } from '../kernel/errors.js';

const TENANT_IN_CHALLENGE = /authorization_uri="https:\/\/[^/"]+\/([0-9a-f-]{36})"/i;

function challengeOf(url: string, tlsOptions: { ca: string } | undefined): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const request = https.get(url, { ...(tlsOptions ? { ca: tlsOptions.ca } : {}), timeout: 15_000 }, (response) => {
      response.resume();
      const header = response.headers['www-authenticate'];
      resolve(Array.isArray(header) ? header.join(', ') : header);
    });
    request.on('timeout', () => request.destroy(new Error('timed out after 15 s')));
    request.on('error', reject);
  });
}

/** The tenant a subscription trusts, from ARM's challenge to an unauthenticated request. */
export async function subscriptionTenant(
  connection: Pick<AzureConnection, 'endpoint' | 'tlsOptions'>,
  subscriptionId: string,
): Promise<string> {
  const endpoint = connection.endpoint.replace(/\/+$/, '');
  let header: string | undefined;
  try {
    header = await challengeOf(
      `${endpoint}/subscriptions/${encodeURIComponent(subscriptionId)}?api-version=2022-12-01`,
      connection.tlsOptions,
    );
  } catch (error) {
    throw new UserError(
      `Can't ask ARM which tenant subscription ${subscriptionId} belongs to: ${(error as Error).message}.`,
    );
  }
  const tenant = TENANT_IN_CHALLENGE.exec(header ?? '')?.[1];
  if (!tenant)
    throw new UserError(
      `ARM doesn't say which tenant subscription ${subscriptionId} belongs to.`,
      'Check the subscription ID in the preset.',
    );
  return tenant.toLowerCase();
}

/** The sign-in each tenant-bound credential wraps, so re-binding one asks the sign-in itself. */
const signIns = new WeakMap<TokenCredential, TokenCredential>();

/** The same sign-in, asking for tokens of one tenant (DefaultAzureCredential and the sandbox's honour `tenantId`). */
export function tenantCredential(credential: TokenCredential, tenantId: string): TokenCredential {
  const base = signIns.get(credential) ?? credential;
  const bound: TokenCredential = {
    getToken: (scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> =>
      base.getToken(scopes, { ...options, tenantId }),
  };
  signIns.set(bound, base);
  return bound;
}

const cache = new WeakMap<AzureClients, Map<string, Promise<AzureClients>>>();

/** Clients for `subscriptionId` (the connection's own when absent or the same), with that subscription's tenant. */
export function clientsFor(azure: AzureClients, subscriptionId: string | undefined): Promise<AzureClients> {
  if (!subscriptionId || subscriptionId.toLowerCase() === azure.subscriptionId.toLowerCase())
    return Promise.resolve(azure);
  let bySubscription = cache.get(azure);
  if (!bySubscription) cache.set(azure, (bySubscription = new Map()));
  const key = subscriptionId.toLowerCase();
  let pending = bySubscription.get(key);
  if (!pending) {
    const { connection } = azure;
    pending = subscriptionTenant(connection, subscriptionId).then((tenantId) => {
      const credential =
        tenantId === connection.tenantId.toLowerCase()
          ? connection.credential
          : tenantCredential(connection.credential, tenantId);
      return createAzureClients({ ...connection, subscriptionId, tenantId, credential });
    });
    pending.catch(() => bySubscription.delete(key));
    bySubscription.set(key, pending);
  }
  return pending;
}

const SUBSCRIPTION_OF_ID = /^\/?subscriptions\/([^/]+)\//i;

const referencingCache = new WeakMap<AzureClients, Map<string, AzureClients>>();

/**
 * Clients for a write in `subscriptionId` that references the resource `referencedId` (a
 * peering's remote VNet, a zone link's VNet, a zone group's zone). When that resource is in a subscription of another
 * tenant, ARM wants a token of that tenant in `x-ms-authorization-auxiliary`
 * (learn.microsoft.com/azure/azure-resource-manager/management/authenticate-multi-tenant);
 * these clients send one, from the same sign-in asked for that tenant.
 */
export async function clientsReferencing(
  azure: AzureClients,
  subscriptionId: string | undefined,
  referencedId: string,
): Promise<AzureClients> {
  const own = await clientsFor(azure, subscriptionId);
  const referencedSubscription = SUBSCRIPTION_OF_ID.exec(referencedId)?.[1];
  if (!referencedSubscription) return own;
  const tenant = (await clientsFor(azure, referencedSubscription)).tenantId.toLowerCase();
  if (tenant === own.tenantId.toLowerCase()) return own;
  let byKey = referencingCache.get(azure);
  if (!byKey) referencingCache.set(azure, (byKey = new Map()));
  const key = `${own.subscriptionId.toLowerCase()}|${tenant}`;
  let clients = byKey.get(key);
  if (!clients) {
    clients = createAzureClients({
      ...own.connection,
      auxiliaryCredentials: [tenantCredential(azure.connection.credential, tenant)],
    });
    byKey.set(key, clients);
  }
  return clients;
}
