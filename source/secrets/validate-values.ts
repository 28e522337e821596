/**
 * Refuse values Key Vault would refuse, before anything is written: an empty value fails the
 * whole CSI mount later, and a value over 25 KB is rejected mid-run,
 * leaving a half-migrated vault. Messages name the variable and its source, never the value
 * and never its exact size (a length is a fragment of the secret).
 */
import { UserError } from '../kernel/errors.js';
import { MAX_VALUE_BYTES, type SecretEntry } from './secret-entry.js';

export interface ValueProblem {
  env: string;
  source: string;
  problem: 'empty' | 'too-large';
  message: string;
}

export function findValueProblems(entries: readonly SecretEntry[]): ValueProblem[] {
  const problems: ValueProblem[] = [];
  for (const entry of entries) {
    if (entry.value.length === 0) {
      problems.push({
        env: entry.env,
        source: entry.source,
        problem: 'empty',
        message: `${entry.env} (from ${entry.source}) is empty: Key Vault refuses empty values.`,
      });
    } else if (Buffer.byteLength(entry.value, 'utf8') > MAX_VALUE_BYTES) {
      problems.push({
        env: entry.env,
        source: entry.source,
        problem: 'too-large',
        message: `${entry.env} (from ${entry.source}) is larger than 25 KB (${MAX_VALUE_BYTES} bytes UTF-8), Key Vault's limit for a secret.`,
      });
    }
  }
  return problems;
}

/** Throws one UserError listing every refused value at once. */
export function assertValuesAcceptable(entries: readonly SecretEntry[]): void {
  const problems = findValueProblems(entries);
  if (problems.length === 0) return;
  throw new UserError(
    problems.length === 1 ? problems[0]!.message : `${problems.length} secret values can't be stored in Key Vault.`,
    'Give each one a non-empty value of at most 25 KB (store larger data elsewhere and keep a reference in the vault), then run again. Nothing was written.',
    problems.map((p) => p.message),
  );
}
