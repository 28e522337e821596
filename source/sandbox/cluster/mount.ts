/**
 * Mounting a SecretProviderClass in a pod, as kubelet + driver + Azure provider would: driver
 * registered on the node, SPC found, identity resolved, then every object read from the
 * simulated vault through the same judgement the HTTPS data plane uses, from the node's
 * network position (the provider runs on hostNetwork, so the vault sees the node's address).
 * The first failing object fails the whole mount (user-pain-points #16).
 */
import type { SandboxState } from '../world/state.js';
import { judgeVaultAccess } from '../keyvault/access.js';
import { findSecret, latestVersion } from '../keyvault/secret-store.js';
import { secretNotFound, keyVaultErrorBody, type KeyVaultErrorBody } from '../keyvault/errors.js';
import { driverPodOn, providerOn } from './csi-driver.js';
import { getSpc } from './objects.js';
import * as text from './failed-mount.js';
import { resolveMountIdentity, type PodContext } from './identity.js';
import { parseSpc, type ParsedSpc } from './spc.js';
import type { ClusterNode, ClusterState } from './state.js';

type MountedObjectState = 'mounted' | 'missing' | 'empty';

interface MountedObject {
  alias: string;
  objectName: string;
  state: MountedObjectState;
  /** Only inside the sandbox: feeds the synced Secret and the pod's sha256. */
  value?: string;
  /** The version id read, which the driver records in SecretProviderClassPodStatus. */
  version?: string;
}

export interface MountOutcome {
  ok: boolean;
  error?: string;
  objects: MountedObject[];
  spc?: ParsedSpc;
}

export interface MountRequest extends PodContext {
  spcName: string;
  volume: string;
  node: ClusterNode;
  now: number;
}

const STATUS_TEXT: Record<number, string> = {
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  429: 'Too Many Requests',
};

function readObject(
  state: SandboxState,
  spc: ParsedSpc,
  request: MountRequest,
  principalId: string,
  objectName: string,
  objectVersion: string,
): { value?: string; version?: string; failure?: string; missing?: boolean } {
  const target = { volume: request.volume, namespace: request.namespace, pod: request.pod };
  const host = `${spc.keyvaultName.toLowerCase()}.vault.azure.net`;
  const url = `https://${host}/secrets/${objectName}/${objectVersion}`;
  const verdict = judgeVaultAccess(
    state,
    spc.keyvaultName,
    request.node.position,
    principalId,
    'getSecret',
    request.now,
    objectName,
  );
  const fail = (status: number, body: KeyVaultErrorBody) =>
    text.objectFailure(
      target,
      objectName,
      text.azcoreResponseError('GET', url, status, STATUS_TEXT[status] ?? '', body),
    );
  if (!verdict.allowed) {
    if (verdict.reason === 'nxdomain' || verdict.route?.kind === 'nxdomain')
      return { failure: text.objectFailure(target, objectName, text.noSuchHost(host, objectName)) };
    if (verdict.reason === 'unreachable' || !verdict.status || !verdict.body)
      return { failure: text.deadlineExceeded(target) };
    return { failure: fail(verdict.status, verdict.body) };
  }
  const record = findSecret(state, spc.keyvaultName, objectName);
  const version =
    record && !record.deleted
      ? objectVersion
        ? record.versions.find((v) => v.version === objectVersion)
        : latestVersion(record)
      : undefined;
  if (!version) return { missing: true, failure: fail(404, secretNotFound(objectName).body as KeyVaultErrorBody) };
  if (!version.enabled)
    return {
      missing: true,
      failure: fail(
        403,
        keyVaultErrorBody('Forbidden', 'Operation get is not allowed on a disabled secret.', 'SecretDisabled'),
      ),
    };
  return { value: version.value, version: version.version };
}

export function mountSecretProviderClass(
  state: SandboxState,
  cluster: ClusterState,
  request: MountRequest,
): MountOutcome {
  const target = { volume: request.volume, namespace: request.namespace, pod: request.pod };
  if (!driverPodOn(cluster, request.node.name)) return { ok: false, error: text.driverNotFound(target), objects: [] };
  const spcObject = getSpc(cluster, request.namespace, request.spcName);
  if (!spcObject) {
    const cause = `failed to get secretproviderclass ${request.namespace}/${request.spcName}, error: SecretProviderClass.secrets-store.csi.x-k8s.io "${request.spcName}" not found`;
    return {
      ok: false,
      error: `MountVolume.SetUp failed for volume "${request.volume}" : rpc error: code = Unknown desc = ${cause}`,
      objects: [],
    };
  }
  const spc = parseSpc(spcObject);
  if (!('error' in spc) && !providerOn(cluster, request.node.name)) {
    // The driver finds providers by their socket in the node's provider directory.
    return { ok: false, error: text.providerFailure(target, `provider not found: provider "azure"`), objects: [] };
  }
  if ('error' in spc) return { ok: false, error: text.providerFailure(target, spc.error), objects: [] };
  const identity = resolveMountIdentity(state, cluster, spc.identity, request, target);
  if (!identity.ok) {
    const error = identity.whole ?? text.objectFailure(target, spc.objects[0]?.objectName ?? '', identity.cause ?? '');
    return { ok: false, error, objects: [], spc };
  }
  let error: string | undefined;
  const objects = spc.objects.map((entry): MountedObject => {
    if (entry.objectType !== 'secret') {
      error ??= text.objectFailure(
        target,
        entry.objectName,
        `objectType ${entry.objectType} isn't simulated by the sandbox`,
      );
      return { alias: entry.objectAlias, objectName: entry.objectName, state: 'missing' };
    }
    const read = readObject(state, spc, request, identity.principal.objectId, entry.objectName, entry.objectVersion);
    if (read.failure) {
      error ??= read.failure;
      return { alias: entry.objectAlias, objectName: entry.objectName, state: 'missing' };
    }
    return {
      alias: entry.objectAlias,
      objectName: entry.objectName,
      state: read.value === '' ? 'empty' : 'mounted',
      value: read.value,
      version: read.version,
    };
  });
  return { ok: error === undefined, error, objects, spc };
}
