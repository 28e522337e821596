/**
 * The in-cluster probe: a short-lived pod that resolves the vault name, opens
 * TCP 443 and TLS, sends a GET to the vault with the identity the SecretProviderClass names
 * (learning the egress address from a 403's `Client address:`), then mounts the SPC and
 * hashes each object in the pod. The pod is always deleted, also on failure; a Secret the
 * driver synced for it alone is garbage-collected with it.
 */
import { createHash } from 'node:crypto';
import type { ProbeResult, ProbeSpec } from './wire.js';
import type { SandboxState } from '../world/state.js';
import { judgeVaultAccess } from '../keyvault/access.js';
import { routeToVault } from '../network/vault-route.js';
import { resolveMountIdentity } from './identity.js';
import { KubeApiError, requireNamespace } from './objects.js';
import { startMountingPod } from './pods.js';
import { parseSpc } from './spc.js';
import type { ClusterState, NamespaceState } from './state.js';

/**
 * The node the probe runs on: the one spec.nodeName pins it to (as nodeName bypasses the
 * scheduler), else the first Linux node. A pinned name that isn't a Linux node can't run it.
 */
function probeNode(cluster: ClusterState, spec: ProbeSpec) {
  if (spec.nodeName === undefined) return cluster.nodes.find((candidate) => candidate.os === 'linux');
  return cluster.nodes.find((candidate) => candidate.name === spec.nodeName && candidate.os === 'linux');
}

function identityProbe(
  state: SandboxState,
  cluster: ClusterState,
  spec: ProbeSpec,
  pod: string,
  now: number,
): Pick<ProbeResult, 'vaultStatus' | 'vaultError' | 'clientAddress'> {
  const node = probeNode(cluster, spec);
  const spcObject = spec.secretProviderClass
    ? cluster.namespaces.get(spec.namespace)?.objects.get(`SecretProviderClass/${spec.secretProviderClass}`)
    : undefined;
  const spc = spcObject ? parseSpc(spcObject) : undefined;
  let principalId: string | undefined;
  if (spc && !('error' in spc)) {
    const target = { volume: 'secrets-store', namespace: spec.namespace, pod };
    const identity = resolveMountIdentity(
      state,
      cluster,
      spc.identity,
      {
        namespace: spec.namespace,
        pod,
        serviceAccount: spec.serviceAccount ?? 'default',
        nodePublishSecretRef: spec.nodePublishSecretRef,
      },
      target,
    );
    if (identity.ok) principalId = identity.principal.objectId;
  }
  if (!node) return {};
  const verdict = judgeVaultAccess(
    state,
    spec.vaultName,
    node.position,
    principalId,
    principalId ? 'getSecret' : 'readMetadata',
    now,
  );
  if (verdict.allowed) return { vaultStatus: 200 };
  if (!verdict.status) return {};
  const message = verdict.body?.error.message ?? '';
  const clientAddress = /Client address: ([0-9a-fA-F.:]+)/.exec(message)?.[1];
  return {
    vaultStatus: verdict.status,
    vaultError: `${verdict.body?.error.code}: ${message}`,
    ...(clientAddress ? { clientAddress } : {}),
  };
}

export function runProbe(state: SandboxState, cluster: ClusterState, spec: ProbeSpec, now: number): ProbeResult {
  const namespace = requireNamespace(cluster, spec.namespace);
  const node = probeNode(cluster, spec);
  if (!node)
    throw new KubeApiError(
      spec.nodeName
        ? `node "${spec.nodeName}" isn't a Linux node of this cluster, so the probe can't run there.`
        : `0/${cluster.nodes.length} nodes are available: no Linux node can run the probe.`,
      409,
    );
  const route = routeToVault(state, spec.vaultName, node.position);
  const tcp443 = route.kind !== 'nxdomain' && route.kind !== 'unreachable';
  const result: ProbeResult = {
    dns: {
      host: route.dns.host,
      addresses: route.dns.addresses,
      ...(route.dns.error ? { error: route.dns.error } : {}),
    },
    tcp443,
    // The vault's certificate covers *.vault.azure.net, the name the probe connects by.
    tls: tcp443,
    podName: '',
    cleanedUp: false,
  };
  const syncedBefore = new Set(namespace.secrets.keys());
  let podName = `feathr-kv-probe-${(cluster.podCounter + 1).toString(36).padStart(5, '0')}`;
  try {
    if (tcp443) Object.assign(result, identityProbe(state, cluster, spec, podName, now));
    if (spec.secretProviderClass) {
      const outcome = startMountingPod(state, cluster, {
        namespace: spec.namespace,
        namePrefix: 'feathr-kv-probe',
        serviceAccount: spec.serviceAccount ?? 'default',
        labels: spec.labels ?? {},
        spcName: spec.secretProviderClass,
        volume: 'secrets-store',
        nodePublishSecretRef: spec.nodePublishSecretRef,
        hostNetwork: spec.hostNetwork,
        now,
      });
      podName = outcome.pod;
      const mounted = outcome.mount.objects.map((object) => ({
        alias: object.alias,
        state: object.state,
        ...(object.value !== undefined
          ? { sha256: createHash('sha256').update(object.value, 'utf8').digest('hex') }
          : {}),
      }));
      const missingExpected = (spec.expectedObjects ?? [])
        .filter((alias) => !mounted.some((object) => object.alias === alias))
        .map((alias) => ({ alias, state: 'missing' as const }));
      result.mount = {
        ok: outcome.mount.ok && missingExpected.length === 0,
        ...(outcome.mount.error ? { error: outcome.mount.error } : {}),
        objects: [...mounted, ...missingExpected],
      };
    }
  } finally {
    // The pod goes, and with it the Secret the driver synced only for it.
    for (const name of syncedOnlyForProbe(namespace, syncedBefore)) namespace.secrets.delete(name);
    result.podName = podName;
    result.cleanedUp = true;
  }
  return result;
}

function syncedOnlyForProbe(namespace: NamespaceState, before: Set<string>): string[] {
  return [...namespace.secrets.entries()]
    .filter(([name, secret]) => !before.has(name) && secret.labels['secrets-store.csi.k8s.io/managed'] === 'true')
    .map(([name]) => name);
}
