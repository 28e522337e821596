/**
 * What the Feathr release step reads and decides: the release's status, revision and values as
 * helm reports them, against the values this preset builds; ~ per differing field (names and
 * shapes only, never a value), a ~ per pipeline file whose digest differs from the one the release
 * holds, a bumped rotation token when the migration writes a secret the running pods read, and
 * the command that frees a release stuck in pending-*.
 */
import type { Change } from '../kernel/step.js';
import { stamp } from '../kernel/plan.js';
import type { HelmRelease } from '../kube/port.js';
import { feathrNamespace, feathrRelease, inContext, kubeOf } from './kube-shared.js';
import { chartDir, chartLabel, desiredValues, type ReleaseCtx } from './feathr-release-values.js';
import { fileChanges, fileDigests, pipelineFiles, withoutFileKeys } from './feathr-release-files.js';
import { monitorChange } from './feathr-release-monitor.js';
import { currentToken, nextToken, rotationChange, rotationEnabled } from './feathr-release-rotation.js';

/** The fix for a release an interrupted helm run left in pending-*. */
export function pendingFix(release: HelmRelease, context: string): string {
  const base = `-n ${release.namespace} --kube-context ${context}`;
  if (release.status === 'pending-install' && release.revision <= 1)
    return `helm uninstall ${release.name} ${base}, then run again.`;
  return `helm rollback ${release.name} ${Math.max(1, release.revision - 1)} ${base}, then run again.`;
}

/** Which values differ, as `keyVault.identity`-style paths (names and shapes only). */
function differingFields(current: Record<string, unknown>, wanted: Record<string, unknown>): string[] {
  const keys = [...new Set([...Object.keys(current), ...Object.keys(wanted)])].sort();
  return keys.flatMap((key) => {
    const a = current[key];
    const b = wanted[key];
    if (stamp(a) === stamp(b)) return [];
    const bothObjects =
      a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b);
    return bothObjects
      ? differingFields(a as Record<string, unknown>, b as Record<string, unknown>).map((inner) => `${key}.${inner}`)
      : [key];
  });
}

async function observeRelease(ctx: ReleaseCtx) {
  const kube = kubeOf(ctx);
  const release = feathrRelease(ctx.config);
  const namespace = feathrNamespace(ctx.config);
  const status = await kube.helmStatus(release, namespace);
  const current = status ? ((await kube.helmValues(release, namespace)) ?? {}) : null;
  return { kube, release, namespace, status, current };
}

export interface ReleasePlanOptions {
  /** Plan only: how many secrets the migration will write this run (a rotation bumps the token). */
  countSecretWrites?: () => Promise<number>;
  /** Apply: the token the plan chose (the migration has run since, so its diff is empty now). */
  rotationToken?: string;
}

export async function changesFor(ctx: ReleaseCtx, options: ReleasePlanOptions = {}) {
  const seen = await observeRelease(ctx);
  const resource = inContext(seen.kube, `Helm release ${seen.namespace}/${seen.release}`);
  const rotation = rotationEnabled(ctx.config);
  const keptToken = currentToken(seen.current);
  // Only a release that already runs needs a restart; a new one starts with the new values.
  const writes = rotation && seen.status && options.countSecretWrites ? await options.countSecretWrites() : 0;
  const token = options.rotationToken ?? (writes > 0 ? nextToken(keptToken) : keptToken);
  // With rotation off the tool doesn't manage the token: it keeps whatever the release has.
  const desired = await desiredValues(ctx, { rotationToken: token });
  const files = await pipelineFiles(ctx.config, ctx.secrets?.baseDir);
  const chart = chartLabel(chartDir(ctx));
  const what = `${desired.envs.length} secrets of vault ${ctx.config.vault.name} as env vars: ${desired.envs.join(', ')}`;
  const later = desired.pending ? `; values use ${desired.pending}` : '';
  const digests = fileDigests(seen.current, (desired.values ?? {}) as Record<string, unknown>, files);
  const bumped = writes > 0 && token !== keptToken;
  const fields =
    desired.values && seen.current
      ? differingFields(
          withoutFileKeys(seen.current),
          withoutFileKeys(desired.values as Record<string, unknown>),
        ).filter((f) => !(bumped && f.startsWith('rotation')))
      : [];
  const changes: Change[] = [];
  if (!seen.status)
    changes.push({
      mark: '+',
      resource,
      to: chart,
      reason: `Feathr with ${what}${later}${files.length > 0 ? `; ${files.map((f) => f.key).join(' and ')} from ${files.map((f) => f.setting).join(', ')}` : ''}`,
    });
  else if (seen.status.status !== 'deployed')
    changes.push({
      mark: '~',
      resource,
      field: 'status',
      from: seen.status.status,
      to: 'deployed',
      reason: `revision ${seen.status.revision} is ${seen.status.status}; upgrade again`,
    });
  else {
    if (seen.status.chart !== chart)
      changes.push({
        mark: '~',
        resource,
        field: 'chart',
        from: seen.status.chart,
        to: chart,
        reason: 'the shipped chart changed',
      });
    if (desired.pending)
      changes.push({ mark: '~', resource, field: 'keyVault.identity', reason: `uses ${desired.pending}` });
    for (const field of fields)
      changes.push({ mark: '~', resource, field, reason: 'differs from what this preset builds' });
    changes.push(...fileChanges(digests, resource));
  }
  if (seen.status && bumped) changes.push(rotationChange(resource, keptToken, token!, writes, ctx.config.vault.name));
  const monitor = monitorChange(ctx.config, seen.current, (what) => inContext(seen.kube, what));
  if (monitor) {
    // The monitor's own line says it better than its value fields do.
    for (let i = changes.length - 1; i >= 0; i -= 1) if (changes[i]!.field?.startsWith('monitor')) changes.splice(i, 1);
    changes.push(monitor);
  }
  if (changes.length === 0)
    changes.push({ mark: '=', resource, reason: `deployed (revision ${seen.status!.revision}) with ${what}` });
  const observed = {
    status: seen.status?.status ?? null,
    revision: seen.status?.revision ?? null,
    chart: seen.status?.chart ?? null,
    fields,
    pending: desired.pending ?? null,
    // Digests only: editing a pipeline file between plan and apply makes the plan stale.
    files: digests.map((d) => [d.key, d.current ?? null, d.wanted ?? null]),
    secretWrites: writes,
  };
  return { seen, desired, changes, observed, files };
}
