/**
 * Input for a secret value: every typed character shows as one •, nothing else (no echo, no
 * cursor tricks that could reveal it). Written here rather than taking @inkjs/ui's
 * PasswordInput, which draws `*` and keeps no way to tell a paste's line break from Enter.
 * The value lives in this component's state until Enter hands it to `onSubmit`; it is never
 * rendered, logged or put in an error message.
 *
 *   ? Value of FEATHRCI_PASS
 *     ••••••••
 */
import { useState } from 'react';
import { Text, useInput } from 'ink';
import { editLine, lineAtEnd } from './line-edit.js';

export interface MaskedInputProps {
  onSubmit: (value: string) => void;
  placeholder?: string;
  isActive?: boolean;
}

/** What the screen shows for a value of this many characters. */
function maskOf(length: number): string {
  return '•'.repeat(length);
}

export function MaskedInput({ onSubmit, placeholder = '', isActive = true }: MaskedInputProps) {
  const [value, setValue] = useState('');
  useInput(
    (input, key) => {
      // Through the updater with editLine, so a burst of keys in one read (three backspaces,
      // a value and Enter) is applied key by key; the cursor stays at the end of a secret.
      setValue((current) => {
        const next = editLine(
          lineAtEnd(current),
          input,
          key.leftArrow || key.rightArrow || key.home || key.end
            ? { ...key, leftArrow: false, rightArrow: false, home: false, end: false }
            : key,
        );
        if (next.submit) queueMicrotask(() => onSubmit(next.value));
        return next.value;
      });
    },
    { isActive },
  );
  const length = [...value].length;
  return <Text>{length > 0 ? maskOf(length) : <Text dimColor>{placeholder}</Text>}</Text>;
}
