/**
 * `secrets map --dotenv FILE` (or `--env-file FILE`): the vault name each variable gets, the Feathr variables no
 * source has, and every invalid name or collision; exit 1 on any of those. Values are read
 * (dotenv) and dropped: nothing about them, not even a length, reaches the output.
 */
import { resolve } from 'node:path';
import { UserError } from '../kernel/errors.js';
import { mapSecretNames, type NameSource } from '../domain/secret-names.js';
import { readEnvFile } from '../secrets/sources/env-file.js';
import { readEnvVars } from '../secrets/sources/env-vars.js';
import { missingFeathrVariables } from '../secrets/sources/feathr-variables.js';
import { renderMappingTable } from '../output/mapping-table.js';
import type { CommandContext } from './command-context.js';

export interface SecretsMapInput extends CommandContext {
  envFile?: string;
  /** `--rename A=B`, as typed. */
  renames: readonly string[];
  /** `--env NAME`: variables of this process's environment. */
  envNames: readonly string[];
}

export async function secretsMap(input: SecretsMapInput): Promise<number> {
  const { reporter, io } = input;
  if (input.envFile === undefined && input.envNames.length === 0) {
    throw new UserError(
      'Nothing to map: give --dotenv FILE and/or --env NAME.',
      'e.g. feathr-kv-setup secrets map --dotenv feathr.env',
    );
  }
  const rename = parseRenames(input.renames);
  const names: NameSource[] = [];
  if (input.envFile !== undefined) {
    const file = await readEnvFile(resolve(io.cwd, input.envFile), `.env ${input.envFile}`);
    names.push(...file.names.map((env) => ({ env, source: file.label })));
  }
  const vars = readEnvVars(input.envNames, io.env);
  names.push(...vars.names.map((env) => ({ env, source: vars.label })));

  const result = mapSecretNames(names, { rename, renameLabel: '--rename' });
  const missingFeathr = missingFeathrVariables(names.map((n) => n.env));
  const problems = [
    ...result.problems.map((p) => p.message),
    ...vars.missing.map((name) => `${name} (--env) isn't set in the environment`),
  ];

  if (reporter.mode === 'text' && result.mapping.length > 0) io.stdout.write(renderMappingTable(result.mapping));
  for (const warning of result.warnings) reporter.emit({ type: 'log', level: 'warn', message: warning });
  if (missingFeathr.length > 0) {
    reporter.emit({
      type: 'log',
      level: 'warn',
      message: `Feathr variables no source has: ${missingFeathr.join(', ')}. feathr-online reads them; add them before installing.`,
    });
  }
  const data = {
    mapping: result.mapping,
    problems: result.problems.map(({ kind, message }) => ({ kind, message })),
    missingFeathrVariables: missingFeathr,
  };
  if (problems.length > 0) {
    reporter.emit({
      type: 'result',
      ok: false,
      exitCode: 1,
      error: {
        message: `${problems.length === 1 ? '1 problem' : `${problems.length} problems`} with secret names; they can't be mapped to Key Vault safely:`,
        details: problems,
        hint: 'Rename each with --rename NAME=VAULT-NAME (in a preset: secrets.rename), or rename it in its source. Nothing was written.',
      },
      ...data,
    });
    return 1;
  }
  const count = result.mapping.length;
  reporter.emit({
    type: 'result',
    ok: true,
    exitCode: 0,
    summary: `Secret names mapped: ${count} ${count === 1 ? 'name' : 'names'}, no collisions. Nothing was written.`,
    ...data,
  });
  return 0;
}

function parseRenames(renames: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const bad: string[] = [];
  for (const entry of renames) {
    const at = entry.indexOf('=');
    if (at <= 0 || at === entry.length - 1) bad.push(entry);
    else out[entry.slice(0, at)] = entry.slice(at + 1);
  }
  if (bad.length > 0) {
    throw new UserError(
      `--rename takes NAME=VAULT-NAME; can't read ${bad.map((b) => JSON.stringify(b)).join(', ')}.`,
      'e.g. --rename CONN_STR=CONN-STR-2',
    );
  }
  return out;
}
