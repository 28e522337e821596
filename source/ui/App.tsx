/**
 * The guided session. It walks the questions (each answer merged into one Answers object),
 * validates them with the preset validation, hands the Config to the runner, and shows the
 * run. Keys: arrows and enter inside screens; escape goes back one screen; ctrl-c cancels at
 * any point (before the run nothing has changed; during it the engine is aborted and its
 * finalizers run before the process exits).
 */
import { useState } from 'react';
import { Box, Text, useApp, useInput } from 'ink';
import type { Config, ConfigInput } from '../config/schema.js';
import { resolveAnswers, type Answers } from './answers.js';
import { nextScreen, screenSequence, type ScreenId } from './flow.js';
import { QuestionScreen } from './question-screen.js';
import { RunScreen } from './run-screen.js';
import { buildTopology, type TopologyFacts } from './topology-model.js';
import { useLoad } from './use-load.js';
import { WelcomeScreen } from './screens/welcome-screen.js';
import type { Decision, RunHandle } from './run-handle.js';
import type { WizardPort } from './wizard-port.js';

export interface AppProps {
  /** Loaded after the first frame (the Azure SDKs come with it). */
  port: Promise<WizardPort>;
  initialAnswers?: Answers;
  /** --kube-context given: that question is skipped. */
  kubeContextGiven?: boolean;
  random?: () => number;
  /** Starts the engine on the validated configuration. */
  startRun: (config: Config) => RunHandle;
  savePreset: (input: ConfigInput, path: string) => Promise<string>;
  /** Set when --save-preset was given: the preset is written when the answers are complete. */
  savePresetTo?: string;
  /** Called once at the end with the exit code (0, 1, 130). */
  onFinish: (exitCode: number) => void;
}

type Phase = { kind: 'questions'; screen: ScreenId } | { kind: 'problems'; problems: string[] } | { kind: 'run'; run: RunHandle; input: ConfigInput };

export function App(props: AppProps) {
  const { exit } = useApp();
  const portLoad = useLoad(() => props.port, [props.port]);
  const port = portLoad.state === 'ready' ? portLoad.data : undefined;
  const detected = useLoad(async () => (port ? port.detect() : new Promise<never>(() => {})), [port]);
  const [answers, setAnswers] = useState<Answers>(props.initialAnswers ?? {});
  const [facts, setFacts] = useState<TopologyFacts>({});
  const [history, setHistory] = useState<ScreenId[]>([]);
  const [phase, setPhase] = useState<Phase>({ kind: 'questions', screen: 'welcome' });
  const [cancelling, setCancelling] = useState(false);
  const [savedTo, setSavedTo] = useState<string>();
  const options = { kubeContextGiven: props.kubeContextGiven };

  const finish = (code: number) => {
    props.onFinish(code);
    exit();
  };
  const goBack = () => {
    const previous = history[history.length - 1];
    if (!previous) return;
    setHistory(history.slice(0, -1));
    setPhase({ kind: 'questions', screen: previous });
  };
  const lastScreen = () => screenSequence(answers, options).at(-1)!;

  useInput((input, key) => {
    if (key.ctrl && input === 'c') {
      if (phase.kind === 'run' && !phase.run.cancelled) {
        setCancelling(true);
        phase.run.cancel();
        void phase.run.done.then(() => finish(130));
      } else if (phase.kind !== 'run') {
        finish(130);
      }
      return;
    }
    if (key.escape && phase.kind !== 'run') goBack();
  });

  const answered = (current: ScreenId, patch: Partial<Answers>, factsPatch?: Partial<TopologyFacts>) => {
    const merged = { ...answers, ...patch };
    setAnswers(merged);
    if (factsPatch) setFacts({ ...facts, ...factsPatch });
    setHistory([...history, current]);
    const next = nextScreen(current, merged, options);
    if (next) return setPhase({ kind: 'questions', screen: next });
    const resolved = resolveAnswers(merged);
    if (!resolved.ok) return setPhase({ kind: 'problems', problems: resolved.problems });
    const begin = () => setPhase({ kind: 'run', run: props.startRun(resolved.config), input: resolved.input });
    if (props.savePresetTo) {
      props.savePreset(resolved.input, props.savePresetTo).then((path) => {
        setSavedTo(path);
        begin();
      }, (error: unknown) => setPhase({ kind: 'problems', problems: [`Can't save the preset: ${error instanceof Error ? error.message : String(error)}`] }));
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
    return (
      <RunScreen
        run={phase.run}
        topology={buildTopology(answers, facts)}
        kubeContext={answers.kubeContext ?? ''}
        namespace="feathr"
        savedTo={savedTo}
        cancelling={cancelling}
        onDecide={(d) => (d === 'cancel' ? (decide(phase.run, d), void phase.run.done.then(finish)) : decide(phase.run, d))}
        onSavePreset={async (path) => {
          const written = await props.savePreset(phase.input, path);
          setSavedTo(written);
          return written;
        }}
        onExit={() => void phase.run.done.then(finish)}
      />
    );
  }
  if (phase.kind === 'problems') {
    return (
      <Box flexDirection="column">
        <Text bold>✖ The answers don't make a valid configuration yet:</Text>
        {phase.problems.map((p, i) => (
          <Text key={i}>{`  ${p}`}</Text>
        ))}
        <Text dimColor>  esc back · ctrl-c quit</Text>
      </Box>
    );
  }
  if (phase.screen === 'welcome' || !port) {
    return <WelcomeScreen detected={detected} onDone={() => answered('welcome', detectedAnswers(detected, answers))} />;
  }
  return (
    <QuestionScreen
      key={phase.screen}
      id={phase.screen as Exclude<ScreenId, 'welcome'>}
      answers={answers}
      facts={facts}
      port={port}
      random={props.random ?? Math.random}
      onDone={(patch, factsPatch) => answered(phase.screen, patch, factsPatch)}
    />
  );
}

function detectedAnswers(detected: ReturnType<typeof useLoad<import('./wizard-port.js').Detected>>, answers: Answers): Partial<Answers> {
  if (detected.state !== 'ready') return {};
  const d = detected.data;
  return {
    ...(answers.subscriptionId || !d.subscriptionId ? {} : { subscriptionId: d.subscriptionId }),
    ...(answers.tenantId || !d.tenantId ? {} : { tenantId: d.tenantId }),
  };
}
