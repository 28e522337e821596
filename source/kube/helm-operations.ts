/**
 * Helm operations over the bound tools. Values always go in a 0600 temp file (never
 * --set), and a release stuck in `pending-*` is reported with its fix before helm runs.
 */
import { askBinary } from './binary-answers.js';
import type { HelmInstallRequest, HelmRelease } from './port.js';
import type { BoundTools } from './tool-context.js';
import { commandFailed } from './run-tool.js';
import { withTempFile } from './temp-file.js';
import { assertSupportedHelm, parseHelmVersion, rollbackOnFailureFlag, type HelmVersion } from './helm-version.js';
import {
  EVERY_STATUS,
  isAnotherOperationInProgress,
  isPending,
  isReleaseNotFound,
  parseReleaseJson,
  releaseValues,
  parseReleaseList,
  stuckReleaseError,
} from './helm-release.js';

export async function detectHelmVersion(tools: BoundTools): Promise<HelmVersion> {
  // `helm version` needs no cluster, so it runs without --kube-context.
  const run = await askBinary(tools.helmBinary, ['version', '--template', '{{.Version}}']);
  return assertSupportedHelm(parseHelmVersion(run.stdout));
}

/**
 * The release as `helm list` reports it: `helm status -o json` leaves the chart out (helm 3.17
 * and 4.1 print name, info, manifest, version and namespace only), and the plan compares charts.
 * Every status is asked for, so a release left in pending-* shows too.
 */
export async function helmStatus(tools: BoundTools, release: string, namespace: string): Promise<HelmRelease | null> {
  const escaped = release.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const run = await tools.helm([
    'list',
    '--namespace',
    namespace,
    '--filter',
    `^${escaped}$`,
    ...EVERY_STATUS,
    '--output',
    'json',
  ]);
  return parseReleaseList(run.stdout).find((entry) => entry.name === release) ?? null;
}

/** A repository trusted with its own CA (the sandbox's), passed to helm as --ca-file. */
export interface TrustedRepo {
  url: string;
  caFile: string;
}

function upgradeArgs(
  request: HelmInstallRequest,
  valuesFile: string,
  version: HelmVersion,
  trusted?: TrustedRepo,
): string[] {
  // With --repo, helm wants the bare chart name; `repo/chart` is how callers name it.
  const chart = request.repoUrl ? request.chart.split('/').pop()! : request.chart;
  const args = ['upgrade', '--install', request.release, chart, '--namespace', request.namespace];
  if (request.repoUrl) args.push('--repo', request.repoUrl);
  if (request.repoUrl && trusted && request.repoUrl === trusted.url) args.push('--ca-file', trusted.caFile);
  if (request.version) args.push('--version', request.version);
  if (request.createNamespace) args.push('--create-namespace');
  args.push('--values', valuesFile);
  for (const [key, path] of Object.entries(request.files ?? {})) args.push('--set-file', `${key}=${path}`);
  if (request.wait) args.push('--wait');
  args.push('--timeout', `${request.timeoutSeconds}s`);
  if (request.atomic) args.push(rollbackOnFailureFlag(version));
  args.push('--output', 'json');
  return args;
}

export async function helmUpgradeInstall(
  tools: BoundTools,
  version: HelmVersion,
  request: HelmInstallRequest,
  tempDir?: string,
  trusted?: TrustedRepo,
  touches?: readonly string[],
  /** The release as last read (the adapter's reading); asked here when not given. */
  existing?: HelmRelease | null,
): Promise<{ release: HelmRelease; values: Record<string, unknown> }> {
  if (existing === undefined) existing = await helmStatus(tools, request.release, request.namespace);
  if (existing && isPending(existing.status))
    throw stuckReleaseError(request.release, request.namespace, existing.status);
  const run = await withTempFile(
    'values.json',
    JSON.stringify(request.values, null, 2),
    async (valuesFile) => {
      const args = upgradeArgs(request, valuesFile, version, trusted);
      const result = await tools.helm(args, { allowFailure: true, ...(touches ? { touches } : {}) });
      if (result.exitCode === 0) return result;
      if (isAnotherOperationInProgress(result.stderr)) {
        const now = await helmStatus(tools, request.release, request.namespace);
        throw stuckReleaseError(request.release, request.namespace, now?.status ?? 'pending-upgrade');
      }
      throw commandFailed(tools.helmBinary, [...args, '--kube-context', tools.context], result);
    },
    tempDir,
  );
  // `upgrade --output json` prints the release as stored, its values included.
  return { release: parseReleaseJson(run.stdout), values: releaseValues(run.stdout) };
}

export async function helmRollback(
  tools: BoundTools,
  release: string,
  namespace: string,
  revision?: number,
): Promise<void> {
  const args = [
    'rollback',
    release,
    ...(revision ? [String(revision)] : []),
    '--namespace',
    namespace,
    '--wait',
    '--timeout',
    '300s',
  ];
  await tools.helm(args);
}

export async function helmUninstall(
  tools: BoundTools,
  release: string,
  namespace: string,
): Promise<'uninstalled' | 'absent'> {
  const args = ['uninstall', release, '--namespace', namespace];
  const run = await tools.helm(args, { allowFailure: true });
  if (run.exitCode === 0) return 'uninstalled';
  if (isReleaseNotFound(run.stderr)) return 'absent';
  throw commandFailed(tools.helmBinary, [...args, '--kube-context', tools.context], run);
}

export async function helmValues(
  tools: BoundTools,
  release: string,
  namespace: string,
): Promise<Record<string, unknown> | null> {
  const args = ['get', 'values', release, '--namespace', namespace, '--output', 'json'];
  const run = await tools.helm(args, { allowFailure: true });
  if (run.exitCode !== 0) {
    if (isReleaseNotFound(run.stderr)) return null;
    throw commandFailed(tools.helmBinary, [...args, '--kube-context', tools.context], run);
  }
  // A release installed without user values prints `null`.
  return (JSON.parse(run.stdout || 'null') as Record<string, unknown> | null) ?? {};
}
