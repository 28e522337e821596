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
      if (key.return) return onSubmit(value);
      if (key.backspace || key.delete) return setValue((v) => [...v].slice(0, -1).join(''));
      // Arrows, tab, escape and ctrl/meta combinations aren't part of a value.
      if (key.ctrl || key.meta || key.escape || key.tab || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow) return;
      // A pasted value arrives as one chunk; its trailing newline is not part of it.
      const text = input.replace(/[\r\n]+$/, '');
      if (text) setValue((v) => v + text);
    },
    { isActive },
  );
  const length = [...value].length;
  return <Text>{length > 0 ? maskOf(length) : <Text dimColor>{placeholder}</Text>}</Text>;
}
