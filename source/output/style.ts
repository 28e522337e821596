/**
 * Colour for text output, off when NO_COLOR is set (https://no-color.org), FORCE_COLOR=0,
 * TERM=dumb, the stream isn't a terminal, or the output is JSON.
 */
import type { CliIo, OutputMode, OutputStream } from './io.js';

export interface Style {
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const plain = (text: string) => text;
const PLAIN: Style = { red: plain, green: plain, yellow: plain, dim: plain, bold: plain };

export function colorEnabled(env: CliIo['env'], stream: OutputStream, mode: OutputMode): boolean {
  if (mode === 'json') return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR === '0' || env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

export function createStyle(enabled: boolean): Style {
  if (!enabled) return PLAIN;
  const wrap = (open: number, close: number) => (text: string) => `\u001B[${open}m${text}\u001B[${close}m`;
  return { red: wrap(31, 39), green: wrap(32, 39), yellow: wrap(33, 39), dim: wrap(2, 22), bold: wrap(1, 22) };
}
