/**
 * Turns the names Feathr reads from its environment into Key Vault secret names, without ever
 * losing or merging a secret.
 *
 * Two names are involved for every secret:
 * - the pod name (`CONN_STR`): the env var Feathr reads, the SecretProviderClass `objectAlias`
 *   (a file name in the mount) and the synced Secret's data key; its rule is in pod-name.ts.
 *   A rename can't fix a bad pod name (it only picks the vault name): the source must change.
 * - the vault name (`CONN-STR`): `_` becomes `-` (so `A__B` is `A--B`, as the Feathr SDK does);
 *   anything else outside [0-9A-Za-z-] is refused with a suggested name, and an explicit
 *   rename can fix it. Key Vault compares names ignoring case, so collisions are found that way.
 */
import { describeChars, podNameProblem, stripAccents, suggestPodName } from './pod-name.js';

export const VAULT_SECRET_NAME = /^[0-9A-Za-z-]{1,127}$/;
const MAX_VAULT_SECRET_NAME = 127;

export interface NameSource {
  env: string;
  /** For messages: ".env ./feathr.env", "Kubernetes Secret legacy/x", "environment". */
  source: string;
}

export interface SecretMapping {
  env: string;
  vaultName: string;
  source: string;
  /** True when an explicit rename (secrets.rename or --rename) chose the vault name. */
  renamed: boolean;
}

export type NameProblem =
  /** byRename: an explicit rename to `suggestion` fixes it; otherwise the source must change. */
  | { kind: 'invalid-name'; env: string; source: string; message: string; suggestion?: string; byRename: boolean }
  /** part: which side of the rename is wrong, the pod name (its key) or the vault name (its target). */
  | {
      kind: 'invalid-rename';
      env: string;
      source: string;
      message: string;
      suggestion?: string;
      part: 'name' | 'vault-name';
    }
  | { kind: 'collision'; entries: SecretMapping[]; message: string }
  | { kind: 'duplicate'; env: string; sources: string[]; message: string };

export type Precedence = 'error-on-conflict' | 'later-wins';

export interface MappingResult {
  ok: boolean;
  /** Accepted names only: every vault name here is unique ignoring case. */
  mapping: SecretMapping[];
  problems: NameProblem[];
  /** Not fatal: a rename whose name no source has, a source name shadowed under later-wins. */
  warnings: string[];
}

/** Why `name` can't be a Key Vault secret name, or undefined when it can. */
export function vaultNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'is empty';
  if (name.length > MAX_VAULT_SECRET_NAME) {
    return `is ${name.length} characters long; Key Vault allows at most ${MAX_VAULT_SECRET_NAME}`;
  }
  const bad = [...new Set([...name].filter((ch) => !/[0-9A-Za-z-]/.test(ch)))];
  if (bad.length > 0) return `has ${describeChars(bad)}, which Key Vault names can't hold (only 0-9, a-z, A-Z and -)`;
  return undefined;
}

/** The vault name a pod name gets without a rename: `_` → `-`. */
export function defaultVaultName(env: string): string {
  return env.replaceAll('_', '-');
}

/**
 * A valid vault name close to `env` (accents dropped, other characters → `-`) that no name in
 * `taken` already holds ignoring case (a `-2`, `-3`... suffix when needed), or undefined.
 */
export function suggestVaultName(env: string, taken: Iterable<string> = []): string | undefined {
  const ascii = stripAccents(env)
    .replaceAll('_', '-')
    .replace(/[^0-9A-Za-z-]+/g, '-');
  const trimmed = ascii
    .replace(/^-+/, '')
    .slice(0, MAX_VAULT_SECRET_NAME - 4)
    .replace(/-+$/, '');
  if (trimmed.length === 0) return undefined;
  const used = new Set([...taken].map((n) => n.toLowerCase()));
  let candidate = trimmed;
  for (let n = 2; used.has(candidate.toLowerCase()); n++) candidate = `${trimmed}-${n}`;
  return candidate;
}

/**
 * Maps every source name to its vault name and reports every problem at once.
 * `names` is in source order; under 'later-wins' a later source's name replaces an earlier one.
 */
export function mapSecretNames(
  names: readonly NameSource[],
  options: { rename?: Readonly<Record<string, string>>; precedence?: Precedence; renameLabel?: string } = {},
): MappingResult {
  const rename = options.rename ?? {};
  const renameLabel = options.renameLabel ?? 'secrets.rename';
  const problems: NameProblem[] = [];
  const warnings: string[] = [];

  // Every name some source or rename already claims, so a suggestion never creates a new clash.
  const takenPod = [...names.map((n) => n.env), ...Object.keys(rename)];
  const takenVault = [...names.map((n) => defaultVaultName(n.env)), ...Object.values(rename)];
  const inSources = new Set(names.map((n) => n.env));

  const renameTargetOk = new Map<string, boolean>();
  for (const [env, target] of Object.entries(rename)) {
    // A source name that breaks the pod-name rule is reported once, below, with its source.
    const keyProblem = inSources.has(env) ? undefined : podNameProblem(env);
    const targetProblem = vaultNameProblem(target);
    if (keyProblem) {
      problems.push({
        kind: 'invalid-rename',
        part: 'name',
        env,
        source: renameLabel,
        message: `rename ${env} → ${target}: the name ${env} ${keyProblem}`,
        suggestion: suggestPodName(
          env,
          takenPod.filter((n) => n !== env),
        ),
      });
    }
    if (targetProblem) {
      const suggestion = suggestVaultName(target, takenVault);
      problems.push({
        kind: 'invalid-rename',
        part: 'vault-name',
        env,
        source: renameLabel,
        message: `rename ${env} → ${target}: the vault name ${targetProblem}${suggestion ? `; try ${suggestion}` : ''}`,
        suggestion,
      });
    }
    renameTargetOk.set(env, !podNameProblem(env) && !targetProblem);
  }

  const chosen = pickByPrecedence(names, options.precedence ?? 'error-on-conflict', problems, warnings);

  const candidates: SecretMapping[] = [];
  for (const { env, source } of chosen) {
    const podProblem = podNameProblem(env);
    if (podProblem) {
      const suggestion = suggestPodName(
        env,
        takenPod.filter((n) => n !== env),
      );
      const renamed = Object.hasOwn(rename, env)
        ? ` (a rename only picks the vault name; Feathr still reads ${env})`
        : '';
      problems.push({
        kind: 'invalid-name',
        env,
        source,
        suggestion,
        byRename: false,
        message: `${env} (from ${source}) ${podProblem}${renamed}${suggestion ? `; rename it in its source, e.g. to ${suggestion}` : ''}`,
      });
      continue;
    }
    if (Object.hasOwn(rename, env)) {
      if (renameTargetOk.get(env)) candidates.push({ env, vaultName: rename[env]!, source, renamed: true });
      continue;
    }
    const vaultName = defaultVaultName(env);
    const problem = vaultNameProblem(vaultName);
    if (problem) {
      const suggestion = suggestVaultName(env, takenVault);
      problems.push({
        kind: 'invalid-name',
        env,
        source,
        suggestion,
        byRename: true,
        message: `${env} (from ${source}) ${problem}${suggestion ? `; suggested vault name ${suggestion} (rename ${env}=${suggestion})` : ''}`,
      });
      continue;
    }
    candidates.push({ env, vaultName, source, renamed: false });
  }

  // Renames whose name no source has still claim their vault name: two renames onto one name
  // can never both hold, whatever the sources turn out to contain.
  const used = new Set(chosen.map((n) => n.env));
  const unused: SecretMapping[] = [];
  for (const [env, target] of Object.entries(rename)) {
    if (used.has(env) || !renameTargetOk.get(env)) continue;
    unused.push({ env, vaultName: target, source: `${renameLabel}, in no source`, renamed: true });
    if (names.length > 0) warnings.push(`rename ${env} → ${target} matches no variable in the sources.`);
  }

  const groups = new Map<string, SecretMapping[]>();
  for (const entry of [...candidates, ...unused]) {
    const key = entry.vaultName.toLowerCase();
    groups.set(key, [...(groups.get(key) ?? []), entry]);
  }
  const mapping: SecretMapping[] = [];
  for (const group of groups.values()) {
    if (group.length === 1) {
      if (candidates.includes(group[0]!)) mapping.push(group[0]!);
      continue;
    }
    const list = group.map((e) => `${e.env} → ${e.vaultName} (from ${e.source})`).join(', ');
    problems.push({
      kind: 'collision',
      entries: group,
      message: `${group.length} names collide in Key Vault, which compares names ignoring case: ${list}`,
    });
  }
  mapping.sort((a, b) => candidates.indexOf(a) - candidates.indexOf(b));
  return { ok: problems.length === 0, mapping, problems, warnings };
}

function pickByPrecedence(
  names: readonly NameSource[],
  precedence: Precedence,
  problems: NameProblem[],
  warnings: string[],
): NameSource[] {
  const byEnv = new Map<string, NameSource[]>();
  for (const name of names) byEnv.set(name.env, [...(byEnv.get(name.env) ?? []), name]);
  const chosen: NameSource[] = [];
  for (const [env, all] of byEnv) {
    if (all.length === 1) {
      chosen.push(all[0]!);
      continue;
    }
    const sources = all.map((n) => n.source);
    if (precedence === 'later-wins') {
      chosen.push(all[all.length - 1]!);
      warnings.push(`${env} is in ${sources.join(' and ')}; the last one (${sources[sources.length - 1]}) wins.`);
    } else {
      problems.push({
        kind: 'duplicate',
        env,
        sources,
        message: `${env} is in more than one source: ${sources.join(', ')}`,
      });
    }
  }
  return chosen;
}
