/**
 * Starts an in-process sandbox and builds the real SDK clients against it, each trusting the
 * sandbox CA through its own `tlsOptions` (no global env var, no verification turned off).
 */
import https from 'node:https';
import { KeyVaultManagementClient } from '@azure/arm-keyvault';
import { ContainerServiceClient } from '@azure/arm-containerservice';
import { NetworkManagementClient } from '@azure/arm-network';
import { PrivateDnsManagementClient } from '@azure/arm-privatedns';
import { ResourceManagementClient } from '@azure/arm-resources';
import { AuthorizationManagementClient } from '@azure/arm-authorization';
import { ManagedServiceIdentityClient } from '@azure/arm-msi';
import { credentialFor } from '../../../source/connect/sandbox-client.js';
import { startSandbox, type RunningSandbox, type StartSandboxOptions } from '../../../source/sandbox/start.js';

export const RG = 'feathr-rg';
export const LRO = { updateIntervalInMs: 1 } as const;
export const NO_RETRY = { maxRetries: 0 } as const;

export function clientsFor(sandbox: RunningSandbox, principal = 'operator', options: { retry?: boolean } = {}) {
  const credential = credentialFor(sandbox.tokenFor(principal));
  const scopes = [`${sandbox.url}/.default`];
  const tlsOptions = { ca: sandbox.caPem };
  const retryOptions = options.retry === false ? NO_RETRY : undefined;
  const sub = sandbox.subscriptionId;
  const classic = {
    endpoint: sandbox.url,
    credentialScopes: scopes,
    tlsOptions,
    ...(retryOptions ? { retryOptions } : {}),
  };
  const modular = {
    endpoint: sandbox.url,
    credentials: { scopes },
    tlsOptions,
    ...(retryOptions ? { retryOptions } : {}),
  };
  return {
    keyVault: new KeyVaultManagementClient(credential, sub, modular),
    containers: new ContainerServiceClient(credential, sub, modular),
    network: new NetworkManagementClient(credential, sub, classic),
    dns: new PrivateDnsManagementClient(credential, sub, classic),
    resources: new ResourceManagementClient(credential, sub, classic),
    authorization: new AuthorizationManagementClient(credential, sub, classic),
    msi: new ManagedServiceIdentityClient(credential, sub, classic),
  };
}

export async function withSandbox(options: StartSandboxOptions = {}): Promise<RunningSandbox> {
  return startSandbox(options);
}

/** A plain HTTPS request (curl-style), trusting the sandbox CA for this request only. */
export function request(
  sandbox: RunningSandbox,
  method: string,
  path: string,
  options: { token?: string; body?: unknown } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: any }> {
  return new Promise((resolve, reject) => {
    const payload = options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body));
    const req = https.request(
      `${sandbox.url}${path}`,
      {
        method,
        ca: sandbox.caPem,
        headers: {
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            // not JSON: keep the text
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

export function subPath(sandbox: RunningSandbox, rest = ''): string {
  return `/subscriptions/${sandbox.subscriptionId}${rest}`;
}

export function rgPath(sandbox: RunningSandbox, rest = ''): string {
  return subPath(sandbox, `/resourceGroups/${RG}${rest}`);
}

/** Runs a promise that must fail and returns the RestError's code and status. */
export async function failure(
  promise: Promise<unknown>,
): Promise<{ code?: string; statusCode?: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { code?: string; statusCode?: number; message: string };
    return { code: e.code, statusCode: e.statusCode, message: e.message };
  }
  throw new Error('expected the call to fail, and it succeeded');
}
