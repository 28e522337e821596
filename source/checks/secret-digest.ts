/**
 * Every migrated secret reaches the pod unchanged. The probe pod
 * that `connectivity.probe` already ran mounted the SecretProviderClass and hashed each
 * object in the pod; verifyInCluster compares those digests with ones computed here from the
 * sources. This is how a private vault (no data plane from the operator's machine) gets its
 * values verified. Digests travel pod → CLI only, stay in this function's memory, and no
 * message names anything but secret names.
 */
import { verifyInCluster } from '../secrets/verify.js';
import { probeSpec } from './probe.js';
import { fail, pass, skip, type Check } from './types.js';

/** The run's migratedSecrets reads the sources again (in memory only); called once, when there is a mount to compare with. */
export const secretDigestCheck: Check = {
  id: 'mount.secret-digests',
  category: 'mount',
  phase: 'after-setup',
  needsProbe: true,
  description: 'every migrated secret reaches the pod unchanged',
  severity: 'fatal',
  hint: (ctx) =>
    `Run feathr-kv-setup again to write the source values back; if they change again, something else writes to vault ${ctx.config.vault.name} (az monitor activity-log list --resource-group ${ctx.config.azure.resourceGroup}).`,
  async run(ctx, facts) {
    const probe = facts.probe;
    const spec = probeSpec(ctx, facts, false);
    if (!probe?.mount?.ok || !spec) return skip("the probe pod didn't mount the SecretProviderClass");
    const list = (await ctx.migratedSecrets?.()) ?? [];
    if (list.length === 0) return skip('the preset migrates no secrets');
    const undigested = probe.mount.objects.filter((o) => o.state === 'mounted' && !o.sha256).map((o) => o.alias);
    if (undigested.length > 0)
      return skip(`the probe image can't compute digests (no sha256sum) for ${undigested.join(', ')}`);
    // The mount the probe already made is the one compared: no second pod.
    const report = await verifyInCluster({ runProbe: async () => probe }, spec, list);
    const vaultNameOf = (env: string) => list.find((e) => e.env === env)?.vaultName ?? env;
    const named = (envs: readonly string[]) => envs.map((env) => `${vaultNameOf(env)} (${env})`).join(', ');
    const problems = [
      ...(report.mismatched.length > 0
        ? [
            `${named(report.mismatched)} in the pod ${report.mismatched.length === 1 ? "doesn't" : "don't"} match the source: vault ${ctx.config.vault.name} holds another value than the one this run migrated`,
          ]
        : []),
      ...(report.missing.length > 0
        ? [`${named(report.missing)} ${report.missing.length === 1 ? "isn't" : "aren't"} in the pod's mount`]
        : []),
    ];
    if (problems.length > 0) return fail(`Secret ${problems.join('; ')}.`);
    return pass(`${report.checked} secret(s) match their sources (sha256 computed in the pod)`);
  },
};
