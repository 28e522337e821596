/**
 * The check registry: every check, in the order it runs, grouped by category. A new check is
 * a new object in its category's file plus nothing here. Order matters because facts flow
 * forward (the AKS cluster record before permissions, the release before the probe).
 *
 * A setup run takes the preflight checks before planning and the verify checks after apply;
 * `feathr-kv-setup check` runs the preflight and installed ones (runAllChecks).
 */
import type { EventSink } from '../kernel/events.js';
import { azureChecks } from './azure-access.js';
import { clusterChecks } from './cluster.js';
import { identityChecks } from './identity.js';
import { inputChecks } from './inputs.js';
import { mountChecks } from './mount.js';
import { networkChecks } from './network.js';
import { nodeEgressChecks } from './node-egress.js';
import { probeChecks } from './probe.js';
import { releaseInputChecks } from './release-inputs.js';
import { runChecks } from './runner.js';
import { toolChecks } from './tools.js';
import { secretDigestCheck } from './secret-digest.js';
import type { Check, CheckContext, CheckReport } from './types.js';

const ALL_CHECKS: readonly Check[] = [
  ...toolChecks,
  ...azureChecks,
  ...inputChecks,
  ...clusterChecks,
  ...releaseInputChecks,
  ...networkChecks,
  ...identityChecks,
  ...probeChecks,
  ...nodeEgressChecks,
  ...mountChecks,
  secretDigestCheck,
];

export const LOCAL_CHECKS = ALL_CHECKS.filter((c) => c.phase === 'preflight');
/** After a setup run's apply: what an install left, and what this run wrote. */
export const VERIFY_CHECKS = ALL_CHECKS.filter((c) => c.phase === 'installed' || c.phase === 'after-setup');

/** Facts the installed-phase checks need from the preflight ones, re-read when run alone. */
export const FACT_SOURCES: ReadonlySet<string> = new Set(['azure.sign-in', 'azure.aks-cluster', 'cluster.context']);

/** For `feathr-kv-setup check` against an existing install. Vault-name availability is judged against what exists. */
export function runAllChecks(ctx: CheckContext, emit: EventSink): Promise<CheckReport> {
  return runChecks(
    ALL_CHECKS.filter((c) => c.phase !== 'after-setup' && !c.setupOnly),
    ctx,
    emit,
  );
}
