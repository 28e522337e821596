/**
 * A preset never holds a secret value. Keys that look like one are refused
 * before the schema runs, with a fix, and their values are never shown; paths that could hold
 * a pasted secret (the name of the env var meant to hold it, say) are never echoed either.
 */
import type { ConfigIssue, ConfigPath } from './issues.js';

// Compared after lower-casing and dropping `_` and `-`: clientSecret, client_secret, PASSWORD...
const SECRET_KEYS = new Set([
  'clientsecret',
  'secret',
  'secretvalue',
  'password',
  'passwd',
  'pwd',
  'passphrase',
  'token',
  'accesstoken',
  'apikey',
  'accesskey',
  'connectionstring',
  'connstr',
  'sastoken',
  'privatekey',
  'certificate',
  'credentials',
]);
// Under `secrets`, a value list is the tell: secrets.values, secrets.sources[0].value.
const SECRET_KEYS_UNDER_SECRETS = new Set(['value', 'values', 'data', 'stringdata']);

function normalize(key: string): string {
  return key.toLowerCase().replace(/[-_]/g, '');
}

function isSecretKey(key: string, underSecrets: boolean): boolean {
  const k = normalize(key);
  return SECRET_KEYS.has(k) || (underSecrets && SECRET_KEYS_UNDER_SECRETS.has(k));
}

/** True when a value at `path` must never be echoed. */
export function isSecretPath(path: ConfigPath): boolean {
  const underSecrets = path[0] === 'secrets';
  if (path.some((part) => typeof part === 'string' && isSecretKey(part, underSecrets))) return true;
  const joined = path.filter((p) => typeof p === 'string').join('.');
  return joined === 'identity.servicePrincipal.clientSecretEnv' || /^secrets\.sources\.env$/.test(joined);
}

/**
 * Returns a copy of `raw` without secret-looking keys, and one issue per removed key.
 * `secrets.rename` maps names to names, so its keys are exempt (COSMOS_API_KEY is a name).
 */
export function stripSecretKeys(raw: unknown): { cleaned: unknown; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const walk = (node: unknown, path: (string | number)[]): unknown => {
    if (Array.isArray(node)) return node.map((item, i) => walk(item, [...path, i]));
    if (node === null || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    const isRename = path.length === 2 && path[0] === 'secrets' && path[1] === 'rename';
    for (const [key, value] of Object.entries(node)) {
      if (!isRename && isSecretKey(key, path[0] === 'secrets')) {
        issues.push({
          path: [...path, key],
          problem: "looks like a secret value, and a preset never holds one (the value isn't shown)",
          fix:
            /secret/i.test(key) && path.includes('servicePrincipal')
              ? 'put it in an env var and name it with clientSecretEnv'
              : 'put the value in an env var, a .env file or a Kubernetes Secret and list that under secrets.sources',
        });
        continue;
      }
      out[key] = isRename ? value : walk(value, [...path, key]);
    }
    return out;
  };
  return { cleaned: walk(raw, []), issues };
}
