/**
 * The kv-monitor's history as `check` shows it above its live results: read from the
 * ConfigMap the monitor's Jobs write (one `run-<epoch>-<pod>` key per run, time, node, the
 * address the vault saw and pass/fail per check; never a value).
 */
import type { KubePort } from '../kube/port.js';

interface MonitorRun {
  time: string;
  node: string;
  address: string;
  ok: boolean;
  /** The first failed check (dns, tcp, tls, firewall, token, secrets, freshness). */
  failed: string;
  checks: Record<string, string>;
}

export interface MonitorHistory {
  configMap: string;
  runs: number;
  failedRuns: number;
  last?: MonitorRun;
  lastFailure?: MonitorRun;
  /** The first run of the current streak of failures (absent when the last run passed). */
  failingSince?: string;
  failingRuns: number;
}

function parseRun(text: string): MonitorRun | undefined {
  try {
    const run = JSON.parse(text) as Partial<MonitorRun>;
    if (typeof run.time !== 'string' || typeof run.ok !== 'boolean') return undefined;
    return {
      time: run.time,
      node: run.node ?? '',
      address: run.address ?? '',
      ok: run.ok,
      failed: run.failed ?? '',
      checks: run.checks ?? {},
    };
  } catch {
    // A key someone edited by hand: skipped, the other runs still count.
    return undefined;
  }
}

export function summarizeRuns(configMap: string, data: Record<string, string>): MonitorHistory {
  // Keys sort by their epoch seconds (fixed width until the year 2286).
  const runs = Object.keys(data)
    .filter((key) => /^run-\d+-/.test(key))
    .sort()
    .map((key) => parseRun(data[key]!))
    .filter((run): run is MonitorRun => run !== undefined);
  const failed = runs.filter((run) => !run.ok);
  let streak = 0;
  while (streak < runs.length && !runs[runs.length - 1 - streak]!.ok) streak += 1;
  return {
    configMap,
    runs: runs.length,
    failedRuns: failed.length,
    ...(runs.length ? { last: runs[runs.length - 1] } : {}),
    ...(failed.length ? { lastFailure: failed[failed.length - 1] } : {}),
    ...(streak ? { failingSince: runs[runs.length - streak]!.time } : {}),
    failingRuns: streak,
  };
}

/** null when there's no ConfigMap (monitor off, or the release not installed). */
export async function readMonitorHistory(
  kube: KubePort,
  namespace: string,
  configMap: string,
): Promise<MonitorHistory | null> {
  const data = await kube.configMapData(namespace, configMap);
  return data ? summarizeRuns(configMap, data) : null;
}

const failure = (run: MonitorRun) =>
  `check ${run.failed} on node ${run.node}${run.address ? ` (the vault saw ${run.address})` : ''}`;

/**
 * Monitor history (ConfigMap feathr-online-kv-monitor, last 12 runs):
 *   failing since 2026-12-05T10:05:00Z: the last 3 runs failed; 4 of 12 failed
 *   last failure 2026-12-05T10:20:00Z: check firewall on node aks-nodes-0 (the vault saw 52.14.20.1)
 */
export function renderMonitorHistory(h: MonitorHistory, namespace: string): string {
  const head = `Monitor history (ConfigMap ${namespace}/${h.configMap}, last ${h.runs} run${h.runs === 1 ? '' : 's'}):`;
  if (!h.last) return `${head}\n  no run recorded yet`;
  const state = h.failingSince
    ? `failing since ${h.failingSince}: the last ${h.failingRuns} run${h.failingRuns === 1 ? '' : 's'} failed; ${h.failedRuns} of ${h.runs} failed`
    : `passing at ${h.last.time}; ${h.failedRuns} of ${h.runs} run${h.runs === 1 ? '' : 's'} failed`;
  const last = h.lastFailure ? `\n  last failure ${h.lastFailure.time}: ${failure(h.lastFailure)}` : '';
  return `${head}\n  ${state}${last}`;
}
