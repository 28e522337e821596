/**
 * The check registry: every check, in the order it runs, grouped by category. A new check is
 * a new object in its category's file plus nothing here. Order matters because facts flow
 * forward (the AKS cluster record before permissions, the release before the probe).
 *
 * Entry points:
 * - runLocalChecks: before any change in every run; a fatal failure stops the run.
 * - runClusterChecks: after an install (the verify of the Feathr install) and in `check`.
 * - runAllChecks: `feathr-kv-setup check` against an existing install.
 */
import type { EventSink } from '../kernel/events.js';
import { azureChecks } from './azure-access.js';
import { clusterChecks } from './cluster.js';
import { identityChecks } from './identity.js';
import { inputChecks } from './inputs.js';
import { mountChecks } from './mount.js';
import { networkChecks } from './network.js';
import { probeChecks } from './probe.js';
import { runChecks } from './runner.js';
import { toolChecks } from './tools.js';
import type { Check, CheckContext, CheckFacts, CheckReport } from './types.js';

export type { Check, CheckContext, CheckFacts, CheckReport, CheckResult, CheckCategory } from './types.js';
export { renderCheckTable, summaryLine, summarizeChecks } from './render-table.js';
export { diagnoseText, diagnoseDnsAnswer } from './diagnose.js';

export const ALL_CHECKS: readonly Check[] = [
  ...toolChecks,
  ...azureChecks,
  ...inputChecks,
  ...clusterChecks,
  ...networkChecks,
  ...identityChecks,
  ...probeChecks,
  ...mountChecks,
];

export const LOCAL_CHECKS = ALL_CHECKS.filter((c) => c.phase === 'preflight');
export const CLUSTER_CHECKS = ALL_CHECKS.filter((c) => c.phase === 'installed');

/** Facts the installed-phase checks need from the preflight ones, re-read when run alone. */
export const FACT_SOURCES: ReadonlySet<string> = new Set(['azure.sign-in', 'azure.aks-cluster', 'cluster.context']);

export function runLocalChecks(ctx: CheckContext, emit: EventSink): Promise<CheckReport> {
  return runChecks(LOCAL_CHECKS, ctx, emit);
}

/**
 * The in-cluster checks. Pass the facts of an earlier runLocalChecks when there are any;
 * otherwise the few checks they depend on run again silently first.
 */
export async function runClusterChecks(ctx: CheckContext, emit: EventSink, facts?: CheckFacts): Promise<CheckReport> {
  const known = facts ?? (await runChecks(LOCAL_CHECKS.filter((c) => FACT_SOURCES.has(c.id)), ctx, () => {})).facts;
  return runChecks(CLUSTER_CHECKS, ctx, emit, known);
}

/** Everything, for `feathr-kv-setup check`. Vault-name availability is judged against what exists. */
export function runAllChecks(ctx: CheckContext, emit: EventSink): Promise<CheckReport> {
  return runChecks(ALL_CHECKS, ctx, emit);
}
