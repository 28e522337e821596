/**
 * Mount: every mapped secret exists in the vault (management plane, so the vault firewall
 * doesn't stand in the way), the probe mounts each object with the real identity and finds
 * it non-empty (one missing or empty object fails the whole mount),
 * and the driver syncs them into the Secret Feathr's environment comes from.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { ProbeResult } from '../kube/port.js';
import { chartNames } from './cluster.js';
import { diagnoseText } from './diagnose.js';
import { diagnosisContext } from './diagnosis-context.js';
import { fixes } from './fixes.js';
import { probeSpec } from './probe.js';
import { fail, pass, skip, type Check, type CheckContext, type CheckFacts, type CheckOutcome } from './types.js';

const mapping = (facts: CheckFacts) => facts.release?.values.keyVault?.secrets ?? [];

/**
 * Re-runs the mounting probe until the role takes effect or the bounded wait ends. The pause
 * between probes listens to the run's signal: on Azure it is 15 s, and Ctrl-C must end it at
 * once (the rejection reaches the runner, which reports the run as cancelled).
 */
async function waitForRole(
  ctx: CheckContext,
  facts: CheckFacts,
): Promise<{ probe: ProbeResult; waitedMs: number } | undefined> {
  const spec = probeSpec(ctx, facts, false);
  if (!ctx.kube || !spec) return undefined;
  const started = Date.now();
  let probe: ProbeResult | undefined;
  while (Date.now() - started + ctx.pollIntervalMs <= ctx.waitTimeoutMs) {
    await delay(ctx.pollIntervalMs, undefined, { signal: ctx.signal });
    probe = await ctx.kube.runProbe(spec);
    if (probe.mount?.ok) return { probe, waitedMs: Date.now() - started };
  }
  return probe ? { probe, waitedMs: Date.now() - started } : undefined;
}

function judgeMount(ctx: CheckContext, facts: CheckFacts, probe: ProbeResult): CheckOutcome {
  const dctx = diagnosisContext(ctx, facts);
  const mount = probe.mount!;
  const vaultNameOf = (alias: string) => mapping(facts).find((m) => m.env === alias)?.vaultName ?? alias;
  // A whole-mount failure names its cause (identity, RBAC, network); a missing object is
  // better told per object, since the provider reports only the first one.
  const diagnosis = !mount.ok && mount.error ? diagnoseText(mount.error, dctx) : undefined;
  if (diagnosis && diagnosis.code !== 'secret-not-found')
    return fail(diagnosis.cause, { hint: diagnosis.fix, diagnosis: diagnosis.code });
  const missing = mount.objects.filter((o) => o.state === 'missing').map((o) => vaultNameOf(o.alias));
  if (missing.length > 0) {
    return fail(
      `Secret ${missing.join(', ')} doesn't exist in vault ${dctx.vaultName}, and one missing object fails the whole mount.`,
      {
        hint: missing.map((name) => fixes.addSecret(dctx, name)).join('; '),
        diagnosis: 'secret-not-found',
      },
    );
  }
  const empty = mount.objects.filter((o) => o.state === 'empty').map((o) => vaultNameOf(o.alias));
  if (empty.length > 0) {
    return fail(`Secret ${empty.join(', ')} in vault ${dctx.vaultName} is empty, so Feathr gets a blank value.`, {
      hint: empty.map((name) => fixes.fillSecret(dctx, name)).join('; '),
    });
  }
  if (!mount.ok)
    return fail(
      diagnosis?.cause ?? `The mount fails: ${mount.error ?? 'no reason given'}.`,
      diagnosis ? { hint: diagnosis.fix, diagnosis: diagnosis.code } : {},
    );
  return pass(`${mount.objects.length} object(s) mounted, none empty`);
}

export const mountChecks: readonly Check[] = [
  {
    id: 'mount.vault-secrets',
    category: 'mount',
    phase: 'installed',
    description: 'every mapped secret exists in the vault',
    severity: 'fatal',
    hint: "Re-run feathr-kv-setup with the secrets' sources so it migrates them, or remove them from the mapping.",
    async run(ctx, facts) {
      if (!ctx.azure) return skip('no Azure connection in this run');
      if (!facts.vault) return skip("the vault can't be read");
      if (!facts.release) return skip("the Feathr release isn't deployed, so the mapping is unknown");
      const names = new Set<string>();
      for await (const s of ctx.azure.keyVault.secrets.list(facts.vault.resourceGroup, ctx.config.vault.name, {
        abortSignal: ctx.signal,
      })) {
        if (s.name) names.add(s.name.toLowerCase());
      }
      const missing = mapping(facts).filter((m) => !names.has(m.vaultName.toLowerCase()));
      if (missing.length > 0) {
        const dctx = diagnosisContext(ctx, facts);
        return fail(
          `Vault ${ctx.config.vault.name} has no secret ${missing.map((m) => `${m.vaultName} (for ${m.env})`).join(', ')}, and one missing object fails the whole mount.`,
          {
            hint: missing.map((m) => fixes.addSecret(dctx, m.vaultName)).join('; '),
            diagnosis: 'secret-not-found',
          },
        );
      }
      return pass(`${mapping(facts).length} secret(s) present`);
    },
  },
  {
    id: 'mount.objects',
    category: 'mount',
    phase: 'installed',
    description: 'the SecretProviderClass mounts every object, none empty',
    severity: 'fatal',
    needsProbe: true,
    hint: (ctx, facts) => fixes.reinstallChart(diagnosisContext(ctx, facts)),
    async run(ctx, facts) {
      if (!facts.probe?.mount) return skip("the probe pod didn't mount the SecretProviderClass");
      const first = judgeMount(ctx, facts, facts.probe);
      // A granted role that hasn't reached the data plane yet: wait for it with real mounts, bounded.
      if (first.diagnosis !== 'rbac-denied' || !facts.podIdentity?.roleAssigned) return first;
      const waited = await waitForRole(ctx, facts);
      if (!waited) return first;
      const outcome = judgeMount(ctx, facts, waited.probe);
      const seconds = Math.round(waited.waitedMs / 1000);
      if (outcome.status === 'pass')
        return {
          ...outcome,
          message: `${outcome.message} after ${seconds} s of role propagation`,
          facts: { probe: waited.probe },
        };
      return {
        ...outcome,
        message: `${outcome.message ?? ''} Still so after waiting ${seconds} s for the role to propagate.`.trim(),
        facts: { probe: waited.probe },
      };
    },
  },
  {
    id: 'mount.synced-secret',
    category: 'mount',
    phase: 'installed',
    description: 'the synced Secret holds every variable',
    severity: 'fatal',
    needsProbe: true,
    hint: (ctx, facts) => fixes.enableSync(diagnosisContext(ctx, facts)),
    async run(ctx, facts) {
      if (!ctx.kube || !facts.release) return skip("the Feathr release isn't deployed");
      if (!facts.probe?.mount?.ok) return skip("the mount doesn't work yet");
      const { name, namespace, values } = facts.release;
      const secretName = chartNames(name, values).syncedSecret;
      const keys = new Set((await ctx.kube.secretKeys(namespace, secretName)) ?? []);
      const absent = mapping(facts)
        .filter((m) => !keys.has(m.env))
        .map((m) => m.env);
      if (absent.length === 0) return pass(`${secretName}: ${keys.size} key(s)`);
      const events = await ctx.kube.warningEvents(namespace);
      const dctx = diagnosisContext(ctx, facts);
      // The driver reports a forbidden sync in its own log, not always as an event: the driver's
      // state (no sync role) tells the same.
      const diagnosis =
        events.map((e) => diagnoseText(e.message, dctx)).find((d) => d?.code === 'sync-rbac-missing') ??
        (facts.csi?.syncSecretEnabled === false ? diagnoseText('failed to create Kubernetes secret', dctx) : undefined);
      const what =
        keys.size === 0
          ? `Secret ${secretName} doesn't exist in namespace ${namespace}`
          : `Secret ${secretName} lacks ${absent.join(', ')}`;
      return fail(
        `${what}, so Feathr starts without those variables${diagnosis ? `: ${diagnosis.cause}` : '.'}`,
        diagnosis ? { hint: diagnosis.fix, diagnosis: diagnosis.code } : {},
      );
    },
  },
];
