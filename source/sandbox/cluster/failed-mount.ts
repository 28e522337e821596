/**
 * The texts a FailedMount event carries. Callers match substrings, so the
 * wording follows the real driver, provider and azcore errors; none embeds a secret value.
 */
import type { KeyVaultErrorBody } from '../keyvault/errors.js';

const CSI_DRIVER = 'secrets-store.csi.k8s.io';
const RULE = '-'.repeat(80);

export interface MountTarget {
  volume: string;
  namespace: string;
  pod: string;
}

/** The provider's common prefix around a per-object failure. */
export function objectFailure(target: MountTarget, objectName: string, cause: string): string {
  return (
    `MountVolume.SetUp failed for volume "${target.volume}" : rpc error: code = Unknown desc = failed to mount secrets store objects for pod ${target.namespace}/${target.pod}, ` +
    `err: rpc error: code = Unknown desc = failed to mount objects, error: failed to get objectType:secret, objectName:${objectName}, objectVersion:: ${cause}`
  );
}

/** A failure before the provider reads any object (SPC or credentials). */
export function providerFailure(target: MountTarget, cause: string): string {
  return (
    `MountVolume.SetUp failed for volume "${target.volume}" : rpc error: code = Unknown desc = failed to mount secrets store objects for pod ${target.namespace}/${target.pod}, ` +
    `err: rpc error: code = Unknown desc = ${cause}`
  );
}

export function driverNotFound(target: MountTarget): string {
  return `MountVolume.SetUp failed for volume "${target.volume}" : kubernetes.io/csi: mounter.SetUpAt failed to get CSI client: driver name ${CSI_DRIVER} not found in the list of registered CSI drivers`;
}

export function nodePublishSecretMissing(target: MountTarget, secretName: string): string {
  return (
    `MountVolume.SetUp failed for volume "${target.volume}" : fetching NodePublishSecretRef ${target.namespace}/${secretName} failed: ` +
    `kubernetes.io/csi: failed to find the secret ${secretName} in the namespace ${target.namespace} with error: secrets "${secretName}" not found`
  );
}

export function deadlineExceeded(target: MountTarget): string {
  return `MountVolume.SetUp failed for volume "${target.volume}" : rpc error: code = DeadlineExceeded desc = context deadline exceeded`;
}

/** azcore's ResponseError text (the provider uses azsecrets, which wraps azcore). */
export function azcoreResponseError(
  method: string,
  url: string,
  status: number,
  statusText: string,
  body: KeyVaultErrorBody | Record<string, unknown>,
): string {
  const code =
    'error' in body && typeof body.error === 'object' && body.error && 'code' in body.error
      ? String(body.error.code)
      : 'UNAVAILABLE';
  return [
    `${method} ${url}`,
    RULE,
    `RESPONSE ${status}: ${status} ${statusText}`,
    `ERROR CODE: ${code}`,
    RULE,
    JSON.stringify(body, null, 2),
    RULE,
    '',
  ].join('\n');
}

export function noSuchHost(host: string, objectName: string): string {
  return `Get "https://${host}/secrets/${objectName}/?api-version=7.4": dial tcp: lookup ${host} on 10.0.0.10:53: no such host`;
}

export function identityNotFound(clientId: string): string {
  return (
    "ManagedIdentityCredential authentication failed. the requested identity isn't assigned to this resource\n" +
    `GET http://169.254.169.254/metadata/identity/oauth2/token\n${RULE}\nRESPONSE 400: 400 Bad Request\n${RULE}\n` +
    `{"error":"invalid_request","error_description":"Identity not found"}\n${RULE}\n` +
    `Endpoint http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&client_id=${clientId}&resource=https%3A%2F%2Fvault.azure.net`
  );
}

export function multipleIdentities(): string {
  return (
    `ManagedIdentityCredential authentication failed.\nGET http://169.254.169.254/metadata/identity/oauth2/token\n${RULE}\nRESPONSE 400: 400 Bad Request\n${RULE}\n` +
    '{"error":"invalid_request","error_description":"Multiple user assigned identities exist, please specify the clientId / resourceId of the identity in the token request"}'
  );
}

export function noImds(): string {
  return 'ManagedIdentityCredential authentication failed: dial tcp 169.254.169.254:80: connect: no route to host';
}

export function entraError(
  credential: 'ClientAssertionCredential' | 'ClientSecretCredential',
  tenantId: string,
  error: string,
  description: string,
): string {
  return (
    `${credential} authentication failed.\nPOST https://login.microsoftonline.com/${tenantId}/oauth2/v2.0/token\n${RULE}\nRESPONSE 400: 400 Bad Request\n${RULE}\n` +
    JSON.stringify({ error: error, error_description: description })
  );
}
