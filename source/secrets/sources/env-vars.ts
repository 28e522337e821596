/**
 * Named environment variables as a secret source (`secrets.sources[].env` in a preset).
 * Only the names travel onward for the mapping; the values stay here for the migration.
 */
import type { SourcedValue } from '../secret-entry.js';

export interface EnvVarSource {
  label: string;
  /** The names that are set (an empty string counts as set; Key Vault refuses it later). */
  names: string[];
  /** Named but not set in this environment. */
  missing: string[];
  values: ReadonlyMap<string, string>;
}

export function readEnvVars(
  names: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  label = 'environment',
): EnvVarSource {
  const present: string[] = [];
  const missing: string[] = [];
  const values = new Map<string, string>();
  for (const name of names) {
    const value = env[name];
    if (value === undefined) {
      missing.push(name);
    } else {
      present.push(name);
      values.set(name, value);
    }
  }
  return { label, names: present, missing, values };
}

export function envVarValues(source: EnvVarSource): SourcedValue[] {
  return [...source.values].map(([env, value]) => ({ env, source: source.label, value }));
}
