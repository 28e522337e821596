/**
 * Zod's issues in the report's words: a problem and a fix per line, unknown keys one per line
 * with the nearest known key, and the offending value attached where it helps.
 */
import type * as z from 'zod';
import { valueAt, type ConfigIssue, type ConfigPath } from './issues.js';
import { suggestVaultName } from '../domain/vault-name.js';
import { nearest } from './nearest.js';

// Fix text for fields whose generic fix would be vague; keyed by the path without indices.
const FIXES: Record<string, string> = {
  'vault.name': 'pick a name of 3-24 letters, digits and single hyphens, starting with a letter',
  'network.allowedIps': "list the cluster's public egress IPs (the vault sees them in a 403 as `Client address:`)",
  'azure.subscriptionId': 'use the subscription id from `az account show --query id -o tsv`',
  'azure.tenantId': 'use the tenant id from `az account show --query tenantId -o tsv`',
  'identity.servicePrincipal.clientSecretEnv': 'name the env var that holds the secret, e.g. FEATHR_SP_SECRET',
  'csi.rotation.pollInterval': 'use a duration like 2m or 30s',
};

export function fromZodIssues(issues: readonly z.core.$ZodIssue[], raw: unknown, schema: z.ZodType): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const issue of issues) {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    const key = path.filter((p) => typeof p === 'string').join('.');
    const got = valueAt(raw, path);
    switch (issue.code) {
      case 'unrecognized_keys': {
        const known = knownKeys(schema, path);
        for (const name of issue.keys) {
          const near = nearest(name, known);
          out.push({
            path: [...path, name],
            problem: "isn't a known key",
            fix: near
              ? `did you mean ${near}? (known here: ${known.join(', ')})`
              : `remove it (known here: ${known.join(', ')})`,
          });
        }
        break;
      }
      case 'invalid_type':
        if (got === undefined) {
          out.push({
            path,
            problem: 'is required',
            fix: `add ${String(path[path.length - 1] ?? 'it')} (${describeExpected(issue.expected)})`,
          });
        } else {
          out.push({
            path,
            problem: `must be ${describeExpected(issue.expected)}`,
            fix: FIXES[key] ?? `set ${describeExpected(issue.expected)}`,
            got: scalarOnly(got),
          });
        }
        break;
      case 'invalid_value': {
        const values = issue.values.map((v) => String(v)).join(', ');
        if (got === undefined)
          out.push({
            path,
            problem: 'is required',
            fix: `add ${String(path[path.length - 1] ?? 'it')}: one of ${values}`,
          });
        else out.push({ path, problem: "isn't an allowed value", fix: `use one of: ${values}`, got: scalarOnly(got) });
        break;
      }
      case 'invalid_format':
        out.push({
          path,
          problem: formatProblem(issue),
          fix: FIXES[key] ?? formatFix(issue.format),
          got: scalarOnly(got),
        });
        break;
      default: {
        const fix =
          key === 'vault.name' && typeof got === 'string' && suggestVaultName(got)
            ? `try ${suggestVaultName(got)}`
            : (FIXES[key] ?? 'correct the value');
        out.push({ path, problem: issue.message, fix, got: scalarOnly(got) });
      }
    }
  }
  return out;
}

function describeExpected(expected: string): string {
  if (expected === 'object') return 'a mapping of keys';
  if (expected === 'array') return 'a list';
  return `a ${expected}`;
}

function formatProblem(issue: z.core.$ZodIssueInvalidStringFormat): string {
  if (issue.format === 'regex' || !issue.message.startsWith('Invalid')) return issue.message;
  return `isn't a valid ${issue.format === 'guid' || issue.format === 'uuid' ? 'GUID' : issue.format}`;
}

function formatFix(format: string): string {
  if (format === 'guid' || format === 'uuid') return 'use a GUID like 00000000-0000-0000-0000-000000000000';
  if (format === 'url') return 'use an https:// URL';
  return 'correct the value';
}

/** Objects and lists are described, never dumped: they could hold anything. */
function scalarOnly(value: unknown): unknown {
  return value !== null && typeof value === 'object' ? undefined : value;
}

/** The keys the schema allows at `path` (an object inside optional/default/array wrappers). */
function knownKeys(schema: z.ZodType, path: ConfigPath): string[] {
  let node: unknown = schema;
  for (const part of [...path, null]) {
    node = unwrap(node);
    if (part === null) break;
    const def = (node as { def?: { type?: string; shape?: Record<string, unknown>; element?: unknown } }).def;
    if (def?.type === 'array' && typeof part === 'number') node = def.element;
    else if (def?.type === 'object' && typeof part === 'string') node = def.shape?.[part];
    else return [];
  }
  const def = (node as { def?: { type?: string; shape?: Record<string, unknown> } } | undefined)?.def;
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

function unwrap(node: unknown): unknown {
  let current = node as { def?: { type?: string; innerType?: unknown } } | undefined;
  while (current?.def && ['optional', 'default', 'prefault', 'nullable'].includes(current.def.type ?? '')) {
    current = current.def.innerType as typeof current;
  }
  return current;
}
