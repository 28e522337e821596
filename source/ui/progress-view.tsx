/**
 * Live progress: finished steps printed once in <Static> (they scroll up like terraform's
 * output and are never redrawn), running steps below with a spinner and their elapsed time,
 * and a bar for any step that reports done/total (the secret migration). Status is told by
 * a word and a symbol (√ done, × failed), not by colour.
 */
import { useEffect, useState } from 'react';
import { Box, Static, Text } from 'ink';
import { Spinner } from '@inkjs/ui';
import type { RunView, StepView } from './view-state.js';
import { MARK } from '../output/marks.js';
import { usePrint } from './printed-lines.js';

function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** `[██████░░░░░░] 5/8` in plain characters, so it reads without colour. */
export function progressBar(done: number, total: number, width = 20): string {
  const ratio = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
  const full = Math.round(ratio * width);
  return `[${'█'.repeat(full)}${'░'.repeat(width - full)}] ${done}/${total}`;
}

function finishedLine(step: StepView): string {
  const time = step.ms !== undefined ? `  (${formatMs(step.ms)})` : '';
  if (step.status === 'failed') return `${MARK.fail} ${step.title} failed: ${step.error ?? 'unknown error'}${time}`;
  return `${MARK.pass} ${step.summary || step.title}${time}`;
}

function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    // Only a clock for the elapsed-time display; the work happens in the runner, not here.
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

function RunningStep({ step, now }: { step: StepView; now: number }) {
  const elapsed = step.startedAt !== undefined ? `  ${formatMs(Math.max(0, now - step.startedAt))}` : '';
  return (
    <Box flexDirection="column">
      <Spinner label={`${step.title}${elapsed}`} />
      {step.total !== undefined ? <Text>{`  ${progressBar(step.done ?? 0, step.total)}`}</Text> : null}
      {step.message ? <Text dimColor>{`  ${step.message}`}</Text> : null}
    </Box>
  );
}

function FinishedStep({ step }: { step: StepView }) {
  return (
    <Box flexDirection="column">
      <Text>{finishedLine(step)}</Text>
      {step.status === 'failed' && step.hint ? <Text>{`  fix: ${step.hint}`}</Text> : null}
    </Box>
  );
}

/** `runKey` tells this run's steps from an earlier run's in the same session (a setup, then its uninstall). */
export function ProgressView({ view, runKey = 'run' }: { view: RunView; runKey?: string }) {
  const running = view.steps.filter((s) => s.status === 'running');
  const finished = view.finished.map((id) => view.steps.find((s) => s.id === id)).filter((s): s is StepView => !!s);
  const waiting = view.steps.filter((s) => s.status === 'planned').length;
  const now = useNow(running.length > 0);
  const print = usePrint();
  useEffect(() => {
    print?.(finished.map((step) => ({ key: `${runKey}:${step.id}`, node: <FinishedStep step={step} /> })));
  }, [print, runKey, finished.length]);
  return (
    <Box flexDirection="column">
      {/* Outside a session (the view rendered on its own) it prints through a <Static> of its own. */}
      {print ? null : <Static items={finished}>{(step) => <FinishedStep key={step.id} step={step} />}</Static>}
      {running.map((step) => (
        <RunningStep key={step.id} step={step} now={now} />
      ))}
      {view.phase === 'applying' && waiting > 0 ? (
        <Text dimColor>{`  ${waiting} step${waiting === 1 ? '' : 's'} waiting`}</Text>
      ) : null}
    </Box>
  );
}
