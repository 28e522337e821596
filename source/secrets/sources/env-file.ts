/**
 * A `.env` file as a secret source. The file is parsed by dotenv's own `parse` (the format
 * Feathr users already have); the values stay in the returned object and are never printed.
 *
 * dotenv silently skips a line whose name has a character outside [A-Za-z0-9_.-] (ÜBER=…).
 * A silently dropped secret is the worst outcome here, so the same line grammar is scanned
 * once more with a wider name class and every skipped name is reported as a source name,
 * where the translation refuses it with a suggestion.
 */
import { readUserFile } from '../../domain/user-file.js';
import { parse } from 'dotenv';
import type { SourcedValue } from '../secret-entry.js';

export interface EnvFileSource {
  label: string;
  /** Every name in the file, in file order, including names dotenv skipped (value ''). */
  names: string[];
  /** Values by name, for the migration; never printed, logged or put in an error. */
  values: ReadonlyMap<string, string>;
}

// dotenv's line grammar (quoted values may span lines), with any non-space run as the name.
const LINE = /^\s*(?:export\s+)?([^\s=:#'"`]+)(?:\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?$/gm;

export function parseEnvText(text: string, label: string): EnvFileSource {
  const parsed = parse(text);
  const names: string[] = [];
  const normalized = text.replace(/\r\n?/g, '\n');
  for (const match of normalized.matchAll(LINE)) {
    const name = match[1]!;
    if (!names.includes(name)) names.push(name);
  }
  // dotenv may accept a name the wide scan missed; keep every one it found.
  for (const name of Object.keys(parsed)) if (!names.includes(name)) names.push(name);
  return { label, names, values: new Map(Object.entries(parsed)) };
}

export async function readEnvFile(path: string, label = `.env ${path}`): Promise<EnvFileSource> {
  const text = await readUserFile(
    path,
    (code) => (code === 'ENOENT' ? `Can't find the env file ${path}.` : `Can't read the env file ${path} (${code ?? 'unknown error'}).`),
    "Check the path; a relative path in a preset is resolved against the preset's folder.",
  );
  return parseEnvText(text, label);
}

/** The values a later step migrates, one per name dotenv accepted. */
export function envFileValues(source: EnvFileSource): SourcedValue[] {
  return [...source.values].map(([env, value]) => ({ env, source: source.label, value }));
}
