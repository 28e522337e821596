/**
 * The names the mapping table shows, in the order collect.ts reads them: every source in the
 * preset's order, then the typed values. A name two sources hold with the same value is one
 * secret (collect.ts keeps the first); only names whose values differ stay twice, so
 * mapSecretNames reports them as the conflict the run would stop on.
 */
import type { NameSource } from '../../domain/secret-names.js';
import { TYPED_SOURCE } from '../typed-secrets.js';
import type { SecretConflict } from '../../discovery/port.js';

export function mappingNames(
  found: readonly NameSource[],
  conflicts: readonly SecretConflict[],
  typedNames: readonly string[],
): NameSource[] {
  const conflicting = new Set(conflicts.map((c) => c.env));
  const seen = new Set<string>();
  const names: NameSource[] = [];
  for (const name of found) {
    if (!conflicting.has(name.env) && seen.has(name.env)) continue;
    seen.add(name.env);
    names.push(name);
  }
  // A typed name a source also has stays twice: the screen can't compare values, so it asks.
  for (const env of typedNames) names.push({ env, source: TYPED_SOURCE });
  return names;
}
