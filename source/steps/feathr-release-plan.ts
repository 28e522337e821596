/**
 * What the Feathr release step reads and decides: the release's status, revision and values as
 * helm reports them, against the values this preset builds; ~ per differing field (names and
 * shapes only, never a value), and the command that frees a release stuck in pending-*.
 */
import type { Change } from '../engine/step.js';
import { stamp } from '../engine/plan.js';
import type { HelmRelease } from '../kube/port.js';
import { feathrNamespace, feathrRelease, inContext, kubeOf } from './kube-shared.js';
import { chartDir, chartLabel, desiredValues, type ReleaseCtx } from './feathr-release-values.js';

/** The fix for a release an interrupted helm run left in pending-*. */
export function pendingFix(release: HelmRelease, context: string): string {
  const base = `-n ${release.namespace} --kube-context ${context}`;
  if (release.status === 'pending-install' && release.revision <= 1) return `helm uninstall ${release.name} ${base}, then run again.`;
  return `helm rollback ${release.name} ${Math.max(1, release.revision - 1)} ${base}, then run again.`;
}

/** Which values differ, as `keyVault.identity`-style paths (names and shapes only). */
function differingFields(current: Record<string, unknown>, wanted: Record<string, unknown>): string[] {
  const keys = [...new Set([...Object.keys(current), ...Object.keys(wanted)])].sort();
  return keys.flatMap((key) => {
    const a = current[key];
    const b = wanted[key];
    if (stamp(a) === stamp(b)) return [];
    const bothObjects = a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b);
    return bothObjects ? differingFields(a as Record<string, unknown>, b as Record<string, unknown>).map((inner) => `${key}.${inner}`) : [key];
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

export async function changesFor(ctx: ReleaseCtx) {
  const seen = await observeRelease(ctx);
  const desired = await desiredValues(ctx);
  const chart = chartLabel(chartDir(ctx));
  const resource = inContext(seen.kube, `Helm release ${seen.namespace}/${seen.release}`);
  const what = `${desired.envs.length} secrets of vault ${ctx.config.vault.name} as env vars (${desired.envs.join(', ')})`;
  const later = desired.pending ? `; values use ${desired.pending}` : '';
  const fields = desired.values && seen.current ? differingFields(seen.current, desired.values as Record<string, unknown>) : [];
  const changes: Change[] = [];
  if (!seen.status) changes.push({ mark: '+', resource, to: chart, reason: `Feathr with ${what}${later}` });
  else if (seen.status.status !== 'deployed') changes.push({ mark: '~', resource, field: 'status', from: seen.status.status, to: 'deployed', reason: `revision ${seen.status.revision} is ${seen.status.status}; upgrade again` });
  else {
    if (seen.status.chart !== chart) changes.push({ mark: '~', resource, field: 'chart', from: seen.status.chart, to: chart, reason: 'the shipped chart changed' });
    if (desired.pending) changes.push({ mark: '~', resource, field: 'keyVault.identity', reason: `uses ${desired.pending}` });
    for (const field of fields) changes.push({ mark: '~', resource, field, reason: 'differs from what this preset builds' });
  }
  if (changes.length === 0) changes.push({ mark: '=', resource, reason: `deployed (revision ${seen.status!.revision}) with ${what}` });
  const observed = { status: seen.status?.status ?? null, revision: seen.status?.revision ?? null, chart: seen.status?.chart ?? null, fields, pending: desired.pending ?? null };
  return { seen, desired, changes, observed };
}
