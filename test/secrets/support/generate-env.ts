/**
 * A .env with the eight feathr-online variables and N generated ones whose values stress the
 * round trip: up to 24 KB, unicode (multi-byte and astral), real newlines and `=` signs.
 * Values avoid quotes and backslashes, which dotenv's double-quoted form can't carry verbatim.
 */
import { parse } from 'dotenv';
import { FEATHR_VARIABLES } from '../../../source/secrets/sources/feathr-variables.js';

const ALPHABET = [
  'a',
  'Z',
  '0',
  '=',
  ' ',
  ';',
  'é',
  'ß',
  'ключ',
  '数据',
  '🙂',
  '\n',
  '-',
  '_',
  ':',
  '/',
  '+',
  '#',
  '%',
];

export function generatedValues(count: number, seed = 1, maxBytes = 24 * 1024): Map<string, string> {
  let state = seed >>> 0;
  const next = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const values = new Map<string, string>();
  for (const name of FEATHR_VARIABLES) values.set(name, `sandbox-${name.toLowerCase()}=x==;ü\nline2`);
  for (let i = 0; i < count; i += 1) {
    // A few values near the limit, the rest spread out, so the suite stays quick.
    const target = i % 50 === 0 ? maxBytes - 64 : Math.floor(next() * 2048) + 1;
    let value = `v${i}=`;
    while (Buffer.byteLength(value) < target) value += ALPHABET[Math.floor(next() * ALPHABET.length)];
    // Never end on whitespace or a newline: dotenv keeps those inside quotes, but being plain makes failures readable.
    values.set(`GEN_VAR_${i}`, `${value}end`);
  }
  return values;
}

export function envText(values: ReadonlyMap<string, string>): string {
  return [...values].map(([name, value]) => `${name}="${value}"`).join('\n') + '\n';
}

/** Proves the file says what we meant: dotenv parses each value back unchanged. */
export function assertEnvRoundTrip(text: string, values: ReadonlyMap<string, string>): void {
  const parsed = parse(text);
  for (const [name, value] of values) {
    if (parsed[name] !== value) throw new Error(`generated .env doesn't round-trip ${name}`);
  }
}
