/**
 * The masked prompts of the secrets step: the value of each name in `names`, one after the
 * other (Enter on an empty value skips that name), and, for a name no source has, the name
 * first. Values go straight to `onValue`; this screen never shows more than one • per
 * character typed.
 */
import { useState } from 'react';
import { podNameProblem } from '../../domain/pod-name.js';
import { MaskedInput } from '../masked-input.js';
import { BackScope } from '../back-scope.js';
import { Question } from '../question.js';
import { TextQuestion } from '../text-question.js';

export interface TypedValuePromptProps {
  /** Names to ask the value of; empty: ask for a name first. */
  names: readonly string[];
  /** Names that can't be typed (a source has them already, with their source). */
  taken: ReadonlyMap<string, string>;
  onValue: (env: string, value: string) => void;
  onDone: () => void;
}

export function TypedValuePrompt({ names, taken, onValue, onDone }: TypedValuePromptProps) {
  const [queue, setQueue] = useState<readonly string[]>(names);
  const env = queue[0];
  // A name typed here (not one of `names`): esc from its value goes back to the name.
  const askedName = names.length === 0;
  if (env === undefined) {
    return (
      <TextQuestion
        key="name"
        title="Name of the variable to type a value for"
        notes={['The name the Feathr pods read, e.g. REDIS_PASSWORD.']}
        validate={(n) => {
          const problem = podNameProblem(n.trim());
          if (problem) return `The name ${problem}.`;
          const from = taken.get(n.trim());
          return from ? `${n.trim()} comes from ${from} already.` : undefined;
        }}
        onSubmit={(n) => setQueue([n.trim()])}
      />
    );
  }
  const next = () => {
    if (queue.length > 1) setQueue(queue.slice(1));
    else onDone();
  };
  const prompt = (
    <Question
      key={env}
      title={`Value of ${env}`}
      notes={[
        'Shown as • only. It goes to the vault in this run and is never saved in a preset.',
        ...(queue.length > 1
          ? [`Then: ${queue.slice(1).join(', ')}. Enter on an empty value skips one.`]
          : ['Enter on an empty value skips it.']),
      ]}
    >
      <MaskedInput
        key={env}
        placeholder="(type the value, then enter)"
        onSubmit={(value) => {
          if (value !== '') onValue(env, value);
          next();
        }}
      />
    </Question>
  );
  return askedName ? <BackScope onBack={() => setQueue([])}>{prompt}</BackScope> : prompt;
}
