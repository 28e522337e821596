/**
 * In-cluster connectivity, judged from the probe pod: one pod on the pod network
 * that also mounts the release's SecretProviderClass, and one on the host network, because
 * the Azure provider runs there and its DNS and egress can differ.
 */
import type { ProbeResult, ProbeSpec } from '../kube/port.js';
import { diagnoseDnsAnswer, diagnoseText, type Diagnosis } from './diagnose.js';
import { diagnosisContext } from './diagnosis-context.js';
import { fixes } from './fixes.js';
import { matchingRule } from '../domain/ip-rules.js';
import { fail, pass, skip, type Check, type CheckContext, type CheckFacts, type CheckOutcome } from './types.js';

export function probeSpec(ctx: CheckContext, facts: CheckFacts, hostNetwork: boolean): ProbeSpec | undefined {
  const release = facts.release;
  if (!release) return undefined;
  const kv = release.values.keyVault;
  const identity = kv?.identity;
  const workload = identity?.mode === 'workloadIdentity';
  return {
    namespace: release.namespace,
    hostNetwork,
    vaultName: kv?.name || ctx.config.vault.name,
    ...(ctx.probeImage ? { image: ctx.probeImage } : {}),
    // The mount is the node's work either way, so only the pod-network probe mounts.
    ...(hostNetwork
      ? {}
      : { secretProviderClass: release.spcName, expectedObjects: (kv?.secrets ?? []).map((s) => s.env) }),
    ...(workload ? { serviceAccount: release.serviceAccount, labels: { 'azure.workload.identity/use': 'true' } } : {}),
    ...(identity?.mode === 'servicePrincipal' ? { nodePublishSecretRef: identity.nodePublishSecretRef } : {}),
  };
}

const asFailure = (d: Diagnosis): CheckOutcome => fail(d.cause, { hint: d.fix, diagnosis: d.code });

/** DNS, then TCP/TLS, then what the vault answered: the first thing wrong, or undefined. */
function judgeProbe(ctx: CheckContext, facts: CheckFacts, probe: ProbeResult): CheckOutcome | undefined {
  const dctx = diagnosisContext(ctx, facts);
  const dns = diagnoseDnsAnswer(probe.dns.addresses, dctx, probe.dns.error);
  if (dns) return asFailure(dns);
  if (!probe.tcp443 || !probe.tls) {
    const what = probe.tcp443 ? 'completes TCP but not the TLS handshake' : "can't open TCP 443";
    return fail(`The cluster ${what} to vault ${dctx.vaultName} at ${probe.dns.addresses.join(', ')}.`, {
      hint: fixes.openPath(dctx),
      diagnosis: 'vault-unreachable',
    });
  }
  const diagnosis = probe.vaultError ? diagnoseText(probe.vaultError, dctx) : undefined;
  if (diagnosis && diagnosis.code !== 'rbac-denied' && diagnosis.code !== 'secret-not-found')
    return asFailure(diagnosis);
  // The vault may answer without naming the firewall (e.g. 401 before a token): compare anyway.
  const seen = probe.clientAddress;
  if (
    ctx.config.target === 'other-cloud' &&
    seen &&
    facts.vault &&
    facts.vault.defaultAction === 'Deny' &&
    !matchingRule(seen, facts.vault.ipRules)
  ) {
    return asFailure(diagnoseText(`ForbiddenByFirewall Client address: ${seen}`, dctx)!);
  }
  return undefined;
}

function describe(probe: ProbeResult): string {
  const egress = probe.clientAddress ? `; the vault sees ${probe.clientAddress}` : '';
  return `${probe.dns.host} → ${probe.dns.addresses.join(', ')}, TCP 443 and TLS work${egress}`;
}

export const probeChecks: readonly Check[] = [
  {
    id: 'connectivity.probe',
    category: 'connectivity',
    phase: 'installed',
    description: 'the probe pods run in the namespace',
    severity: 'fatal',
    needsProbe: true,
    hint: (ctx) =>
      `kubectl get events --namespace ${ctx.config.feathr?.namespace ?? 'feathr'}; if the image can't be pulled, set probe.image to one your cluster can pull (it needs sh, getent, curl and sha256sum)`,
    async run(ctx, facts) {
      if (!ctx.kube || !facts.clusterReachable) return skip("the cluster isn't reachable");
      const podSpec = probeSpec(ctx, facts, false);
      const hostSpec = probeSpec(ctx, facts, true);
      if (!podSpec || !hostSpec) return skip("the Feathr release isn't deployed, so there's nothing to mount");
      // A pod whose CSI mount fails never starts, so it can't measure the network: the network
      // is probed by pods without the volume, and the mount by its own pod, side by side.
      const { secretProviderClass: _spc, expectedObjects: _expected, ...networkSpec } = podSpec;
      // Side by side: the network from a pod and from the host, and the mount in its own pod.
      // On another cloud, the pods node-egress judges (the mount's spec pinned to each Linux
      // node) join the batch: one apply, one poll and one delete for all of them.
      const nodes =
        ctx.config.target === 'other-cloud'
          ? (facts.csi ?? (await ctx.kube.csiDriverState())).nodes.map((n) => n.name)
          : [];
      const outcomes = await ctx.kube.runProbes([
        networkSpec,
        hostSpec,
        podSpec,
        ...nodes.map((nodeName) => ({ ...podSpec, nodeName })),
      ]);
      const [network, hostProbe, mountProbe] = outcomes.slice(0, 3).map((outcome) => {
        if (outcome.status === 'rejected') throw outcome.reason;
        return outcome.value;
      }) as [ProbeResult, ProbeResult, ProbeResult];
      const probe = {
        ...network,
        ...(mountProbe.mount ? { mount: mountProbe.mount } : {}),
        cleanedUp: network.cleanedUp && mountProbe.cleanedUp,
        podName: `${network.podName}, ${mountProbe.podName}`,
      };
      const leftovers = [network, hostProbe, mountProbe].filter((p) => !p.cleanedUp).map((p) => p.podName);
      const found = {
        probe,
        hostProbe,
        ...(nodes.length > 0 ? { nodeProbes: { nodes, outcomes: outcomes.slice(3) } } : {}),
      };
      if (leftovers.length > 0) {
        return {
          status: 'warn',
          message: `probe pod ${leftovers.join(', ')} wasn't removed`,
          hint: `kubectl delete pod --namespace ${podSpec.namespace} ${leftovers.join(' ')}`,
          facts: found,
        };
      }
      return pass(`${[network, hostProbe, mountProbe].map((p) => p.podName).join(', ')} (removed)`, found);
    },
  },
  {
    id: 'connectivity.pod-network',
    category: 'connectivity',
    phase: 'installed',
    description: 'pods resolve and reach the vault',
    severity: 'fatal',
    needsProbe: true,
    hint: (ctx, facts) => fixes.openPath(diagnosisContext(ctx, facts)),
    async run(ctx, facts) {
      if (!facts.probe) return skip("the probe pod didn't run");
      return judgeProbe(ctx, facts, facts.probe) ?? pass(describe(facts.probe));
    },
  },
  {
    id: 'connectivity.host-network',
    category: 'connectivity',
    phase: 'installed',
    description: 'the host network (where the provider runs) resolves and reaches the vault',
    severity: 'fatal',
    needsProbe: true,
    hint: (ctx, facts) => fixes.openPath(diagnosisContext(ctx, facts)),
    async run(ctx, facts) {
      if (!facts.hostProbe) return skip("the host-network probe pod didn't run");
      return judgeProbe(ctx, facts, facts.hostProbe) ?? pass(describe(facts.hostProbe));
    },
  },
];
