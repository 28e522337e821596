/**
 * The guided session's SetupRunner: the engine's runSetup (preflight checks → plan → the one
 * approval → apply → verify → in-cluster checks) on the wizard's Config. runSetup doesn't emit
 * run.started or result, so this wrapper does, as setupCommand does for preset mode. Errors are
 * left to the RunHandle, which turns them into the result event.
 */
import { runSetup } from '../setup/run-setup.js';
import type { SetupRunner } from './run-io.js';
import type { WizardConnection } from '../../connect/wizard-connection.js';
import { wizardRunBasics } from './wizard-run-basics.js';

export interface WizardRunnerOptions {
  /** Relative .env paths in the answers resolve against this. */
  cwd: string;
  stateDir?: string;
}

export function wizardRunner(wizard: WizardConnection, options: WizardRunnerOptions): SetupRunner {
  return async (config, io) => {
    const { connection, kube, apply } = await wizardRunBasics(wizard, config, io, 'setup');
    const prompted = io.prompted;
    // A sandbox run pulls charts from the sandbox's own repository; the saved answers keep theirs.
    const run = wizard.chartRepo ? { ...config, csi: { ...config.csi, chartRepo: wizard.chartRepo } } : config;
    const outcome = await runSetup({
      config: run,
      ...apply,
      connection,
      ...(kube ? { kube } : {}),
      secrets: {
        ...(kube ? { kube } : {}),
        baseDir: options.cwd,
        ...(options.stateDir ? { stateDir: options.stateDir } : {}),
        ...(prompted.length > 0 ? { prompted } : {}),
        ...(wizard.migrationTuning ? { tuning: wizard.migrationTuning } : {}),
      },
    });
    // runSetup ran the preflight and in-cluster checks itself (their check.result events fill
    // the result screen's table); a fatal one throws, and the RunHandle reports it.
    const steps = outcome.applied?.verified.length ?? 0;
    const verified = outcome.checks.cluster ? ', in-cluster checks passed' : '';
    const summary = outcome.plan.isEmpty
      ? `Nothing to change; ${steps} steps verified${verified}.`
      : `Setup applied: ${outcome.plan.changes} change${outcome.plan.changes === 1 ? '' : 's'}, ${steps} steps verified${verified}.`;
    io.emit({ type: 'result', ok: true, exitCode: 0, summary, changes: outcome.plan.changes });
  };
}
