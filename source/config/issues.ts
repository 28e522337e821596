/**
 * One problem with a configuration, and its one-line form:
 *   `path: problem (got <value>) — fix`
 * The value is shown only when the caller attached it and the path can't hold a secret
 * (see secret-keys.ts), so a report never echoes a pasted secret.
 */
import { isSecretPath } from './secret-keys.js';

export type ConfigPath = readonly (string | number)[];

export interface ConfigIssue {
  path: ConfigPath;
  problem: string;
  fix: string;
  /** The offending value, when showing it helps; omitted for whole objects and unknown keys. */
  got?: unknown;
}

/** `secrets.sources[0].envFile`; the root is `(preset)`. */
export function formatPath(path: ConfigPath): string {
  let out = '';
  for (const part of path) {
    // Keys like FOO.BAR (secrets.rename) are quoted so the path stays unambiguous.
    if (typeof part === 'number') out += `[${part}]`;
    else if (!/^[A-Za-z_][\w-]*$/.test(part)) out += `[${JSON.stringify(part)}]`;
    else out += out === '' ? part : `.${part}`;
  }
  return out === '' ? '(preset)' : out;
}

export function formatIssue(issue: ConfigIssue): string {
  const got = issue.got !== undefined && !isSecretPath(issue.path) ? ` (got ${showValue(issue.got)})` : '';
  return `${formatPath(issue.path)}: ${issue.problem}${got} — ${issue.fix}`;
}

function showValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

/** Reads `path` from a parsed document without trusting its shape. */
export function valueAt(root: unknown, path: ConfigPath): unknown {
  let current: unknown = root;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[part];
  }
  return current;
}

/** Dedupes by path and problem, and orders by path so a report reads top to bottom. */
export function sortIssues(issues: readonly ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  const unique = issues.filter((issue) => {
    const key = `${formatPath(issue.path)}\u0000${issue.problem}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return unique;
}
