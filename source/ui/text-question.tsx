/**
 * A typed answer with validation as you type. The validator is the schema's own rule
 * (passed in by the screen), so the wizard never accepts what a preset would refuse.
 * Enter on an invalid value keeps the question open and says why.
 */
import { useState } from 'react';
import { Text } from 'ink';
import { LineInput } from './line-input.js';
import { Question } from './question.js';

export interface TextQuestionProps {
  title: string;
  notes?: readonly string[];
  defaultValue?: string;
  placeholder?: string;
  /** Returns the problem in words, or undefined when the value is fine. */
  validate?: (value: string) => string | undefined;
  onSubmit: (value: string) => void;
  /** A problem found after submit (e.g. the name is taken), shown until the next edit. */
  externalProblem?: string;
  /** A problem found while typing by the screen itself (e.g. the file doesn't exist), shown as is. */
  liveProblem?: string;
  onChange?: (value: string) => void;
  /** Enter on an empty field takes the placeholder (a suggestion that typing replaces). */
  placeholderIsDefault?: boolean;
  busy?: string;
}

export function TextQuestion(props: TextQuestionProps) {
  const {
    title,
    notes,
    defaultValue = '',
    placeholder,
    validate,
    onSubmit,
    externalProblem,
    liveProblem,
    busy,
  } = props;
  const [value, setValue] = useState(defaultValue);
  const [submitted, setSubmitted] = useState<string | undefined>(undefined);
  const effective = value === '' && props.placeholderIsDefault && placeholder ? placeholder : value;
  const problem = validate?.(effective);
  const change = (next: string) => {
    setValue(next);
    props.onChange?.(next);
  };
  const submit = (typed: string) => {
    if (busy) return;
    const next = typed === '' && props.placeholderIsDefault && placeholder ? placeholder : typed;
    setSubmitted(next);
    if (validate?.(next) === undefined) onSubmit(next);
  };
  // A rule problem shows as soon as something is typed; a problem found after submit
  // (name taken) shows until the value changes.
  const shown =
    problem && (value !== '' || submitted !== undefined)
      ? problem
      : (liveProblem ?? (submitted === value ? externalProblem : undefined));
  return (
    <Question title={title} notes={notes} problem={shown}>
      <LineInput defaultValue={defaultValue} placeholder={placeholder} onChange={change} onSubmit={submit} />
      {busy ? <Text dimColor>{busy}</Text> : null}
    </Question>
  );
}
