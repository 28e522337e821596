/** User-assigned managed identities and federated credentials (arm-msi 2, classic, synchronous PUTs). */
import type { Identity, FederatedIdentityCredential } from '@azure/arm-msi';
import type { AzureClients } from './clients.js';
import { azureCall, azureRead } from './errors.js';

type Ctx = { azure: AzureClients; signal: AbortSignal };

export const TOKEN_EXCHANGE_AUDIENCE = 'api://AzureADTokenExchange';

export function getIdentity(ctx: Ctx, resourceGroup: string, name: string): Promise<Identity | undefined> {
  return azureRead(
    `read managed identity ${name}`,
    () => ctx.azure.msi.userAssignedIdentities.get(resourceGroup, name, { abortSignal: ctx.signal }),
    ctx.signal,
  );
}

export function createIdentity(
  ctx: Ctx,
  resourceGroup: string,
  name: string,
  location: string,
  tags: Record<string, string>,
): Promise<Identity> {
  return azureCall(
    `create managed identity ${name}`,
    () =>
      ctx.azure.msi.userAssignedIdentities.createOrUpdate(
        resourceGroup,
        name,
        { location, tags },
        { abortSignal: ctx.signal },
      ),
    ctx.signal,
  );
}

export function getFederatedCredential(
  ctx: Ctx,
  resourceGroup: string,
  identity: string,
  name: string,
): Promise<FederatedIdentityCredential | undefined> {
  return azureRead(
    `read federated credential ${identity}/${name}`,
    () => ctx.azure.msi.federatedIdentityCredentials.get(resourceGroup, identity, name, { abortSignal: ctx.signal }),
    ctx.signal,
  );
}

export function putFederatedCredential(
  ctx: Ctx,
  resourceGroup: string,
  identity: string,
  name: string,
  issuer: string,
  subject: string,
): Promise<FederatedIdentityCredential> {
  return azureCall(
    `create federated credential ${identity}/${name}`,
    () =>
      ctx.azure.msi.federatedIdentityCredentials.createOrUpdate(
        resourceGroup,
        identity,
        name,
        { issuer, subject, audiences: [TOKEN_EXCHANGE_AUDIENCE] },
        { abortSignal: ctx.signal },
      ),
    ctx.signal,
  );
}
