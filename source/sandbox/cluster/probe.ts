/**
 * What the in-cluster probe pod prints: its image runs a script that resolves the vault
 * name, opens TCP 443 and TLS, sends a GET to the vault (learning the egress address from a
 * 403's `Client address:`) and hashes each mounted object, then prints one line
 * `FEATHR_PROBE_RESULT {json}`. The sandbox can't run the script, so for a container whose
 * command prints that line it computes the line from the world, from the pod's node.
 */
import { createHash } from 'node:crypto';
import { judgeVaultAccess } from '../keyvault/access.js';
import { routeToVault } from '../network/vault-route.js';
import type { SandboxState } from '../world/state.js';
import type { MountOutcome } from './mount.js';
import type { ClusterNode } from './state.js';

const PROBE_MARKER = 'FEATHR_PROBE_RESULT';

type Container = { name: string; command?: string[]; args?: string[]; env?: { name: string; value?: string }[] };

export function isProbeContainer(container: Container): boolean {
  return [...(container.command ?? []), ...(container.args ?? [])].some((part) => part.includes(PROBE_MARKER));
}

export function probeLog(
  state: SandboxState,
  container: Container,
  node: ClusterNode,
  mount: MountOutcome | undefined,
  principalId: string | undefined,
  now: number,
): string {
  const env = Object.fromEntries((container.env ?? []).map((e) => [e.name, e.value ?? '']));
  const vaultName = env.VAULT_NAME ?? '';
  const route = routeToVault(state, vaultName, node.position);
  const tcp443 = route.kind !== 'nxdomain' && route.kind !== 'unreachable';
  let vaultStatus = 0;
  let vaultError = tcp443 ? '' : 'curl exit 28';
  let clientAddress = '';
  if (tcp443) {
    const verdict = judgeVaultAccess(
      state,
      vaultName,
      node.position,
      principalId,
      principalId ? 'getSecret' : 'readMetadata',
      now,
    );
    if (verdict.allowed) vaultStatus = 200;
    else if (verdict.status) {
      vaultStatus = verdict.status;
      const message = verdict.body?.error.message ?? '';
      vaultError = `${verdict.body?.error.code ?? ''}: ${message}`;
      clientAddress = /Client address: ([0-9a-fA-F.:]+)/.exec(message)?.[1] ?? '';
    }
  }
  let mountJson: unknown = null;
  if (env.MOUNT_DIR) {
    const expected = (env.EXPECTED ?? '').split(/\s+/).filter(Boolean);
    const objects = expected.map((alias) => {
      const found = mount?.objects.find((object) => object.alias === alias);
      if (!found || found.value === undefined) return { alias, state: 'missing' };
      if (found.value === '') return { alias, state: 'empty' };
      return { alias, state: 'mounted', sha256: createHash('sha256').update(found.value, 'utf8').digest('hex') };
    });
    mountJson = { ok: objects.every((o) => o.state === 'mounted'), objects };
  }
  const line = {
    dns: { host: route.dns.host, addresses: route.dns.addresses, error: route.dns.error ?? '' },
    tcp443,
    // The vault's certificate covers *.vault.azure.net, the name the probe connects by.
    tls: tcp443,
    vaultStatus,
    vaultError,
    clientAddress,
    mount: mountJson,
  };
  return `${PROBE_MARKER} ${JSON.stringify(line)}\n`;
}

/** Kubernetes' default terminationMessagePath, and the most of the file the kubelet keeps. */
const DEFAULT_TERMINATION_LOG = '/dev/termination-log';
const TERMINATION_MESSAGE_BYTES = 4096;

/**
 * What the probe script leaves in its termination message: it writes its result line to
 * $TERMINATION_LOG when that is set, and the kubelet reports the file named by the container's
 * terminationMessagePath, its last 4096 bytes. Undefined when the script writes elsewhere.
 */
export function probeTerminationMessage(container: Container & { terminationMessagePath?: string }, log: string) {
  const target = (container.env ?? []).find((e) => e.name === 'TERMINATION_LOG')?.value;
  if (!target || target !== (container.terminationMessagePath ?? DEFAULT_TERMINATION_LOG)) return undefined;
  const bytes = Buffer.from(log, 'utf8');
  return bytes.length <= TERMINATION_MESSAGE_BYTES ? log : bytes.subarray(-TERMINATION_MESSAGE_BYTES).toString('utf8');
}
