/**
 * The frame every question screen shares: a title, an optional explanation, the input, and
 * the key help line. Keeping it in one place makes every screen read the same at 80 columns.
 */
import type { ReactNode } from 'react';
import { Box, Text } from 'ink';
import { MARK } from '../output/marks.js';
import { Hanging } from './hanging.js';

export interface QuestionProps {
  title: string;
  /** Short lines under the title: what was discovered, why this is asked. */
  notes?: readonly string[];
  children: ReactNode;
  /** Shown under the input, e.g. a validation message; prefixed with a word, not a colour. */
  problem?: string;
  canGoBack?: boolean;
}

export function Question({ title, notes = [], children, problem, canGoBack = true }: QuestionProps) {
  return (
    <Box flexDirection="column">
      <Text bold>? {title}</Text>
      {notes.map((note, i) => (
        <Hanging key={i} lead="  " text={note} dim />
      ))}
      <Box marginLeft={2} flexDirection="column">
        {children}
      </Box>
      {problem ? <Hanging lead={`  ${MARK.fail} `} text={problem} /> : null}
      <Text dimColor>{`  ↑↓ move · enter choose${canGoBack ? ' · esc back' : ''} · ctrl-c quit`}</Text>
    </Box>
  );
}
