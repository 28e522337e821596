/**
 * A list picker. Written here instead of using @inkjs/ui's Select because Select fires
 * onChange only when the value changes, so Enter on the preselected default does nothing,
 * and "press Enter everywhere to accept the defaults" is this wizard's main path.
 * Focus is shown by the ❯ marker, not by colour.
 *
 *   Where does Feathr run?
 *   ❯ Azure (AKS)
 *     Another cloud or on-premises
 */
import { useRef, useState } from 'react';
import { Box, Text, useInput } from 'ink';

interface PickerOption<V extends string = string> {
  label: string;
  value: V;
  /** A second, quieter line of explanation (e.g. "10.20.0.0/16, no subnets"). */
  hint?: string;
}

export interface PickerProps<V extends string> {
  options: readonly PickerOption<V>[];
  defaultValue?: V;
  onSubmit: (value: V) => void;
  /** How many options show at once; the list scrolls past that. */
  visible?: number;
  isActive?: boolean;
}

export function Picker<V extends string>({
  options,
  defaultValue,
  onSubmit,
  visible = 8,
  isActive = true,
}: PickerProps<V>) {
  const start = Math.max(
    0,
    options.findIndex((o) => o.value === defaultValue),
  );
  const [focus, setFocusState] = useState(start);
  // Keys that arrive before the next render (down then Enter in one burst) must see each
  // other: the focus lives in a ref too, which every key reads and writes.
  const focusRef = useRef(start);
  const setFocus = (next: number) => {
    focusRef.current = next;
    setFocusState(next);
  };
  useInput(
    (_input, key) => {
      if (options.length === 0) return;
      const current = Math.min(focusRef.current, options.length - 1);
      if (key.downArrow) setFocus((current + 1) % options.length);
      else if (key.upArrow) setFocus((current - 1 + options.length) % options.length);
      else if (key.return) onSubmit(options[current]!.value);
    },
    { isActive },
  );
  const from = Math.min(Math.max(0, focus - visible + 1), Math.max(0, options.length - visible));
  const shown = options.slice(from, from + visible);
  return (
    <Box flexDirection="column">
      {from > 0 ? <Text dimColor> ↑ {from} more</Text> : null}
      {shown.map((option, i) => {
        const focused = from + i === focus;
        return (
          <Text key={option.value} bold={focused}>
            {focused ? '❯ ' : '  '}
            {option.label}
            {option.hint ? <Text dimColor>{`  ${option.hint}`}</Text> : null}
          </Text>
        );
      })}
      {from + visible < options.length ? <Text dimColor> ↓ {options.length - from - visible} more</Text> : null}
    </Box>
  );
}
