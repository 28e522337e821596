/**
 * The two ways to reach "Azure": the real one (DefaultAzureCredential, management.azure.com)
 * and the sandbox (its URL, credential and CA). Both produce the same AzureConnection, and
 * everything after this file is one code path.
 */
import type { TokenCredential } from '@azure/core-auth';
import { DEFAULT_RETRY, type AzureConnection, type RetrySettings } from './clients.js';
import { jwtClaims } from './operator-identity.js';
import { UserError } from '../kernel/errors.js';

const ARM_ENDPOINT = 'https://management.azure.com';

export async function realAzureConnection(input: {
  subscriptionId: string;
  tenantId?: string;
  credential?: TokenCredential;
}): Promise<AzureConnection> {
  // Built for the subscription's tenant. Other tenants are allowed on request: Key Vault's
  // challenge names the vault's tenant, and the clients of a VNet's or zone's subscription in
  // another tenant ask for that tenant's token (azure/subscription-clients.ts).
  const credential =
    input.credential ??
    new (await import('@azure/identity')).DefaultAzureCredential(
      input.tenantId
        ? { tenantId: input.tenantId, additionallyAllowedTenants: ['*'] }
        : { additionallyAllowedTenants: ['*'] },
    );
  let tenantId = input.tenantId;
  if (!tenantId) {
    const token = await credential.getToken(`${ARM_ENDPOINT}/.default`).catch((error: unknown) => {
      throw new UserError(
        `Can't sign in to Azure: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
        'Run `az login` (or set AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_CLIENT_SECRET), then try again.',
      );
    });
    const tid = token ? jwtClaims(token.token)?.['tid'] : undefined;
    if (typeof tid !== 'string')
      throw new UserError("Can't tell your Azure tenant from the sign-in token.", 'Set azure.tenantId in the preset.');
    tenantId = tid;
  }
  return {
    endpoint: ARM_ENDPOINT,
    credential,
    subscriptionId: input.subscriptionId,
    tenantId,
    lroIntervalMs: 2000,
    retry: DEFAULT_RETRY,
  };
}

/** What a reached sandbox tells: its URL and CA, plus the connection's own fields. */
export type SandboxAccess = Pick<AzureConnection, 'subscriptionId' | 'tenantId' | 'credential' | 'operator'> & {
  url: string;
  caPem: string;
};

/** Quick retries: the sandbox answers in milliseconds. */
const SANDBOX_RETRY: RetrySettings = { maxRetries: 8, retryDelayInMs: 5, maxRetryDelayInMs: 50 };

export function sandboxAzureConnection(
  sandbox: SandboxAccess,
  options: { lroIntervalMs?: number; retry?: RetrySettings } = {},
): AzureConnection {
  return {
    endpoint: sandbox.url,
    credential: sandbox.credential,
    tlsOptions: { ca: sandbox.caPem },
    subscriptionId: sandbox.subscriptionId,
    tenantId: sandbox.tenantId,
    // An operation that ends at once is done at the first poll, which goes out without waiting;
    // one that takes time is polled 4 times a second, well inside ARM's read bucket (25 a second).
    lroIntervalMs: options.lroIntervalMs ?? 250,
    retry: options.retry ?? SANDBOX_RETRY,
    ...(sandbox.operator ? { operator: sandbox.operator } : {}),
  };
}
