/**
 * Helm's release storage and verbs on a simulated cluster, with Helm's semantics: every
 * install/upgrade/rollback adds a revision and supersedes the deployed one; a release left in
 * `pending-*` blocks the next operation; `--wait` fails with `context deadline exceeded` when
 * the pods don't come up; `--atomic` undoes a failed attempt.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { HelmInstallRequest, HelmRelease, HelmReleaseStatus } from './wire.js';
import type { SandboxState } from '../world/state.js';
import type { ChartMeta } from './feathr-chart.js';
import { applyChart, checkProviderConflict } from './helm-effects.js';
import { mergeSetFiles, type SandboxHelmRequest } from './helm-files.js';
import { ensureNamespace } from './objects.js';
import type { ClusterState, HelmReleaseState, HelmRevisionState } from './state.js';

export class HelmError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HelmError';
  }
}

const MAX_HISTORY = 10;

export function chartMeta(request: Pick<HelmInstallRequest, 'chart' | 'version'>): ChartMeta {
  const chartFile = path.join(request.chart, 'Chart.yaml');
  if (existsSync(chartFile)) {
    const chart = parse(readFileSync(chartFile, 'utf8')) as { name: string; version: string; appVersion?: string };
    return { name: chart.name, version: String(chart.version), appVersion: chart.appVersion };
  }
  const name = request.chart.split('/').pop() ?? request.chart;
  return { name, version: request.version ?? (name.includes('csi-secrets-store-provider-azure') ? '1.8.2' : '0.1.0') };
}

function key(namespace: string, release: string): string {
  return `${namespace}/${release}`;
}

function current(release: HelmReleaseState): HelmRevisionState {
  return release.history[release.history.length - 1];
}

function toRelease(release: HelmReleaseState): HelmRelease {
  const revision = current(release);
  return {
    name: release.name,
    namespace: release.namespace,
    status: revision.status,
    revision: revision.revision,
    chart: revision.chart,
    appVersion: revision.appVersion,
  };
}

export function helmStatus(cluster: ClusterState, name: string, namespace: string): HelmRelease | null {
  const release = cluster.helmReleases.get(key(namespace, name));
  return release ? toRelease(release) : null;
}

export function helmValues(cluster: ClusterState, name: string, namespace: string): Record<string, unknown> | null {
  const release = cluster.helmReleases.get(key(namespace, name));
  return release ? structuredClone(current(release).values) : null;
}

function assertNotPending(release: HelmReleaseState | undefined, verb: string): void {
  if (release && current(release).status.startsWith('pending-')) {
    throw new HelmError(`Error: ${verb} FAILED: another operation (install/upgrade/rollback) is in progress`);
  }
}

function addRevision(release: HelmReleaseState, revision: Omit<HelmRevisionState, 'revision'>): HelmRevisionState {
  for (const previous of release.history) if (previous.status === 'deployed') previous.status = 'superseded';
  const next = { ...revision, revision: (release.history.at(-1)?.revision ?? 0) + 1 };
  release.history.push(next);
  if (release.history.length > MAX_HISTORY) release.history.splice(0, release.history.length - MAX_HISTORY);
  return next;
}

export function helmUpgradeInstall(
  state: SandboxState,
  cluster: ClusterState,
  sent: SandboxHelmRequest,
  now: number,
): HelmRelease {
  const existing = cluster.helmReleases.get(key(sent.namespace, sent.release));
  const verb = existing ? 'UPGRADE' : 'INSTALLATION';
  let merged;
  try {
    merged = mergeSetFiles(sent);
  } catch (error) {
    throw new HelmError((error as Error).message);
  }
  const { fileContents: _sent, ...rest } = sent;
  const request: HelmInstallRequest = { ...rest, values: merged.values };
  assertNotPending(existing, 'UPGRADE');
  if (!cluster.namespaces.has(request.namespace)) {
    if (!request.createNamespace)
      throw new HelmError(
        `Error: ${verb} FAILED: create: failed to create: namespaces "${request.namespace}" not found`,
      );
    ensureNamespace(cluster, request.namespace);
  }
  const meta = chartMeta(request);
  try {
    checkProviderConflict(state, cluster, request, meta);
  } catch (error) {
    throw new HelmError(`Error: ${verb} FAILED: ${(error as Error).message}`);
  }
  const release = existing ?? { name: request.release, namespace: request.namespace, history: [] };
  cluster.helmReleases.set(key(request.namespace, request.release), release);
  const previous = existing ? current(existing) : undefined;
  const revision = addRevision(release, {
    status: 'deployed',
    chart: `${meta.name}-${meta.version}`,
    appVersion: meta.appVersion,
    values: structuredClone(request.values),
    ...(merged.files.length > 0 ? { files: merged.files } : {}),
    description: existing ? 'Upgrade complete' : 'Install complete',
    updated: now,
  });
  const effect = applyChart(state, cluster, request, meta, now);
  if (effect.notReady && request.wait) {
    revision.status = 'failed';
    revision.description = `${existing ? 'Upgrade' : 'Release'} "${request.release}" failed: context deadline exceeded`;
    if (request.atomic) {
      if (!existing) {
        cluster.helmReleases.delete(key(request.namespace, request.release));
        throw new HelmError(
          `Error: INSTALLATION FAILED: release ${request.release} failed, and has been uninstalled due to atomic being set: context deadline exceeded`,
        );
      }
      if (previous) helmRollback(state, cluster, request.release, request.namespace, previous.revision, now);
      throw new HelmError(
        `Error: UPGRADE FAILED: release ${request.release} failed, and has been rolled back due to atomic being set: context deadline exceeded`,
      );
    }
    throw new HelmError(`Error: ${verb} FAILED: context deadline exceeded`);
  }
  return toRelease(release);
}

export function helmRollback(
  state: SandboxState,
  cluster: ClusterState,
  name: string,
  namespace: string,
  revisionNumber: number | undefined,
  now: number,
): void {
  const release = cluster.helmReleases.get(key(namespace, name));
  if (!release) throw new HelmError(`Error: release: not found`);
  assertNotPending(release, 'ROLLBACK');
  const targetNumber = revisionNumber ?? current(release).revision - 1;
  const target = release.history.find((revision) => revision.revision === targetNumber);
  if (!target) throw new HelmError(`Error: release has no ${targetNumber} version`);
  addRevision(release, {
    ...structuredClone(target),
    status: 'deployed',
    description: `Rollback to ${targetNumber}`,
    updated: now,
  });
  const [chartName] = target.chart.split(/-(?=\d)/);
  applyChart(
    state,
    cluster,
    { release: name, namespace, chart: chartName, values: target.values, wait: false, timeoutSeconds: 0 },
    { name: chartName, version: target.chart.slice(chartName.length + 1), appVersion: target.appVersion },
    now,
  );
}

/** Removes the release and the objects it made; synced Secrets stay behind, as on a real cluster. */
export function helmUninstall(cluster: ClusterState, name: string, namespace: string): 'uninstalled' | 'absent' {
  if (!cluster.helmReleases.delete(key(namespace, name))) return 'absent';
  const ns = cluster.namespaces.get(namespace);
  for (const [objectKey, object] of ns?.objects ?? []) {
    const labels = object.metadata.labels ?? {};
    if (labels['app.kubernetes.io/instance'] === name && labels['app.kubernetes.io/managed-by'] === 'Helm')
      ns?.objects.delete(objectKey);
  }
  return 'uninstalled';
}

/** Test and control hook: leave a release as an interrupted client would (`pending-*`). */
export function setReleaseStatus(
  cluster: ClusterState,
  name: string,
  namespace: string,
  status: HelmReleaseStatus,
): void {
  const release = cluster.helmReleases.get(key(namespace, name));
  if (!release) throw new HelmError('Error: release: not found');
  current(release).status = status;
}
