/**
 * `helm upgrade --set-file key=path` for the sandbox's cluster: real helm reads each file on the
 * client, so the sandbox adapter does the same and sends the text, never a path for the server
 * to open (it may be another process).
 */
import { readFile } from 'node:fs/promises';
import type { HelmInstallRequest } from './port.js';

/** helm's own wording when a --set-file can't be read. */
function setFileError(file: string, cause: NodeJS.ErrnoException): string {
  const why =
    cause.code === 'ENOENT'
      ? 'no such file or directory'
      : cause.code === 'EACCES'
        ? 'permission denied'
        : (cause.code ?? 'unreadable');
  return `Error: failed parsing --set-file data: open ${file}: ${why}`;
}

/** The text of every --set-file, read as helm's client would. */
export async function readSetFiles(files: HelmInstallRequest['files']): Promise<Record<string, string> | undefined> {
  if (!files || Object.keys(files).length === 0) return undefined;
  const contents: Record<string, string> = {};
  for (const [key, file] of Object.entries(files)) {
    try {
      contents[key] = await readFile(file, 'utf8');
    } catch (error) {
      throw new Error(setFileError(file, error as NodeJS.ErrnoException), { cause: error });
    }
  }
  return contents;
}
