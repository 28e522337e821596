/**
 * Validates a parsed preset (or the wizard's answers) against the schema, the cross-field
 * rules and the secret-name rules, collecting every problem at once.
 */
import { configSchema, type Config } from './schema.js';
import { crossFieldIssues } from './cross-field.js';
import { fromZodIssues } from './zod-issues.js';
import { sortIssues, type ConfigIssue } from './issues.js';
import { stripSecretKeys } from './secret-keys.js';
import { mapSecretNames, type NameSource } from '../domain/secret-names.js';
import { podNameProblem } from '../domain/pod-name.js';

export type Validation = { ok: true; config: Config } | { ok: false; issues: ConfigIssue[] };

export function validateConfig(raw: unknown): Validation {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return {
      ok: false,
      issues: [
        {
          path: [],
          problem: 'must be a mapping of keys (version, target, azure, ...)',
          fix: 'start from one of the presets in presets/',
        },
      ],
    };
  }
  const { cleaned, issues } = stripSecretKeys(raw);
  const parsed = configSchema.safeParse(cleaned);
  if (!parsed.success) issues.push(...fromZodIssues(parsed.error.issues, cleaned, configSchema));
  issues.push(...crossFieldIssues(cleaned));
  issues.push(...staticNameIssues(cleaned));
  const all = sortIssues(issues);
  if (all.length > 0 || !parsed.success) return { ok: false, issues: all };
  return { ok: true, config: parsed.data };
}

/**
 * The names a preset itself lists (env sources and renames) can be checked without reading
 * any source; .env files are checked by the loader, Kubernetes Secrets by the engine.
 */
function staticNameIssues(raw: unknown): ConfigIssue[] {
  const secrets = (raw as { secrets?: unknown }).secrets as
    { sources?: unknown; rename?: unknown; precedence?: unknown } | undefined;
  if (!secrets || typeof secrets !== 'object') return [];
  const rename = isStringRecord(secrets.rename) ? secrets.rename : {};
  const issues: ConfigIssue[] = [];
  const names: NameSource[] = [];
  if (Array.isArray(secrets.sources)) {
    secrets.sources.forEach((source, i) => {
      const env = (source as { env?: unknown } | null)?.env;
      if (!Array.isArray(env)) return;
      env.forEach((name, j) => {
        if (typeof name !== 'string') return;
        // Not echoed: a value pasted here instead of a name would otherwise reach the screen.
        if (podNameProblem(name)) {
          issues.push({
            path: ['secrets', 'sources', i, 'env', j],
            problem: "isn't an environment variable name (not shown, in case it's a secret)",
            fix: 'list the name of the variable, e.g. REDIS_PASSWORD, never its value',
          });
        } else {
          names.push({ env: name, source: `secrets.sources[${i}].env` });
        }
      });
    });
  }
  const precedence = secrets.precedence === 'later-wins' ? 'later-wins' : 'error-on-conflict';
  return [...issues, ...nameProblemsAsIssues(mapSecretNames(names, { rename, precedence }).problems)];
}

export function nameProblemsAsIssues(problems: ReturnType<typeof mapSecretNames>['problems']): ConfigIssue[] {
  return problems.map((problem): ConfigIssue => {
    switch (problem.kind) {
      case 'invalid-rename':
        return problem.part === 'name'
          ? {
              path: ['secrets', 'rename', problem.env],
              problem: problem.message,
              fix: `a rename only picks the vault name, and Feathr would still read ${problem.env}: rename the variable in its source${problem.suggestion ? ` (e.g. to ${problem.suggestion})` : ''} and key the rename by that name`,
            }
          : {
              path: ['secrets', 'rename', problem.env],
              problem: problem.message,
              fix: `use a vault name of letters, digits and - (at most 127)${problem.suggestion ? `, e.g. ${problem.suggestion}` : ''}`,
            };
      case 'invalid-name':
        return {
          path: ['secrets', 'sources'],
          problem: problem.message,
          fix:
            problem.byRename && problem.suggestion
              ? `add ${problem.env}: ${problem.suggestion} under secrets.rename, or rename the variable`
              : `rename the variable in its source${problem.suggestion ? ` (e.g. to ${problem.suggestion})` : ''}`,
        };
      case 'collision':
        return {
          path: problem.entries.some((e) => e.renamed) ? ['secrets', 'rename'] : ['secrets', 'sources'],
          problem: problem.message,
          fix: 'give all but one a different name under secrets.rename, or drop one from its source',
        };
      case 'duplicate':
        return {
          path: ['secrets', 'sources'],
          problem: problem.message,
          fix: 'drop it from all but one source, or set secrets.precedence: later-wins',
        };
    }
  });
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === 'string')
  );
}
