/**
 * What the `plan` command and preset mode share: connect to Azure (real or sandbox), run the
 * setup use case with Ctrl-C wired to an AbortSignal, and report the result event. Commands
 * call this with their parsed input; the exit code comes back.
 */
import type { EventSink } from './events.js';
import { runSetup, type SetupMode } from './run-setup.js';
import type { SetupConfig } from './setup-config.js';
import type { AzureConnection } from '../azure/clients.js';
import type { Plan } from './plan.js';
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
    const { startSandbox } = await import('../sandbox/start.js');
    const running = await startSandbox();
    return sandboxPorts(running.url, running.caPem, () => running.close());
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

export async function setupCommand(input: SetupCommandInput): Promise<number> {
  const { connection, kube, close } = await openPorts(input);
  const abort = new AbortController();
  const onSigint = (): void => abort.abort();
  process.once('SIGINT', onSigint);
  try {
    const hasTTY = input.stdinIsTTY && input.flags.output !== 'json';
    const outcome = await runSetup({
      config: input.config,
      mode: input.mode,
      yes: input.flags.yes,
      hasTTY,
      signal: abort.signal,
      emit: input.emit,
      connection,
      kube,
      secrets: { kube, ...(input.presetDir ? { baseDir: input.presetDir } : {}) },
      confirm: input.confirm ?? askOnTerminal,
    });
    const { plan } = outcome;
    if (input.mode !== 'apply') {
      const summary = plan.isEmpty ? 'No changes: everything matches the preset.' : `${plan.changes} change${plan.changes === 1 ? '' : 's'} pending${input.mode === 'dry-run' ? ' (dry run: nothing was changed)' : ''}.`;
      input.emit({ type: 'result', ok: true, exitCode: outcome.exitCode, summary, changes: plan.changes });
      return outcome.exitCode;
    }
    const steps = outcome.applied?.verified.length ?? 0;
    input.emit({ type: 'result', ok: true, exitCode: 0, summary: plan.isEmpty ? `Nothing to change; ${steps} steps verified.` : `Setup applied: ${plan.changes} change${plan.changes === 1 ? '' : 's'}, ${steps} steps verified.`, changes: plan.changes });
    return 0;
  } finally {
    process.removeListener('SIGINT', onSigint);
    await close();
  }
}
