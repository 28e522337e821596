/**
 * The guided session. It walks the questions (each answer merged into one Answers object),
 * validates them with the preset validation, hands the Config to the runner, and shows the
 * run. Keys: arrows and enter inside screens; escape goes back one screen; ctrl-c cancels at
 * any point (before the run nothing has changed; during it the engine is aborted and its
 * finalizers run before the process exits). Values typed into masked prompts live only in
 * this component's state and go to the run as `prompted` values, never into answers.
 */
import { useEffect, useRef, useState } from 'react';
import { Box, Text, useApp, useInput } from 'ink';
import type { Config, ConfigInput } from '../config/schema.js';
import type { SetupConfig } from '../config/setup-config.js';
import type { SourcedValue } from '../secrets/secret-entry.js';
import type { Answers } from '../discovery/port.js';
import { nextScreen, screenSequence, type ScreenId } from './flow.js';
import { QuestionScreen } from './question-screen.js';
import { RunScreen, type RunMode } from './run-screen.js';
import type { SessionWhere } from './result-view.js';
import { buildTopology, type TopologyFacts } from './topology-model.js';
import { withTyped } from './typed-secrets.js';
import { useLoad } from './use-load.js';
import { WelcomeScreen } from './screens/welcome-screen.js';
import type { Decision, RunHandle } from './run-handle.js';
import type { FoundInstall, WizardPort } from '../discovery/port.js';
import { MARK } from '../output/marks.js';
import { BackRegistryProvider, useBackRegistry } from './back-scope.js';
import { TooNarrow, tooNarrow, useColumns } from './terminal-width.js';
import { PrintedLines } from './printed-lines.js';

export interface AppProps {
  /** Loaded after the first frame (the Azure SDKs come with it). */
  port: Promise<WizardPort>;
  initialAnswers?: Answers;
  /** --kube-context given: that question is skipped. */
  kubeContextGiven?: boolean;
  random?: () => number;
  /** Starts the engine on the validated configuration, with the values typed in the wizard. */
  startRun: (config: Config, prompted: readonly SourcedValue[]) => RunHandle;
  /** Starts removing what a setup made (never the vault: --delete-vault is CLI-only). */
  startUninstall?: (config: SetupConfig) => RunHandle;
  /** Writes the preset; typed names are listed as env sources, never with a value. */
  savePreset: (input: ConfigInput, path: string, typedNames: readonly string[]) => Promise<string>;
  /** Set when --save-preset was given: the preset is written when the answers are complete. */
  savePresetTo?: string;
  /** Called once at the end with the exit code (0, 1, 130). */
  onFinish: (exitCode: number) => void;
  /** Where the session runs, for next steps that work as printed. */
  where?: SessionWhere;
  /** Aborted when the process is told to stop (SIGTERM, SIGHUP): ends the session as ctrl-c does. */
  stop?: AbortSignal;
}

type Phase =
  | { kind: 'questions'; screen: ScreenId }
  | { kind: 'problems'; problems: string[] }
  | { kind: 'run'; mode: RunMode; run: RunHandle; config: SetupConfig; input?: ConfigInput };

const never = () => new Promise<never>(() => {});

export function App(props: AppProps) {
  return (
    <PrintedLines>
      <Session {...props} />
    </PrintedLines>
  );
}

function Session(props: AppProps) {
  const { exit } = useApp();
  const portLoad = useLoad(() => props.port, [props.port]);
  const port = portLoad.state === 'ready' ? portLoad.data : undefined;
  const detected = useLoad(async () => (port ? port.detect() : never()), [port]);
  const installs = useLoad(async () => (port ? port.installs() : never()), [port]);
  const [answers, setAnswers] = useState<Answers>(props.initialAnswers ?? {});
  const [typed, setTyped] = useState<readonly SourcedValue[]>([]);
  const [facts, setFacts] = useState<TopologyFacts>({});
  const [history, setHistory] = useState<ScreenId[]>([]);
  const [phase, setPhase] = useState<Phase>({ kind: 'questions', screen: 'welcome' });
  const [cancelling, setCancelling] = useState(false);
  const [cancelledRunDone, setCancelledRunDone] = useState(false);
  const [savedTo, setSavedTo] = useState<string>();
  const options = { kubeContextGiven: props.kubeContextGiven };
  const { registry, backInScope } = useBackRegistry();
  const columns = useColumns();
  const typedNames = typed.map((t) => t.env);

  const finish = (code: number) => {
    props.onFinish(code);
    exit();
  };
  useEffect(() => {
    if (!cancelledRunDone) return undefined;
    // Ink writes frames at most every ~33 ms: wait one more so the line reaches the terminal.
    const timer = setTimeout(() => finish(130), 50);
    return () => clearTimeout(timer);
  }, [cancelledRunDone]);
  const goBack = () => {
    const previous = history[history.length - 1];
    if (!previous) return;
    setHistory(history.slice(0, -1));
    setPhase({ kind: 'questions', screen: previous });
  };
  const lastScreen = () => screenSequence(answers, options).at(-1)!;

  // Ctrl-C, or a stop signal: a running engine is cancelled and its finalizers run first.
  const cancelSession = () => {
    if (phase.kind === 'run' && !phase.run.cancelled) {
      setCancelling(true);
      phase.run.cancel();
      // Exit from an effect, once the frame with the cancelling line is up: a run with nothing
      // slow in flight stops within a millisecond, before the next frame.
      void phase.run.done.then(() => setCancelledRunDone(true));
    } else if (phase.kind !== 'run') {
      finish(130);
    }
  };
  const cancelRef = useRef(cancelSession);
  cancelRef.current = cancelSession;
  useEffect(() => {
    const stop = props.stop;
    if (!stop) return;
    const onStop = () => cancelRef.current();
    if (stop.aborted) onStop();
    stop.addEventListener('abort', onStop);
    return () => stop.removeEventListener('abort', onStop);
  }, [props.stop]);

  useInput((input, key) => {
    if (key.ctrl && input === 'c') {
      cancelSession();
      return;
    }
    // A step inside the current screen first (its BackScope), else the previous screen.
    if (key.escape && phase.kind !== 'run' && !backInScope()) goBack();
  });

  const uninstall = (config: SetupConfig) => {
    if (!props.startUninstall) return;
    setCancelling(false);
    setPhase({ kind: 'run', mode: 'uninstall', run: props.startUninstall(config), config });
  };

  const answered = async (current: ScreenId, patch: Partial<Answers>, factsPatch?: Partial<TopologyFacts>) => {
    const merged = { ...answers, ...patch };
    setAnswers(merged);
    if (factsPatch) setFacts({ ...facts, ...factsPatch });
    setHistory([...history, current]);
    const next = nextScreen(current, merged, options);
    if (next) return setPhase({ kind: 'questions', screen: next });
    // zod comes with the validation: loaded now, not before the first frame.
    const { resolveAnswers } = await import('./resolve-answers.js');
    const resolved = resolveAnswers(merged);
    if (!resolved.ok) return setPhase({ kind: 'problems', problems: resolved.problems });
    const begin = () =>
      setPhase({
        kind: 'run',
        mode: 'setup',
        run: props.startRun(resolved.config, typed),
        config: resolved.config,
        input: resolved.input,
      });
    if (props.savePresetTo) {
      props.savePreset(resolved.input, props.savePresetTo, typedNames).then(
        (path) => {
          setSavedTo(path);
          begin();
        },
        (error: unknown) =>
          setPhase({
            kind: 'problems',
            problems: [`Can't save the preset: ${error instanceof Error ? error.message : String(error)}`],
          }),
      );
    } else begin();
  };

  const decide = (run: RunHandle, decision: Decision) => {
    run.decide(decision);
    if (decision === 'back') {
      setPhase({ kind: 'questions', screen: lastScreen() });
      setHistory(history.slice(0, -1));
    }
  };

  if (phase.kind === 'run') {
    const { run, input, config, mode } = phase;
    return (
      <RunScreen
        key={`${mode}`}
        mode={mode}
        run={run}
        topology={mode === 'setup' ? buildTopology(answers, facts) : undefined}
        kubeContext={config.cluster?.kubeContext ?? ''}
        namespace={config.feathr?.namespace ?? 'feathr'}
        savedTo={savedTo}
        typedNames={typedNames}
        cancelling={cancelling}
        onDecide={(d) => (d === 'cancel' ? (decide(run, d), void run.done.then(finish)) : decide(run, d))}
        onSavePreset={async (path) => {
          const written = await props.savePreset(input!, path, typedNames);
          setSavedTo(written);
          return written;
        }}
        {...(mode === 'setup' && props.startUninstall
          ? { onUninstall: () => void run.done.then(() => uninstall(config)) }
          : {})}
        onExit={() => void run.done.then(finish)}
        {...(props.where ? { where: props.where } : {})}
      />
    );
  }
  // The questions wait for a wider terminal (answers so far are kept); a run keeps rendering.
  if (tooNarrow(columns)) return <TooNarrow columns={columns} />;
  if (portLoad.state === 'failed') {
    return (
      <Box flexDirection="column">
        <Text>{`${MARK.fail} Can't start: ${portLoad.error}`}</Text>
        <Text dimColor> ctrl-c quit</Text>
      </Box>
    );
  }
  if (phase.kind === 'problems') {
    return (
      <Box flexDirection="column">
        <Text bold>{MARK.fail} The answers don't make a valid configuration yet:</Text>
        {phase.problems.map((p, i) => (
          <Text key={i}>{`  ${p}`}</Text>
        ))}
        <Text dimColor> esc back · ctrl-c quit</Text>
      </Box>
    );
  }
  if (phase.screen === 'welcome' || !port) {
    return (
      <WelcomeScreen
        detected={detected}
        installs={installs}
        onDone={(found) => answered('welcome', { ...detectedAnswers(detected, answers), ...(found?.answers ?? {}) })}
        {...(props.startUninstall ? { onUninstall: (found: FoundInstall) => uninstall(found.config) } : {})}
      />
    );
  }
  return (
    <BackRegistryProvider registry={registry}>
      <QuestionScreen
        key={phase.screen}
        id={phase.screen as Exclude<ScreenId, 'welcome'>}
        answers={answers}
        facts={facts}
        port={port}
        typed={typedNames}
        onTyped={(env, value) => setTyped((current) => withTyped(current, env, value))}
        random={props.random ?? Math.random}
        onDone={(patch, factsPatch) => void answered(phase.screen, patch, factsPatch)}
      />
    </BackRegistryProvider>
  );
}

function detectedAnswers(
  detected: ReturnType<typeof useLoad<import('../discovery/port.js').Detected>>,
  answers: Answers,
): Partial<Answers> {
  if (detected.state !== 'ready') return {};
  const d = detected.data;
  return {
    ...(answers.subscriptionId || !d.subscriptionId ? {} : { subscriptionId: d.subscriptionId }),
    ...(answers.tenantId || !d.tenantId ? {} : { tenantId: d.tenantId }),
  };
}
