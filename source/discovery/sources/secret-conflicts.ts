/**
 * Which names two chosen secret sources both hold with different values: the conflicts
 * collect.ts would stop the run on (the same value twice is one secret, not a conflict). The
 * values are compared here and dropped; only names and source labels leave this function.
 */
import { resolve } from 'node:path';
import type { KubePort } from '../../kube/port.js';
import { readKubernetesSecretValues } from '../../secrets/kubernetes-source.js';
import type { SourcedValue } from '../../secrets/secret-entry.js';
import { envFileValues, readEnvFile } from '../../secrets/sources/env-file.js';
import { envVarValues, readEnvVars } from '../../secrets/sources/env-vars.js';
import type { SecretConflict, SecretSourceInput } from '../port.js';

export interface ConflictDeps {
  kube: () => Promise<Pick<KubePort, 'context' | 'readSecret'>>;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
}

async function valuesOf(source: SecretSourceInput, deps: ConflictDeps): Promise<SourcedValue[]> {
  if ('envFile' in source)
    return envFileValues(await readEnvFile(resolve(deps.cwd, source.envFile), `.env ${source.envFile}`));
  if ('env' in source) return envVarValues(readEnvVars(source.env, deps.env));
  return readKubernetesSecretValues(await deps.kube(), source.kubernetesSecret.namespace, source.kubernetesSecret.name);
}

export async function secretConflicts(
  sources: readonly SecretSourceInput[],
  deps: ConflictDeps,
): Promise<SecretConflict[]> {
  if (sources.length < 2) return [];
  const read = (await Promise.all(sources.map((s) => valuesOf(s, deps)))).flat();
  const byEnv = new Map<string, SourcedValue[]>();
  for (const item of read) byEnv.set(item.env, [...(byEnv.get(item.env) ?? []), item]);
  const conflicts: SecretConflict[] = [];
  for (const [env, group] of byEnv) {
    if (group.length > 1 && group.some((g) => g.value !== group[0]!.value))
      conflicts.push({ env, sources: group.map((g) => g.source) });
  }
  return conflicts;
}
