/**
 * The terminal's width as the wizard sees it. A terminal can report 0 columns (a serial
 * console, some CI ptys, `stty cols 0`), and Ink then lays everything out one cell wide; the
 * stream handed to Ink reports 80 instead. Below MIN_COLUMNS the screens can't be read, so the
 * App shows one short line saying so until the terminal is widened (ctrl-c still quits).
 */
import { useEffect, useState, type ReactNode } from 'react';
import { Text, useStdout } from 'ink';

const MIN_COLUMNS = 40;
const FALLBACK_COLUMNS = 80;

/** `stdout` with a usable `columns`: the real width, or 80 when it reports 0 or nothing. */
export function withSaneWidth<S extends NodeJS.WriteStream>(stdout: S): S {
  return new Proxy(stdout, {
    get(target, property) {
      if (property === 'columns') return target.columns > 0 ? target.columns : FALLBACK_COLUMNS;
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** The terminal's columns, following resizes. */
export function useColumns(): number {
  const { stdout } = useStdout();
  const [columns, setColumns] = useState(stdout.columns);
  useEffect(() => {
    const resized = () => setColumns(stdout.columns);
    stdout.on('resize', resized);
    return () => {
      stdout.off('resize', resized);
    };
  }, [stdout]);
  return columns;
}

export function tooNarrow(columns: number | undefined): boolean {
  return columns !== undefined && columns > 0 && columns < MIN_COLUMNS;
}

/** Short enough to fit the narrowest terminal that still shows text. */
export function TooNarrow({ columns }: { columns: number }): ReactNode {
  return <Text>{`Too narrow (${columns} columns); widen to ${MIN_COLUMNS}+. ctrl-c quits.`}</Text>;
}
