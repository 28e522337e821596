/**
 * Everything the guided session needs from outside the terminal, opened after the first frame:
 * the connection (sandbox or Azure), discovery over it, and the runner over the engine. The
 * Azure SDKs load with this module, which is why start-wizard imports it lazily.
 */
import { defaultStateDir } from '../../secrets/written-record.js';
import { createDiscovery } from '../../discovery/service.js';
import type { SetupRunner } from './run-io.js';
import { openWizardConnection, type WizardTarget } from '../../connect/wizard-connection.js';
import { throwawayStateDir } from '../../connect/state-dir.js';
import { wizardRunner } from './wizard-runner.js';
import { wizardUninstaller, type UninstallRunner } from './wizard-uninstaller.js';
import type { WizardPort } from '../../discovery/port.js';

export interface WizardSessionOptions {
  target: WizardTarget;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
}

export interface WizardSession {
  port: WizardPort;
  runner: SetupRunner;
  /** Removes what a setup made; never the vault. */
  uninstaller: UninstallRunner;
  /** Stops discovery calls still in flight and closes the sandbox this session started. */
  close(): Promise<void>;
}

export async function openWizardSession(options: WizardSessionOptions): Promise<WizardSession> {
  const connection = await openWizardConnection(options.target);
  const abort = new AbortController();
  // An in-process sandbox ends with the session, so its record of written versions goes to a
  // temp dir removed on close instead of littering the user's state dir.
  const throwaway = options.target.kind === 'sandbox' ? await throwawayStateDir() : undefined;
  const stateDir = throwaway?.path ?? defaultStateDir(options.env as NodeJS.ProcessEnv);
  const port = createDiscovery({
    azure: connection.azure,
    clusters: connection.clusters,
    sandbox: connection.sandbox,
    ...(connection.account ? { account: connection.account } : {}),
    ...(connection.subscriptions ? { subscriptions: connection.subscriptions } : {}),
    cwd: options.cwd,
    stateDir,
    signal: abort.signal,
    env: options.env,
  });
  return {
    port,
    runner: wizardRunner(connection, { cwd: options.cwd, stateDir }),
    uninstaller: wizardUninstaller(connection),
    async close() {
      abort.abort();
      await connection.close();
      await throwaway?.remove();
    },
  };
}
