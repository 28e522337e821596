/**
 * Gathers every secret from its sources, in the preset's order, and translates the names.
 * A name defined twice with different values is an error naming both sources (unless the
 * preset says later sources win); the same value twice is no conflict. Name collisions
 * (CONN_STR in the .env, conn-str in the Kubernetes Secret) stop the run here, before any
 * write. Messages carry names and sources only.
 */
import { resolve } from 'node:path';
import { UserError } from '../kernel/errors.js';
import type { KubePort } from '../kube/port.js';
import { readKubernetesSecretValues } from './kubernetes-source.js';
import type { SecretEntry, SourcedValue } from './secret-entry.js';
import { envFileValues, readEnvFile } from './sources/env-file.js';
import { readEnvVars } from './sources/env-vars.js';
import { missingFeathrVariables } from './sources/feathr-variables.js';
import { mapSecretNames, type NameSource, type Precedence } from '../domain/secret-names.js';

interface SecretSourceSetting {
  envFile?: string;
  kubernetesSecret?: { namespace: string; name: string };
  env?: readonly string[];
}

export interface SecretsSettings {
  sources: readonly SecretSourceSetting[];
  rename?: Readonly<Record<string, string>>;
  precedence?: Precedence;
}

export interface CollectDeps {
  kube?: Pick<KubePort, 'context' | 'readSecret'>;
  env?: Readonly<Record<string, string | undefined>>;
  /** Relative envFile paths resolve against this (the preset's folder). */
  baseDir?: string;
  /** Values typed into the wizard's masked prompts; they come last. */
  prompted?: readonly SourcedValue[];
}

export interface CollectedSecrets {
  entries: SecretEntry[];
  warnings: string[];
  /** Feathr's expected variables that no source has. */
  missingFeathr: string[];
}

export async function collectSecrets(settings: SecretsSettings, deps: CollectDeps = {}): Promise<CollectedSecrets> {
  const read: { env: string; source: string; value: string | undefined }[] = [];
  for (const source of settings.sources) read.push(...(await readSource(source, deps)));
  for (const p of deps.prompted ?? []) read.push(p);

  // Same name, same value in two sources is one secret; only differing values are a conflict.
  const names: NameSource[] = [];
  const valueOf = new Map<string, string | undefined>();
  for (const item of read) {
    const group = read.filter((r) => r.env === item.env);
    const allSame = group.every((r) => r.value !== undefined && r.value === group[0]!.value);
    if (allSame && group[0] !== item) continue;
    names.push({ env: item.env, source: item.source });
    valueOf.set(`${item.env}\0${item.source}`, item.value);
  }

  const result = mapSecretNames(names, { rename: settings.rename, precedence: settings.precedence });
  if (!result.ok) {
    throw new UserError(
      result.problems.length === 1
        ? `${result.problems[0]!.message}. Nothing was written.`
        : `${result.problems.length} problems with secret names. Nothing was written.`,
      'Rename or remove the variables named here (or map them with secrets.rename), then run again.',
      result.problems.map((p) => p.message),
    );
  }
  const entries = result.mapping.map((m): SecretEntry => {
    const value = valueOf.get(`${m.env}\0${m.source}`);
    // translate.ts accepted the name, so the source held it; a missing value is a bug here.
    if (value === undefined) throw new Error(`collectSecrets: no value for ${m.env} from ${m.source}`);
    return { env: m.env, vaultName: m.vaultName, source: m.source, value };
  });
  return { entries, warnings: result.warnings, missingFeathr: missingFeathrVariables(entries.map((e) => e.env)) };
}

async function readSource(
  source: SecretSourceSetting,
  deps: CollectDeps,
): Promise<{ env: string; source: string; value: string | undefined }[]> {
  const kinds = [source.envFile, source.kubernetesSecret, source.env].filter((x) => x !== undefined).length;
  if (kinds !== 1)
    throw new UserError('Each entry of secrets.sources needs exactly one of envFile, kubernetesSecret or env.');
  if (source.envFile !== undefined) {
    const path = resolve(deps.baseDir ?? process.cwd(), source.envFile);
    const file = await readEnvFile(path, `.env ${source.envFile}`);
    const values = new Map(envFileValues(file).map((v) => [v.env, v.value]));
    // Names dotenv skipped stay in (value unknown) so the translation refuses them by name.
    return file.names.map((env) => ({ env, source: file.label, value: values.get(env) }));
  }
  if (source.kubernetesSecret) {
    if (!deps.kube)
      throw new UserError(
        'A Kubernetes Secret is a secret source, but no cluster is configured.',
        'Set cluster.kubeContext in the preset.',
      );
    return readKubernetesSecretValues(deps.kube, source.kubernetesSecret.namespace, source.kubernetesSecret.name);
  }
  const vars = readEnvVars(source.env ?? [], deps.env ?? process.env);
  if (vars.missing.length > 0) {
    throw new UserError(
      `${vars.missing.join(', ')} ${vars.missing.length === 1 ? "isn't" : "aren't"} set in the environment, but secrets.sources names ${vars.missing.length === 1 ? 'it' : 'them'}.`,
      'Export the variables before running, or remove them from secrets.sources.',
    );
  }
  return [...vars.values].map(([env, value]) => ({ env, source: vars.label, value }));
}
