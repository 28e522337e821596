/**
 * The run as one screen: planning, the plan review with its single approval, live progress,
 * then the result. It folds the run's messages into the view state and nothing else.
 */
import { useEffect, useReducer, useState } from 'react';
import { Box, Text } from 'ink';
import { Spinner } from '@inkjs/ui';
import type { Plan } from '../engine/plan.js';
import { PlanReview } from './plan-review.js';
import { ProgressView } from './progress-view.js';
import { ResultView } from './result-view.js';
import { foldEvent, initialRunView } from './view-state.js';
import type { Decision, RunHandle, RunMessage } from './run-handle.js';
import type { Topology } from './topology-picture.js';

export interface RunScreenProps {
  run: RunHandle;
  topology?: Topology;
  kubeContext: string;
  namespace: string;
  savedTo?: string;
  cancelling: boolean;
  onDecide: (decision: Decision) => void;
  onSavePreset: (path: string) => Promise<string>;
  onExit: () => void;
}

export function RunScreen({ run, topology, kubeContext, namespace, savedTo, cancelling, onDecide, onSavePreset, onExit }: RunScreenProps) {
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
  if (view.result) {
    return <ResultView view={view} namespace={namespace} savedTo={savedTo} onSavePreset={onSavePreset} onExit={onExit} />;
  }
  if (approval && view.phase !== 'applying') {
    return (
      <PlanReview
        plan={approval}
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
      {view.phase === 'applying' ? <ProgressView view={view} /> : <Spinner label={`Planning: reading what exists (${view.steps.length} steps so far)…`} />}
      {cancelling ? <Text>Cancelling: running steps stop, cleanups run, then it exits. A re-run completes the setup.</Text> : null}
    </Box>
  );
}
