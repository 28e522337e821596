/**
 * The guided session in a terminal. The first frame is drawn before anything heavy loads:
 * only Ink, React and the screens are imported here; the connection, discovery and the engine
 * (and with them the Azure SDKs) come from wizard-session.ts, imported right after that frame.
 *
 * Ctrl-C arrives as a key in raw mode (exitOnCtrlC is off so the App can cancel the engine
 * and wait for its finalizers before exiting with 130).
 */
import { writeFileSync } from 'node:fs';
import { render } from 'ink';
import { App } from './App.js';
import { withSaneWidth } from './terminal-width.js';
import { raiseAgain } from '../connect/interrupt.js';
import type { SessionWhere } from './result-view.js';
import { startRun } from './run-handle.js';
import type { SetupRunner } from '../use-cases/wizard/run-io.js';
import type { WizardPort } from '../discovery/port.js';
import type { WizardSession } from '../use-cases/wizard/wizard-session.js';
import type { WizardTarget } from '../connect/wizard-connection.js';
import type { UninstallRunner } from '../use-cases/wizard/wizard-uninstaller.js';

export interface StartWizardOptions {
  target: WizardTarget;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  savePresetTo?: string;
  kubeContext?: string;
}

/**
 * FEATHR_KV_SETUP_FIRST_FRAME=FILE: write "<wall-clock ms> <ms since process start>" of the
 * first frame, for scripts/first-frame.ts.
 */
function markFirstFrame(env: StartWizardOptions['env']): void {
  const file = env.FEATHR_KV_SETUP_FIRST_FRAME;
  if (file) writeFileSync(file, `${performance.timeOrigin + performance.now()} ${performance.now()}`);
}

export async function startWizard(options: StartWizardOptions): Promise<number> {
  let session: Promise<WizardSession> | undefined;
  let exitCode = 130;
  // SIGTERM or SIGHUP (a closed terminal): end as ctrl-c does, the session closed (its
  // throwaway state folder removed), then by that signal.
  const stop = new AbortController();
  let received: 'SIGTERM' | 'SIGHUP' | undefined;
  const onSignal = (name: 'SIGTERM' | 'SIGHUP') => () => {
    received ??= name;
    stop.abort();
  };
  const onTerm = onSignal('SIGTERM');
  const onHup = onSignal('SIGHUP');
  process.on('SIGTERM', onTerm);
  process.on('SIGHUP', onHup);
  const port = new Promise<WizardPort>((resolve, reject) => {
    // After the first frame is on screen: load the SDKs and connect.
    setImmediate(() => {
      session = import('../use-cases/wizard/wizard-session.js').then(({ openWizardSession }) =>
        openWizardSession({ target: options.target, cwd: options.cwd, env: options.env }),
      );
      session.then((s) => resolve(s.port), reject);
    });
  });
  const runner: SetupRunner = async (config, io) => (await session!).runner(config, io);
  const uninstaller: UninstallRunner = async (config, io) => (await session!).uninstaller(config, io);
  const instance = render(
    <App
      port={port}
      {...(options.kubeContext ? { initialAnswers: { kubeContext: options.kubeContext }, kubeContextGiven: true } : {})}
      startRun={(config, prompted) => startRun(runner, config, { prompted })}
      startUninstall={(config) => startRun(uninstaller, config)}
      savePreset={async (input, path, typedNames) =>
        (await import('./save-preset.js')).savePresetFile(input, path, options.cwd, typedNames)
      }
      {...(options.savePresetTo ? { savePresetTo: options.savePresetTo } : {})}
      where={sessionWhere(options.target)}
      stop={stop.signal}
      onFinish={(code) => {
        exitCode = code;
      }}
    />,
    { exitOnCtrlC: false, stdout: withSaneWidth(process.stdout) },
  );
  markFirstFrame(options.env);
  try {
    await instance.waitUntilExit();
  } finally {
    process.removeListener('SIGTERM', onTerm);
    process.removeListener('SIGHUP', onHup);
    await session?.then(
      (s) => s.close(),
      () => undefined,
    );
  }
  if (received) raiseAgain(received);
  return exitCode;
}

function sessionWhere(target: WizardTarget): SessionWhere {
  if (target.kind === 'sandbox-url') return { kind: 'sandbox-url', url: target.url, caFile: target.caFile };
  // A sandbox this process runs is gone when it ends, as the --sandbox one is.
  return target.kind === 'azure' ? { kind: 'azure' } : { kind: 'sandbox' };
}
