/**
 * Key Vault data-plane error bodies (`KeyVaultError`: `{"error":{"code","message","innererror"}}`,
 * lower-case `innererror` on the wire) and the messages real vaults send.
 */
import type { SandboxResponse } from '../http.js';

export interface KeyVaultErrorBody {
  error: { code: string; message: string; innererror?: { code: string } };
}

export function keyVaultErrorBody(code: string, message: string, innerCode?: string): KeyVaultErrorBody {
  return { error: { code, message, ...(innerCode ? { innererror: { code: innerCode } } : {}) } };
}

export function keyVaultError(
  status: number,
  code: string,
  message: string,
  innerCode?: string,
  headers: Record<string, string> = {},
): SandboxResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: keyVaultErrorBody(code, message, innerCode),
  };
}

export function secretNotFound(name: string): SandboxResponse {
  return keyVaultError(
    404,
    'SecretNotFound',
    `A secret with (name/id) ${name} was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182`,
  );
}

export function deletedSecretNotFound(name: string): SandboxResponse {
  return keyVaultError(404, 'SecretNotFound', `Deleted Secret not found: ${name}`);
}

export function badParameter(message: string): SandboxResponse {
  return keyVaultError(400, 'BadParameter', message);
}
