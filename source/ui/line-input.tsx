/**
 * The wizard's text input. Written here rather than taking @inkjs/ui's TextInput, which
 * inserts a read of several keys ("\x7f\x7f\x7f" from a burst of backspaces) as text; every
 * read goes through editLine instead. The cursor is an inverted cell; an empty field shows
 * its placeholder dimmed.
 *
 *   ? Path of the .env file
 *     ./feathr.env          (placeholder: Enter takes it, typing replaces it)
 */
import { useRef, useState } from 'react';
import { Text, useInput } from 'ink';
import { editLine, lineAtEnd, type LineState } from './line-edit.js';

export interface LineInputProps {
  defaultValue?: string;
  placeholder?: string;
  onChange?: (value: string) => void;
  onSubmit: (value: string) => void;
  isActive?: boolean;
}

export function LineInput({
  defaultValue = '',
  placeholder = '',
  onChange,
  onSubmit,
  isActive = true,
}: LineInputProps) {
  const [state, setState] = useState<LineState>(() => lineAtEnd(defaultValue));
  // The line as of the last key, ahead of the next render: two reads in one tick both count.
  // Read and written here, in the input handler, not in a state updater: React may run an
  // updater again while it renders, and one that told the parent of a change (a setState in
  // the parent during this component's render) could make them re-render each other without end.
  const line = useRef(state);
  useInput(
    (input, key) => {
      const current = line.current;
      const next = editLine(current, input, key);
      line.current = { value: next.value, cursor: next.cursor };
      setState(line.current);
      if (next.value !== current.value) onChange?.(next.value);
      if (next.submit) queueMicrotask(() => onSubmit(next.value));
    },
    { isActive },
  );
  const chars = [...state.value];
  if (chars.length === 0) {
    const [first = ' ', ...rest] = [...placeholder];
    return (
      <Text>
        <Text inverse>{first}</Text>
        <Text dimColor>{rest.join('')}</Text>
      </Text>
    );
  }
  return (
    <Text>
      {chars.slice(0, state.cursor).join('')}
      <Text inverse>{chars[state.cursor] ?? ' '}</Text>
      {chars.slice(state.cursor + 1).join('')}
    </Text>
  );
}
