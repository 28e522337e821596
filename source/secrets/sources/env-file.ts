/**
 * A `.env` file as a secret source. The file is parsed by dotenv's own `parse` (the format
 * Feathr users already have); the values stay in the returned object and are never printed.
 *
 * A file that isn't a .env file is refused before anything reads names from it: NUL or other
 * control bytes (a binary file), a PEM block outside a quoted value (a key or certificate given
 * by mistake, whose base64 lines ending in `=` would otherwise read as names), or no
 * `NAME=value` line at all (nothing to migrate). The refusal names the line, never its text.
 *
 * dotenv silently skips a line whose name has a character outside [A-Za-z0-9_.-] (ÜBER=…).
 * A silently dropped secret is the worst outcome here, so the same line grammar is scanned
 * once more with a wider name class and every skipped name is reported as a source name,
 * where the translation refuses it with a suggestion.
 */
import { readUserFile } from '../../domain/user-file.js';
import { UserError } from '../../kernel/errors.js';
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
const LINE =
  /^\s*(?:export\s+)?([^\s=:#'"`]+)(?:\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?$/gm;

/** Thrown for a file that isn't a .env file; `label` names it, the message never quotes it. */
function envFileProblem(text: string): string | undefined {
  // eslint-disable-next-line no-control-regex -- finding control bytes is the point
  const control = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.exec(text.replace(/^\ufeff/, ''));
  if (control) {
    const what = control[0] === '\u0000' ? 'NUL bytes' : 'control bytes';
    return `holds ${what} (line ${lineOf(text, control.index)}), so it isn't a text .env file`;
  }
  // Most files hold no PEM header at all: skip the scan below, which is linear but not free on 1 MB values.
  if (!/^-----BEGIN /m.test(text)) return undefined;
  const normalized = text.replace(/\r\n?/g, '\n');
  // Blank out every NAME=value line (quoted values may span lines), so a PEM block inside a
  // quoted value is fine and one standing on its own is found.
  const outside = normalized.replace(LINE, (m) => m.replace(/[^\n]/g, ' '));
  const pem = /^-----BEGIN [A-Z0-9 ]+-----/m.exec(outside);
  if (pem)
    return `holds a PEM block (line ${lineOf(normalized, pem.index)}: ${pem[0]}), so it is a key or certificate, not a .env file`;
  return undefined;
}

export function parseEnvText(text: string, label: string): EnvFileSource {
  const problem = envFileProblem(text);
  if (problem) throw notEnvFile(label, problem);
  const parsed = parse(text);
  const names: string[] = [];
  const normalized = text.replace(/\r\n?/g, '\n');
  for (const match of normalized.matchAll(LINE)) {
    const name = match[1]!;
    if (!names.includes(name)) names.push(name);
  }
  // dotenv may accept a name the wide scan missed; keep every one it found.
  for (const name of Object.keys(parsed)) if (!names.includes(name)) names.push(name);
  if (names.length === 0) throw notEnvFile(label, text.trim() === '' ? 'is empty' : 'has no NAME=value line');
  return { label, names, values: new Map(Object.entries(parsed)) };
}

function notEnvFile(label: string, problem: string): UserError {
  return new UserError(
    `The file ${label.replace(/^\.env /, '')} ${problem}.`,
    'Point to a UTF-8 .env file with a NAME=value line for each secret (e.g. CONN_STR=...); a key or certificate goes in as the quoted value of a name.',
  );
}

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

export async function readEnvFile(path: string, label = `.env ${path}`): Promise<EnvFileSource> {
  const text = await readUserFile(
    path,
    (code) =>
      code === 'ENOENT'
        ? `Can't find the env file ${path}.`
        : `Can't read the env file ${path} (${code ?? 'unknown error'}).`,
    "Check the path; a relative path in a preset is resolved against the preset's folder.",
  );
  // A UTF-16 file (Windows editors save one) starts with a byte-order mark that isn't UTF-8
  // and is full of NUL bytes; say what it is instead.
  if (/^\uFFFD\uFFFD/.test(text) && text.includes('\u0000'))
    throw notEnvFile(label, 'is UTF-16 text; save it as UTF-8');
  return parseEnvText(text, label);
}

/** The values a later step migrates, one per name dotenv accepted. */
export function envFileValues(source: EnvFileSource): SourcedValue[] {
  return [...source.values].map(([env, value]) => ({ env, source: source.label, value }));
}
