/**
 * What the `plan` command and preset mode share: connect to Azure (real or sandbox), run the
 * setup use case with Ctrl-C wired to an AbortSignal, and report the result event. Commands
 * call this with their parsed input; the exit code comes back.
 *
 * Checks: JSON output passes every check.result event through; text output gathers them into
 * the grouped table (render-table.ts), printed when the batch ends: the preflight table before
 * the plan, the in-cluster table at the end. The result event carries the counts as `checks`.
 */
import type { EngineEvent, EventSink } from '../kernel/events.js';
import { runSetup, type SetupMode } from './run-setup.js';
import { ChecksFailedError } from './setup-checks.js';
import { renderCheckTable, summarizeChecks, type CheckRow } from '../checks/render-table.js';
import type { SetupConfig } from '../config/setup-config.js';
import type { AzureConnection } from '../azure/clients.js';
import type { Plan } from '../kernel/plan.js';
import type { KubePort } from '../kube/port.js';

export interface SetupCommandInput {
  config: SetupConfig;
  mode: SetupMode;
  flags: { yes: boolean; output: 'text' | 'json'; sandbox: boolean; sandboxUrl?: string; sandboxCa?: string; kubeContext?: string };
  /** The preset's folder: relative envFile paths resolve against it. */
  presetDir?: string;
  stdinIsTTY: boolean;
  emit: EventSink;
  /** The one approval prompt (TTY only); without one, approval can't be asked. */
  confirm?: (plan: Plan) => Promise<boolean>;
}

interface Ports {
  connection: AzureConnection;
  kube: KubePort;
  close: () => Promise<void>;
  /** Where the migration keeps its record of written versions; unset = the user's state dir. */
  stateDir?: string;
}

/** Azure and the cluster: both real, or both the sandbox's. */
export async function openPorts(input: SetupCommandInput): Promise<Ports> {
  const { flags, config } = input;
  const context = flags.kubeContext ?? config.cluster?.kubeContext ?? '';
  const { sandboxAzureConnection, realAzureConnection } = await import('../azure/connection.js');
  const sandboxPorts = async (url: string, caPem: string, close: () => Promise<void>): Promise<Ports> => {
    const [{ connectSandbox }, { SandboxKubePort }] = await Promise.all([import('../sandbox/client.js'), import('../kube/sandbox-adapter.js')]);
    const sandbox = await connectSandbox({ url, caPem });
    const { token } = await sandbox.credential.getToken(`${sandbox.url}/.default`);
    const kube = new SandboxKubePort({ url: sandbox.url, ca: caPem, token, context });
    return { connection: sandboxAzureConnection(sandbox), kube, close: async () => (kube.close(), await close()) };
  };
  if (flags.sandboxUrl && flags.sandboxCa) {
    const { readFile } = await import('node:fs/promises');
    return sandboxPorts(flags.sandboxUrl, await readFile(flags.sandboxCa, 'utf8'), async () => {});
  }
  if (flags.sandbox) {
    // The in-process world ends with this run, so a record of what was written to it would
    // only be litter in the user's state dir: keep it in a temp dir removed on close.
    const [{ startSandbox }, { mkdtemp, rm }, { tmpdir }, { join }] = await Promise.all([import('../sandbox/start.js'), import('node:fs/promises'), import('node:os'), import('node:path')]);
    const running = await startSandbox();
    const stateDir = await mkdtemp(join(tmpdir(), 'feathr-kv-sandbox-state-'));
    const ports = await sandboxPorts(running.url, running.caPem, async () => {
      await running.close();
      await rm(stateDir, { recursive: true, force: true });
    });
    return { ...ports, stateDir };
  }
  const { KubectlHelmAdapter } = await import('../kube/kubectl-helm-adapter.js');
  const connection = await realAzureConnection({ subscriptionId: config.azure.subscriptionId, ...(config.azure.tenantId ? { tenantId: config.azure.tenantId } : {}) });
  return { connection, kube: await KubectlHelmAdapter.create({ context }), close: async () => {} };
}

/** The plain approval prompt (the plan itself was already printed through plan.ready). */
async function askOnTerminal(plan: Plan): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`Apply these ${plan.changes} change${plan.changes === 1 ? '' : 's'}? Type yes to go ahead: `);
    return answer.trim().toLowerCase() === 'yes';
  } finally {
    rl.close();
  }
}

/**
 * Text mode: holds check.result rows back and emits them as one table (a log event, so the
 * log file gets what the screen shows) as soon as another event arrives or the run ends.
 */
function checkTables(output: 'text' | 'json', emit: EventSink): { emit: EventSink; flush: () => void; rows: CheckRow[] } {
  const all: CheckRow[] = [];
  let pending: CheckRow[] = [];
  let planned = false;
  const flush = () => {
    if (pending.length === 0) return;
    const heading = planned ? 'In-cluster checks' : 'Preflight checks';
    emit({ type: 'log', level: 'info', message: `${heading}\n\n${renderCheckTable(pending)}` });
    pending = [];
  };
  return {
    rows: all,
    flush,
    emit(event: EngineEvent) {
      if (event.type === 'check.result') {
        all.push(event);
        if (output === 'text') return void pending.push(event);
      } else flush();
      if (event.type === 'plan.ready') planned = true;
      emit(event);
    },
  };
}

export async function setupCommand(input: SetupCommandInput): Promise<number> {
  const { connection, kube, close, stateDir } = await openPorts(input);
  const abort = new AbortController();
  const onSigint = (): void => abort.abort();
  process.once('SIGINT', onSigint);
  const tables = checkTables(input.flags.output, input.emit);
  try {
    const hasTTY = input.stdinIsTTY && input.flags.output !== 'json';
    const outcome = await runSetup({
      config: input.config,
      mode: input.mode,
      yes: input.flags.yes,
      hasTTY,
      signal: abort.signal,
      emit: tables.emit,
      connection,
      kube,
      secrets: { kube, ...(input.presetDir ? { baseDir: input.presetDir } : {}), ...(stateDir ? { stateDir } : {}) },
      confirm: input.confirm ?? askOnTerminal,
    });
    tables.flush();
    const { plan } = outcome;
    const checks = summarizeChecks(tables.rows);
    if (input.mode !== 'apply') {
      const summary = plan.isEmpty ? 'No changes: everything matches the preset.' : `${plan.changes} change${plan.changes === 1 ? '' : 's'} pending${input.mode === 'dry-run' ? ' (dry run: nothing was changed)' : ''}.`;
      input.emit({ type: 'result', ok: true, exitCode: outcome.exitCode, summary, changes: plan.changes, checks });
      return outcome.exitCode;
    }
    const steps = outcome.applied?.verified.length ?? 0;
    const verified = outcome.checks.cluster ? `, in-cluster checks passed` : '';
    const summary = plan.isEmpty ? `Nothing to change; ${steps} steps verified${verified}.` : `Setup applied: ${plan.changes} change${plan.changes === 1 ? '' : 's'}, ${steps} steps verified${verified}.`;
    input.emit({ type: 'result', ok: true, exitCode: 0, summary, changes: plan.changes, checks });
    return 0;
  } catch (error) {
    tables.flush();
    if (!(error instanceof ChecksFailedError)) throw error;
    // Said here rather than by the top-level handler, so the result carries the check counts.
    const failed = error.results.filter((r) => r.status === 'fail').map((r) => r.id);
    input.emit({
      type: 'result',
      ok: false,
      exitCode: 1,
      checks: summarizeChecks(tables.rows),
      failed,
      error: { message: error.message, ...(error.hint ? { hint: error.hint } : {}), ...(error.details.length > 0 ? { details: error.details } : {}) },
    });
    return 1;
  } finally {
    process.removeListener('SIGINT', onSigint);
    await close();
  }
}
