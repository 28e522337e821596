/**
 * The run as one screen: planning, the plan review with its single approval, live progress,
 * then the result. It folds the run's messages into the view state and nothing else.
 */
import { useEffect, useReducer, useState } from 'react';
import { Box, Text } from 'ink';
import { Spinner } from '@inkjs/ui';
import type { Plan } from '../kernel/plan.js';
import { PlanReview } from './plan-review.js';
import { ProgressView } from './progress-view.js';
import { ResultView, type SessionWhere } from './result-view.js';
import { foldEvent, initialRunView } from './view-state.js';
import type { Decision, RunHandle, RunMessage } from './run-handle.js';
import type { Topology } from './topology-picture.js';

/** A setup run, or the removal of what a setup made. */
export type RunMode = 'setup' | 'uninstall';

export interface RunScreenProps {
  mode?: RunMode;
  run: RunHandle;
  topology?: Topology;
  kubeContext: string;
  namespace: string;
  savedTo?: string;
  /** Names typed into masked prompts: the save offer says a preset can't hold them. */
  typedNames?: readonly string[];
  cancelling: boolean;
  onDecide: (decision: Decision) => void;
  onSavePreset: (path: string) => Promise<string>;
  /** Offered on a setup's result screen: remove what was just installed. */
  onUninstall?: () => void;
  onExit: () => void;
  where?: SessionWhere;
}

export function RunScreen({
  mode = 'setup',
  run,
  topology,
  kubeContext,
  namespace,
  savedTo,
  typedNames,
  cancelling,
  onDecide,
  onSavePreset,
  onUninstall,
  onExit,
  where,
}: RunScreenProps) {
  const [view, dispatch] = useReducer(foldEvent, initialRunView);
  const [approval, setApproval] = useState<Plan>();
  useEffect(
    () =>
      run.subscribe((message: RunMessage) => {
        if (message.kind === 'approval') setApproval(message.plan);
        else dispatch({ event: message.event, at: message.at });
      }),
    [run],
  );
  // A cancelled run exits as soon as it has stopped: the screen keeps the progress and the
  // cancelling line rather than flashing the result on the way out.
  if (view.result && !cancelling) {
    return (
      <ResultView
        mode={mode}
        view={view}
        namespace={namespace}
        savedTo={savedTo}
        typedNames={typedNames}
        onSavePreset={onSavePreset}
        onUninstall={onUninstall}
        onExit={onExit}
        {...(where ? { where } : {})}
      />
    );
  }
  if (approval && view.phase !== 'applying') {
    return (
      <PlanReview
        plan={approval}
        mode={mode}
        topology={topology}
        context={kubeContext}
        onDecide={(decision) => {
          setApproval(undefined);
          onDecide(decision);
        }}
      />
    );
  }
  return (
    <Box flexDirection="column">
      {view.phase === 'applying' ? (
        <ProgressView view={view} runKey={mode} />
      ) : (
        <Spinner
          label={`${mode === 'uninstall' ? 'Planning the uninstall' : 'Planning'}: reading what exists (${view.steps.length} steps so far)…`}
        />
      )}
      {cancelling ? (
        <Text>Cancelling: running steps stop, cleanups run, then it exits. A re-run completes the setup.</Text>
      ) : null}
    </Box>
  );
}
