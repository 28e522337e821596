/**
 * Parsing of helm's JSON output (`status -o json`, `list -o json`, `upgrade -o json`) into
 * the port's HelmRelease, and recognition of helm's known failure texts.
 */
import type { HelmRelease, HelmReleaseStatus } from './port.js';
import { UserError } from '../kernel/errors.js';

const knownStatuses: readonly HelmReleaseStatus[] = [
  'deployed',
  'failed',
  'pending-install',
  'pending-upgrade',
  'pending-rollback',
  'uninstalling',
  'superseded',
  'uninstalled',
];

function toReleaseStatus(value: unknown): HelmReleaseStatus {
  return knownStatuses.includes(value as HelmReleaseStatus) ? (value as HelmReleaseStatus) : 'unknown';
}

export function isPending(status: HelmReleaseStatus): boolean {
  return status.startsWith('pending-');
}

interface ReleaseJson {
  name?: string;
  namespace?: string;
  version?: number;
  info?: { status?: string };
  chart?: { metadata?: { name?: string; version?: string; appVersion?: string } };
  config?: Record<string, unknown> | null;
}

/**
 * The user-supplied values in a release document (`config`): what `helm get values` prints for
 * that revision, `{}` when there are none.
 */
export function releaseValues(stdout: string): Record<string, unknown> {
  return (JSON.parse(stdout) as ReleaseJson).config ?? {};
}

/** `helm status -o json` and `helm upgrade -o json` print the same release document. */
export function parseReleaseJson(stdout: string): HelmRelease {
  const doc = JSON.parse(stdout) as ReleaseJson;
  const meta = doc.chart?.metadata;
  return {
    name: doc.name ?? '',
    namespace: doc.namespace ?? '',
    status: toReleaseStatus(doc.info?.status),
    revision: Number(doc.version ?? 0),
    chart: meta ? `${meta.name}-${meta.version}` : '',
    ...(meta?.appVersion ? { appVersion: meta.appVersion } : {}),
  };
}

interface ListEntryJson {
  name: string;
  namespace: string;
  revision: string | number;
  status: string;
  chart: string;
  app_version?: string;
}

/**
 * The status filters that list every current release: helm 4 dropped `helm list --all`, and
 * by default both versions list only deployed and failed ones.
 */
export const EVERY_STATUS = ['--deployed', '--failed', '--pending', '--uninstalling'];

/** `helm list -A -o json`: chart is `<name>-<version>` in one string. */
export function parseReleaseList(stdout: string): HelmRelease[] {
  const text = stdout.trim();
  if (!text) return [];
  return (JSON.parse(text) as ListEntryJson[]).map((entry) => ({
    name: entry.name,
    namespace: entry.namespace,
    status: toReleaseStatus(entry.status),
    revision: Number(entry.revision),
    chart: entry.chart,
    ...(entry.app_version ? { appVersion: entry.app_version } : {}),
  }));
}

export function isReleaseNotFound(stderr: string): boolean {
  return /release: not found|release not loaded/i.test(stderr);
}

/** The texts helm prints for a release another client left in `pending-*` (HELM#4558). */
export function stuckReleaseError(release: string, namespace: string, status: string): UserError {
  const fix =
    status === 'pending-install'
      ? `helm uninstall ${release} -n ${namespace}`
      : `helm rollback ${release} -n ${namespace}`;
  return new UserError(
    `Release ${release} in namespace ${namespace} is stuck in ${status}: an earlier helm run was interrupted, so helm refuses another operation.`,
    `Roll it back to the last good revision (${fix}), then run again.`,
    [`release: ${release}`, `namespace: ${namespace}`, `status: ${status}`],
  );
}

export function isAnotherOperationInProgress(stderr: string): boolean {
  return /another operation \(install\/upgrade\/rollback\) is in progress/i.test(stderr);
}
