/**
 * A typed answer with validation as you type. The validator is the schema's own rule
 * (passed in by the screen), so the wizard never accepts what a preset would refuse.
 * Enter on an invalid value keeps the question open and says why.
 */
import { useState } from 'react';
import { Text } from 'ink';
import { TextInput, PasswordInput } from '@inkjs/ui';
import { Question } from './question.js';

export interface TextQuestionProps {
  title: string;
  notes?: readonly string[];
  defaultValue?: string;
  placeholder?: string;
  /** Returns the problem in words, or undefined when the value is fine. */
  validate?: (value: string) => string | undefined;
  onSubmit: (value: string) => void;
  /** Masked input for secret values: the value is never echoed. */
  masked?: boolean;
  /** A problem found after submit (e.g. the name is taken), shown until the next edit. */
  externalProblem?: string;
  busy?: string;
}

export function TextQuestion(props: TextQuestionProps) {
  const { title, notes, defaultValue = '', placeholder, validate, onSubmit, masked, externalProblem, busy } = props;
  const [value, setValue] = useState(defaultValue);
  const [submitted, setSubmitted] = useState<string | undefined>(undefined);
  const problem = validate?.(value);
  const submit = (next: string) => {
    if (busy) return;
    setSubmitted(next);
    if (validate?.(next) === undefined) onSubmit(next);
  };
  // A rule problem shows as soon as something is typed; a problem found after submit
  // (name taken) shows until the value changes.
  const shown = problem && (value !== '' || submitted !== undefined) ? problem : submitted === value ? externalProblem : undefined;
  return (
    <Question title={title} notes={notes} problem={shown}>
      {masked ? (
        <PasswordInput placeholder={placeholder} onChange={setValue} onSubmit={submit} />
      ) : (
        <TextInput defaultValue={defaultValue} placeholder={placeholder} onChange={setValue} onSubmit={submit} />
      )}
      {busy ? <Text dimColor>{busy}</Text> : null}
    </Question>
  );
}
