/**
 * The one rule for a secret's pod name: the name Feathr reads (`CONN_STR`). Everything that
 * accepts or suggests a pod name uses this module: `secrets map`, preset validation, the
 * wizard, the chart values builder; charts/feathr-online/values.schema.json holds the same
 * pattern (a test keeps the two equal), and the README states it.
 *
 * Why this rule: Feathr reads each secret as an environment variable, and the chart injects it
 * with a Kubernetes `env` entry from the synced Secret. So the name has to work in both places
 * people put it: a POSIX shell (`export NAME=...`, `$NAME`, a .env file sourced by a script),
 * which takes only letters, digits and `_`, not starting with a digit; and Kubernetes, whose env
 * names and Secret keys accept a superset of that (`-` and `.` too). The intersection is the
 * shell's rule. A name like `FOO.BAR` or `conn-str` passes Kubernetes but no shell can set or
 * read it, and the chart refuses it, so it is refused here, when the source is read.
 * The length limit is the Secret key's (the synced Secret is keyed by the pod name).
 */

export const POD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const MAX_POD_NAME = 253;

/** Why `env` can't be a pod name, or undefined when it can. */
export function podNameProblem(env: string): string | undefined {
  if (env.length === 0) return 'is empty';
  if (env.length > MAX_POD_NAME)
    return `is ${env.length} characters long; a Kubernetes Secret key allows at most ${MAX_POD_NAME}`;
  if (POD_NAME.test(env)) return undefined;
  if (/^[0-9]/.test(env)) return "starts with a digit, which an environment variable name can't";
  const bad = [...new Set([...env].filter((ch) => !/[A-Za-z0-9_]/.test(ch)))];
  return `has ${describeChars(bad)}, which an environment variable name can't hold (only A-Z, a-z, 0-9 and _, not starting with a digit)`;
}

/**
 * A valid pod name close to `env` (ÜBER → UBER, FOO.BAR → FOO_BAR, 9LIVES → _9LIVES) that is
 * not in `taken` ignoring case and `_`/`-` (Key Vault would merge them), or undefined.
 */
export function suggestPodName(env: string, taken: Iterable<string> = []): string | undefined {
  let ascii = stripAccents(env)
    .replace(/[^A-Za-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (/^[0-9]/.test(ascii)) ascii = `_${ascii}`;
  ascii = ascii.slice(0, MAX_POD_NAME - 4);
  if (ascii.length === 0 || !POD_NAME.test(ascii)) return undefined;
  const key = (name: string) => name.replaceAll('_', '-').toLowerCase();
  const used = new Set([...taken].map(key));
  let candidate = ascii;
  for (let n = 2; used.has(key(candidate)); n++) candidate = `${ascii}_${n}`;
  return candidate;
}

export function stripAccents(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}+/gu, '');
}

export function describeChars(chars: string[]): string {
  const shown = chars.map((ch) =>
    /\s/.test(ch)
      ? JSON.stringify(ch)
      : /[\p{L}\p{N}\p{P}\p{S}]/u.test(ch)
        ? `'${ch}'`
        : `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`,
  );
  return shown.length === 1 ? shown[0]! : `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}
