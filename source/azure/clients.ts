/**
 * One factory for every SDK client. A real run and a sandbox run differ only in the
 * connection (endpoint, credential, CA): the same code path builds the same clients.
 *
 * Option names differ between SDK generations: `endpoint` on all of them
 * (arm-network ignores `$host` alone), `credentialScopes` on the classic clients and
 * `credentials.scopes` on the modular ones, `tlsOptions.ca` per client, and
 * `updateIntervalInMs` on every long-running call (see `lro`).
 */
import type { TokenCredential } from '@azure/core-auth';
import { auxiliaryAuthenticationHeaderPolicy } from '@azure/core-rest-pipeline';
import { KeyVaultManagementClient } from '@azure/arm-keyvault';
import { ContainerServiceClient } from '@azure/arm-containerservice';
import { NetworkManagementClient } from '@azure/arm-network';
import { PrivateDnsManagementClient } from '@azure/arm-privatedns';
import { AuthorizationManagementClient } from '@azure/arm-authorization';
import { ResourceManagementClient } from '@azure/arm-resources';
import { ManagedServiceIdentityClient } from '@azure/arm-msi';

export interface RetrySettings {
  maxRetries: number;
  retryDelayInMs: number;
  maxRetryDelayInMs: number;
}

export interface AzureConnection {
  /** ARM endpoint: https://management.azure.com, or the sandbox's URL. */
  endpoint: string;
  credential: TokenCredential;
  /** The sandbox's CA; absent for real Azure (system trust store). */
  tlsOptions?: { ca: string };
  subscriptionId: string;
  tenantId: string;
  /** Poll interval for long-running operations (2000 ms real, a few ms in the sandbox). */
  lroIntervalMs: number;
  retry: RetrySettings;
  /** Who the operator is, when the connection already knows (sandbox runs); else read from the token. */
  operator?: { objectId: string; principalType: 'User' | 'ServicePrincipal' };
  /**
   * Sign-ins for other tenants whose tokens go in `x-ms-authorization-auxiliary`: a write that
   * references a resource of another tenant (a peering's remote VNet) needs one (at most three).
   */
  auxiliaryCredentials?: TokenCredential[];
}

/** Retries suited to real ARM: throttling and 5xx back off exponentially. */
export const DEFAULT_RETRY: RetrySettings = { maxRetries: 6, retryDelayInMs: 1000, maxRetryDelayInMs: 30_000 };

export interface AzureClients {
  subscriptionId: string;
  tenantId: string;
  keyVault: KeyVaultManagementClient;
  containerService: ContainerServiceClient;
  network: NetworkManagementClient;
  privateDns: PrivateDnsManagementClient;
  authorization: AuthorizationManagementClient;
  resources: ResourceManagementClient;
  msi: ManagedServiceIdentityClient;
  /** Pass to every LRO call. */
  lro: { updateIntervalInMs: number };
  connection: AzureConnection;
}

export function createAzureClients(connection: AzureConnection): AzureClients {
  const endpoint = connection.endpoint.replace(/\/+$/, '');
  const scopes = [`${endpoint}/.default`];
  const auxiliary = connection.auxiliaryCredentials ?? [];
  const common = {
    endpoint,
    retryOptions: connection.retry,
    ...(connection.tlsOptions ? { tlsOptions: connection.tlsOptions } : {}),
    userAgentOptions: { userAgentPrefix: 'feathr-kv-setup' },
    // Per retry, like the bearer token policy, so a retried request carries fresh tokens too.
    ...(auxiliary.length
      ? {
          additionalPolicies: [
            {
              policy: auxiliaryAuthenticationHeaderPolicy({ credentials: auxiliary, scopes }),
              position: 'perRetry' as const,
            },
          ],
        }
      : {}),
  };
  const classic = { ...common, credentialScopes: scopes };
  const modular = { ...common, credentials: { scopes } };
  const { credential, subscriptionId } = connection;
  return {
    subscriptionId,
    tenantId: connection.tenantId,
    keyVault: new KeyVaultManagementClient(credential, subscriptionId, modular),
    containerService: new ContainerServiceClient(credential, subscriptionId, modular),
    network: new NetworkManagementClient(credential, subscriptionId, classic),
    privateDns: new PrivateDnsManagementClient(credential, subscriptionId, classic),
    authorization: new AuthorizationManagementClient(credential, subscriptionId, classic),
    resources: new ResourceManagementClient(credential, subscriptionId, classic),
    msi: new ManagedServiceIdentityClient(credential, subscriptionId, classic),
    lro: { updateIntervalInMs: connection.lroIntervalMs },
    connection,
  };
}
