/**
 * Loads a preset file: syntax, schema, cross-field rules, then the names in its .env files.
 * Flags are merged in before validation (one resolver: flag ?? preset), and relative paths
 * are resolved against the preset's folder so a preset works from any working directory.
 */
import { readUserFile } from '../domain/user-file.js';
import { dirname, isAbsolute, resolve } from 'node:path';
import { UserError } from '../kernel/errors.js';
import { mapSecretNames, type NameSource } from '../domain/secret-names.js';
import { readEnvFile } from '../secrets/sources/env-file.js';
import { formatIssue, sortIssues, type ConfigIssue } from './issues.js';
import { parseConfigText } from './parse-document.js';
import type { Config } from './schema.js';
import { nameProblemsAsIssues, validateConfig } from './validate.js';

export interface PresetOverrides {
  kubeContext?: string;
}

class PresetError extends UserError {
  constructor(
    readonly file: string,
    readonly issues: readonly ConfigIssue[],
  ) {
    super(
      `The preset ${file} has ${issues.length === 1 ? '1 problem' : `${issues.length} problems`}:`,
      'Fix each line above and run again; presets/schema.json gives your editor the same checks.',
      issues.map(formatIssue),
    );
    this.name = 'PresetError';
  }
}

export async function loadPreset(file: string, overrides: PresetOverrides = {}, cwd = process.cwd()): Promise<Config> {
  const path = resolve(cwd, file);
  const text = await readUserFile(
    path,
    (code) =>
      code === 'ENOENT'
        ? `Can't find the preset ${file}.`
        : `Can't read the preset ${file} (${code ?? 'unknown error'}).`,
    'Check the path; the shipped presets are in presets/.',
  );
  const parsed = parseConfigText(text);
  if (!parsed.ok) throw new PresetError(file, parsed.issues);
  const validation = validateConfig(applyOverrides(parsed.value, overrides));
  if (!validation.ok) throw new PresetError(file, validation.issues);
  const config = resolvePaths(validation.config, dirname(path));
  const nameIssues = await envFileNameIssues(config);
  if (nameIssues.length > 0) throw new PresetError(file, nameIssues);
  return config;
}

/** Flags win over the preset; only keys the flag really sets are touched. */
function applyOverrides(raw: unknown, overrides: PresetOverrides): unknown {
  if (overrides.kubeContext === undefined || raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const doc = raw as Record<string, unknown>;
  const cluster =
    doc.cluster !== null && typeof doc.cluster === 'object' && !Array.isArray(doc.cluster) ? doc.cluster : {};
  return { ...doc, cluster: { ...cluster, kubeContext: overrides.kubeContext } };
}

function resolvePaths(config: Config, baseDir: string): Config {
  const sources = config.secrets.sources.map((source) =>
    source.envFile !== undefined && !isAbsolute(source.envFile)
      ? { ...source, envFile: resolve(baseDir, source.envFile) }
      : source,
  );
  // Feathr's pipeline files are paths too, read when the release is planned.
  const feathr = { ...config.feathr };
  for (const key of ['pipelineConf', 'lookupJson'] as const) {
    const file = feathr[key];
    if (file !== undefined && !isAbsolute(file)) feathr[key] = resolve(baseDir, file);
  }
  return { ...config, secrets: { ...config.secrets, sources }, feathr };
}

/** Reads each .env file's names (never its values onward) and maps them with the other names. */
async function envFileNameIssues(config: Config): Promise<ConfigIssue[]> {
  const issues: ConfigIssue[] = [];
  const names: NameSource[] = [];
  for (const [i, source] of config.secrets.sources.entries()) {
    if (source.env) names.push(...source.env.map((env) => ({ env, source: `secrets.sources[${i}].env` })));
    if (source.envFile === undefined) continue;
    try {
      const file = await readEnvFile(source.envFile, `.env ${source.envFile}`);
      names.push(...file.names.map((env) => ({ env, source: file.label })));
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      issues.push({
        path: ['secrets', 'sources', i, 'envFile'],
        problem: error.message.replace(/\.$/, ''),
        fix: error.hint ?? 'check the path',
        got: source.envFile,
      });
    }
  }
  const hasFile = config.secrets.sources.some((s) => s.envFile !== undefined);
  if (hasFile) {
    issues.push(
      ...nameProblemsAsIssues(
        mapSecretNames(names, { rename: config.secrets.rename, precedence: config.secrets.precedence }).problems,
      ),
    );
  }
  return sortIssues(issues);
}
