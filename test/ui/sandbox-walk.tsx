/**
 * The guided session over the in-process sandbox with the real discovery adapter and the
 * real engine: the App as start-wizard renders it, minus the terminal. Used by the walk tests.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { App } from '../../source/ui/App.js';
import { startRun } from '../../source/ui/run-handle.js';
import { savePresetFile } from '../../source/ui/save-preset.js';
import { openWizardSession, type WizardSession } from '../../source/use-cases/wizard/wizard-session.js';
import { startSandbox, type RunningSandbox } from '../../source/sandbox/start.js';
import { credentialFor } from '../../source/connect/sandbox-client.js';
import { sandboxAzureConnection } from '../../source/azure/connection.js';
import { createAzureClients, type AzureClients } from '../../source/azure/clients.js';
import { runCli } from '../cli/run-cli.js';
import { KEY, waitForText } from './ink-helpers.js';
import { testTempDir } from '../helpers/temp-dir.js';

export interface Walk {
  sandbox: RunningSandbox;
  session: WizardSession;
  /** SDK clients as the operator, to read back what the run built. */
  arm: AzureClients;
  dir: string;
  caFile: string;
  codes: number[];
  frame(): string;
  /** Every frame written so far (ink-testing-library keeps them all). */
  frames(): string[];
  /** Waits for `text`, then sends `key` (enter by default). */
  step(text: string, key?: string): Promise<void>;
  type(text: string): void;
  /** Backspace n times; one key per write, as a terminal sends them (a chunk is one input). */
  erase(count: number): void;
  waitFor(text: string, timeoutMs?: number): Promise<string>;
  /** The headless CLI against the same served sandbox. */
  cli(args: string[], env?: Record<string, string>): ReturnType<typeof runCli>;
  writesSince(index: number): { method: string; path: string }[];
  close(): Promise<void>;
}

/** `sandbox`: walk over a sandbox an earlier walk left (it is then not closed here). */
export async function startWalk(options: { savePresetTo?: string; sandbox?: RunningSandbox } = {}): Promise<Walk> {
  const sandbox = options.sandbox ?? (await startSandbox({ rbacPropagationSeconds: 0 }));
  const dir = testTempDir('wizard-walk-');
  const caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, sandbox.caPem);
  // The wizard's run and the headless re-run share the migration's written-record.
  const env = { ...process.env, FEATHR_KV_SETUP_STATE_DIR: join(dir, 'state') };
  process.env.FEATHR_KV_SETUP_STATE_DIR = env.FEATHR_KV_SETUP_STATE_DIR;
  const session = await openWizardSession({
    target: { kind: 'sandbox-running', url: sandbox.url, caPem: sandbox.caPem },
    cwd: dir,
    env,
  });
  const codes: number[] = [];
  const app = render(
    <App
      port={Promise.resolve(session.port)}
      random={() => 0.5}
      startRun={(config, prompted) => startRun(session.runner, config, { prompted })}
      startUninstall={(config) => startRun(session.uninstaller, config)}
      savePreset={(input, path, typedNames) => savePresetFile(input, path, dir, typedNames)}
      onFinish={(code) => codes.push(code)}
      {...(options.savePresetTo ? { savePresetTo: options.savePresetTo } : {})}
    />,
  );
  const waitFor = (text: string, timeoutMs = 20_000) => waitForText(app.lastFrame, text, timeoutMs);
  const operator = sandbox.state.principals.get(sandbox.state.operatorId)!;
  const arm = createAzureClients(
    sandboxAzureConnection({
      url: sandbox.url,
      caPem: sandbox.caPem,
      subscriptionId: sandbox.subscriptionId,
      tenantId: sandbox.tenantId,
      credential: credentialFor(operator.token),
    }),
  );
  return {
    sandbox,
    session,
    arm,
    dir,
    caFile,
    codes,
    frame: () => app.lastFrame() ?? '',
    frames: () => app.frames,
    async step(text, key = KEY.enter) {
      await waitFor(text);
      app.stdin.write(key);
    },
    type: (text) => app.stdin.write(text),
    erase(count) {
      for (let i = 0; i < count; i += 1) app.stdin.write('\u007F');
    },
    waitFor,
    cli: (args, extra = {}) =>
      runCli([...args, '--sandbox-url', sandbox.url, '--sandbox-ca', caFile], {
        cwd: dir,
        env: { NO_COLOR: '1', ...extra },
      }),
    writesSince: (index) =>
      sandbox.state.requestLog
        .slice(index)
        .filter((r) => r.write)
        .map(({ method, path }) => ({ method, path })),
    async close() {
      app.unmount();
      await session.close();
      if (!options.sandbox) await sandbox.close();
    },
  };
}
