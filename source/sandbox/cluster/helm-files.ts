/**
 * `helm upgrade --set-file key=path` in the sandbox. Real helm reads each file on the client and
 * merges its text into the user-supplied values at `key`, so `helm get values` shows it and the
 * chart renders it (our chart: the `-pipeline` ConfigMap). A client reads the files on its side
 * too and sends their text as `fileContents`: the sandbox server may be another
 * process (`sandbox serve`), and it must never read a path a request names.
 * A release remembers which keys came from files (key and base name only), for describe.
 */
import path from 'node:path';
import type { HelmInstallRequest } from './wire.js';

export interface SetFileRecord {
  key: string;
  /** The file's base name, never its folder or content. */
  file: string;
}

/** What the sandbox adapter posts: the port's request plus the text of each --set-file. */
export type SandboxHelmRequest = HelmInstallRequest & { fileContents?: Record<string, string> };

/** helm's own wording when a --set-file can't be read. */
export function setFileError(file: string, cause: NodeJS.ErrnoException): string {
  const why =
    cause.code === 'ENOENT'
      ? 'no such file or directory'
      : cause.code === 'EACCES'
        ? 'permission denied'
        : (cause.code ?? 'unreadable');
  return `Error: failed parsing --set-file data: open ${file}: ${why}`;
}

/** helm's `a.b=...` key syntax (dots only; the chart's keys need no escapes or indexes). */
function setAt(values: Record<string, unknown>, key: string, value: string): void {
  const parts = key.split('.');
  let node = values;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    node = node[part] =
      next && typeof next === 'object' && !Array.isArray(next) ? { ...(next as Record<string, unknown>) } : {};
  }
  node[parts.at(-1)!] = value;
}

/**
 * Server side: the values helm would store, --set-file winning over the values file as in helm.
 * Throws helm's text when a named file's content didn't come with the request.
 */
export function mergeSetFiles(request: SandboxHelmRequest): {
  values: Record<string, unknown>;
  files: SetFileRecord[];
} {
  const values = structuredClone(request.values);
  const files: SetFileRecord[] = [];
  for (const [key, file] of Object.entries(request.files ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    const content = request.fileContents?.[key];
    if (typeof content !== 'string')
      throw new Error(setFileError(file, Object.assign(new Error('missing'), { code: 'ENOENT' })));
    setAt(values, key, content);
    files.push({ key, file: path.basename(file) });
  }
  return { values, files };
}

/** For describe: each value that came from a file shows as `[--set-file <name>]`, not its text. */
export function maskSetFiles(
  values: Record<string, unknown>,
  files: readonly SetFileRecord[] | undefined,
): Record<string, unknown> {
  const masked = structuredClone(values);
  for (const { key, file } of files ?? []) setAt(masked, key, `[--set-file ${file}]`);
  return masked;
}
